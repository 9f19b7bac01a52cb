import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from '../../../src/cli/args';
import { embedCommand } from '../../../src/cli/commands/embed';
import { readNpy, readVectorFile } from '../../../src/engine/encoders/vector-file';
import { maxAbsDiff, tempDir, TINY, tinyReference } from './helpers';

const REF = tinyReference();

async function runEmbed(argv: string[]): Promise<{ code: number; stdout: string[] }> {
  const stdout: string[] = [];
  const code = await embedCommand.run({
    args: parseArgs(argv, embedCommand.options),
    log: () => undefined,
    stdout: (t) => stdout.push(t),
    signal: new AbortController().signal,
  });
  return { code, stdout };
}

test('embed writes .npy and the project vector format, matching sentence-transformers', async () => {
  const dir = tempDir('embed-');
  const input = path.join(dir, 'texts.jsonl');
  const kept = REF.texts.map((t, i) => ({ t, i })).filter((x) => x.t !== ''); // empty texts are skipped by loadTexts
  fs.writeFileSync(input, kept.map((x) => JSON.stringify({ id: `r${x.i}`, body: x.t })).join('\n') + '\n');
  const expected = kept.flatMap((x) => REF.mean_normalized[x.i]);

  const npy = path.join(dir, 'out.npy');
  const r1 = await runEmbed([input, '--text', '{body}', '--encoder', TINY, '--out', npy, '--json']);
  assert.equal(r1.code, 0);
  const summary = JSON.parse(r1.stdout[0]);
  assert.equal(summary.rows, kept.length);
  assert.equal(summary.format, 'npy');
  const m = readNpy(npy);
  assert.deepEqual([m.rows, m.cols], [kept.length, 16]);
  assert.ok(maxAbsDiff(m.data, expected) < 1e-5);

  const f32 = path.join(dir, 'out.f32');
  assert.equal((await runEmbed([input, '--text', '{body}', '--encoder', TINY, '--out', f32])).code, 0);
  const { header, matrix } = readVectorFile(f32);
  assert.equal(header.rows, kept.length);
  assert.equal(header.normalized, true);
  assert.match(header.encoder, /^onnx:tiny-bert-st6@/);
  assert.deepEqual(header.ids, kept.map((x) => `r${x.i}`));
  assert.ok(maxAbsDiff(matrix.data, expected) < 1e-5);
  // the npy bytes are NumPy's: magic, version 1.0, header length multiple of 64
  const raw = fs.readFileSync(npy);
  assert.equal(raw.toString('latin1', 0, 6), '\x93NUMPY');
  assert.equal((10 + raw.readUInt16LE(8)) % 64, 0);
});

test('embed --role query|passage adds the e5 prefixes of a known model; no role adds none', async () => {
  const dir = tempDir('embed-role-');
  const e5 = path.join(dir, 'multilingual-e5-small'); // the registry gives it "query: " / "passage: "
  fs.cpSync(TINY, e5, { recursive: true });
  const texts = REF.texts.filter((t) => t !== '').slice(0, 5);
  const input = path.join(dir, 'texts.jsonl');
  fs.writeFileSync(input, texts.map((t) => JSON.stringify({ body: t })).join('\n') + '\n');
  const prefixed = (prefix: string) => {
    const file = path.join(dir, `${prefix.trim() || 'none'}.jsonl`);
    fs.writeFileSync(file, texts.map((t) => JSON.stringify({ body: prefix + t })).join('\n') + '\n');
    return file;
  };
  const embed = async (file: string, encoder: string, extra: string[]) => {
    const out = path.join(dir, `${Math.random().toString(36).slice(2)}.npy`);
    assert.equal((await runEmbed([file, '--text', '{body}', '--encoder', encoder, '--out', out, ...extra])).code, 0);
    return readNpy(out).data;
  };
  const query = await embed(input, e5, ['--role', 'query']);
  const passage = await embed(input, e5, ['--role', 'passage']);
  const none = await embed(input, e5, []);
  assert.ok(maxAbsDiff(query, await embed(prefixed('query: '), TINY, [])) < 1e-6, 'query: prefix');
  assert.ok(maxAbsDiff(passage, await embed(prefixed('passage: '), TINY, [])) < 1e-6, 'passage: prefix');
  assert.ok(maxAbsDiff(none, await embed(input, TINY, [])) < 1e-6, 'no role, no prefix');
  assert.ok(maxAbsDiff(query, passage) > 1e-3, 'the roles differ');
});
