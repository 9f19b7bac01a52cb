// Issue 9 item 8: `embed` keeps one vector per input row, in order, with the ids beside the
// vectors. A text of punctuation (".") is a text; a row whose template fields are all empty is
// encoded as the model encodes an empty text, unless --skip-empty skips (and counts) it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, onlyJson } from '../cli/helpers';
import { readNpy, readVectorFile } from '../../../src/engine/encoders/vector-file';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { maxAbsDiff, tempDir, TINY } from './helpers';

const dir = tempDir('embed-rows-');
const rows = Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, title: `title ${i}`, body: `the body of row number ${i}` }));
rows[7] = { id: 'r7', title: '.', body: '' };
rows[15] = { id: 'r15', title: '', body: '' };
rows[23] = { id: 'r23', title: '   ', body: '\t ' };
const input = path.join(dir, 'rows.jsonl');
fs.writeFileSync(input, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const TEMPLATE = '{title} {body}';

/** Each row's text encoded alone, one call per text. */
async function encodedAlone(texts: readonly string[]): Promise<Float32Array[]> {
  const encoder = await resolveEncoder(TINY);
  try {
    const out: Float32Array[] = [];
    for (const t of texts) out.push((await encoder.encode([t])).data);
    return out;
  } finally {
    await encoder.dispose();
  }
}

const rendered = rows.map((r) => `${r.title} ${r.body}`.replace(/\s+/g, ' ').trim());

test('embed: 40 rows (one ".", one "", one of whitespace) give 40 vectors and 40 ids in order, each equal to the text encoded alone', async () => {
  const alone = await encodedAlone(rendered);
  const npy = path.join(dir, 'all.npy');
  const r = await runCli('embed', input, '--text', TEMPLATE, '--encoder', TINY, '--out', npy, '--json');
  assert.equal(r.code, 0, r.stderr);
  const json = onlyJson(r);
  assert.equal(json.rows, 40);
  assert.equal(json.skipped, 0);
  assert.equal(json.idsFile, path.join(dir, 'all.ids.txt'));
  const m = readNpy(npy);
  assert.equal(m.rows, 40);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'all.ids.txt'), 'utf8').split('\n'), [...rows.map((x) => x.id), '']);
  for (let i = 0; i < 40; i++) assert.ok(maxAbsDiff(m.data.subarray(i * m.cols, (i + 1) * m.cols), alone[i]) < 1e-5, `row ${i}`);

  // The project vector format gets its ids file too.
  const f32 = path.join(dir, 'all.f32');
  assert.equal((await runCli('embed', input, '--text', TEMPLATE, '--encoder', TINY, '--out', f32)).code, 0);
  assert.equal(readVectorFile(f32).matrix.rows, 40);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'all.ids.txt'), 'utf8').trim().split('\n'), rows.map((x) => x.id));
});

test('embed --skip-empty: the rows whose fields are all empty are skipped and reported; "." is kept; ids match the vectors', async () => {
  const npy = path.join(dir, 'some.npy');
  const r = await runCli('embed', input, '--text', TEMPLATE, '--encoder', TINY, '--out', npy, '--skip-empty', '--json');
  assert.equal(r.code, 0, r.stderr);
  const json = onlyJson(r);
  assert.equal(json.rows, 38);
  assert.equal(json.skipped, 2);
  assert.deepEqual((json.skippedRows as { line: number; reason: string }[]).map((s) => [s.line, s.reason]), [
    [16, 'empty text'],
    [24, 'empty text'],
  ]);
  const kept = rows.map((x, i) => ({ id: x.id, text: rendered[i] })).filter((_, i) => i !== 15 && i !== 23);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'some.ids.txt'), 'utf8').trim().split('\n'), kept.map((k) => k.id));
  const m = readNpy(npy);
  assert.equal(m.rows, 38);
  const alone = await encodedAlone(kept.map((k) => k.text));
  for (let i = 0; i < 38; i++) assert.ok(maxAbsDiff(m.data.subarray(i * m.cols, (i + 1) * m.cols), alone[i]) < 1e-5, `row ${i} (${kept[i].id})`);
  const text = await runCli('embed', input, '--text', TEMPLATE, '--encoder', TINY, '--out', npy, '--skip-empty');
  assert.match(text.stdout, /skipped 2 rows of .*rows\.jsonl:\n {2}2 × empty text\n {2}.*rows\.jsonl:16: empty text/);
});

test('embed --help documents the ids file and --skip-empty', async () => {
  const r = await runCli('embed', '--help');
  assert.match(r.stdout + r.stderr, /\.ids\.txt/);
  assert.match(r.stdout + r.stderr, /--skip-empty/);
});
