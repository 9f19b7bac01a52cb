import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fitBuiltinEncoder, saveBuiltinEncoder } from '../../../src/engine/encoders/builtin';
import { builtinFitFile, fitOrLoadBuiltinEncoder, pruneBuiltinFits } from '../../../src/engine/encoders/builtin/fit-cache';
import { builtinFitsDir } from '../../../src/engine/encoders/builtin/provider';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';

const corpus = (JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/builtin/corpus.json'), 'utf8')) as { texts: string[] }).texts;
const small = { topicRank: 9, dropComponents: 1, lexicalDimension: 32, seed: 7 };

test('the first call fits and saves; the next call with the same corpus loads that file and encodes identically', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'el-fits-'));
  const first = await fitOrLoadBuiltinEncoder(corpus, dir, small);
  const file = builtinFitFile(dir, corpus, small);
  assert.deepEqual(readdirSync(dir), [path.basename(file)]);
  const second = await fitOrLoadBuiltinEncoder(corpus, dir, small);
  assert.equal(second.id, first.id);
  const a = await first.encode(corpus.slice(0, 20));
  const b = await second.encode(corpus.slice(0, 20));
  assert.deepEqual(Array.from(b.data), Array.from(a.data));
  // Another seed or another corpus is another fit, in another file.
  assert.notEqual(builtinFitFile(dir, corpus, { ...small, seed: 8 }), file);
  assert.notEqual(builtinFitFile(dir, corpus.slice(1), small), file);
});

test('the cached file is what is used: a file under the key is loaded instead of fitting', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'el-fits-'));
  const other = await fitBuiltinEncoder(corpus.slice(0, 30), small);
  await saveBuiltinEncoder(other, builtinFitFile(dir, corpus, small));
  const got = await fitOrLoadBuiltinEncoder(corpus, dir, small);
  assert.equal(got.id, other.id, 'loaded, not fitted on the full corpus');
});

test('a damaged cache file is fitted again and replaced', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'el-fits-'));
  const file = builtinFitFile(dir, corpus, small);
  writeFileSync(file, 'EMBLBI01 not really');
  const fitted = await fitOrLoadBuiltinEncoder(corpus, dir, small);
  assert.equal(fitted.id, (await fitBuiltinEncoder(corpus, small)).id);
  assert.equal((await fitOrLoadBuiltinEncoder(corpus, dir, small)).id, fitted.id);
});

test('pruning keeps the most recently used fits only', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'el-fits-'));
  for (let i = 0; i < 4; i++) {
    const f = path.join(dir, `builtin-${i}.bin`);
    writeFileSync(f, String(i));
    utimesSync(f, 1000 + i, 1000 + i);
  }
  writeFileSync(path.join(dir, 'other.txt'), 'kept');
  await pruneBuiltinFits(dir, 2);
  assert.deepEqual(readdirSync(dir).sort(), ['builtin-2.bin', 'builtin-3.bin', 'other.txt']);
});

test('resolving "builtin" in a project saves the fit in .cache/encoders and reuses it', async () => {
  const projectDir = mkdtempSync(path.join(tmpdir(), 'el-fits-project-'));
  const a = await resolveEncoder('builtin', { corpus, projectDir, seed: 3 });
  const saved = readdirSync(builtinFitsDir(projectDir));
  assert.equal(saved.length, 1);
  const b = await resolveEncoder('builtin', { corpus, projectDir, seed: 3 });
  assert.equal(b.id, a.id);
  assert.deepEqual(readdirSync(builtinFitsDir(projectDir)), saved);
});
