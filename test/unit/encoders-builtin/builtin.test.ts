import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  fitBuiltinEncoder,
  loadBuiltinEncoder,
  saveBuiltinEncoder,
  normalizeText,
  wordTokens,
} from '../../../src/engine/encoders/builtin';
import { randomizedSvd } from '../../../src/engine/encoders/builtin/svd';
import { symmetricEigen } from '../../../src/engine/encoders/builtin/dense';
import type { SparseRows } from '../../../src/engine/encoders/builtin/sparse';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { InputError } from '../../../src/engine/util/errors';
import { CancelledError } from '../../../src/engine/util/job';
import { createRng } from '../../../src/engine/util/random';

const corpus = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/builtin/corpus.json'), 'utf8')) as {
  texts: string[];
  topics: string[];
};
const small = { dimension: 9, dropComponents: 1, seed: 7 };

test('tokenizer folds accents, drops French elisions and English possessives', () => {
  assert.deepEqual(wordTokens(normalizeText("L'équipe qu'il aime à l’État d'Île-de-France")), ['equipe', 'il', 'aime', 'etat', 'ile', 'de', 'france']);
  assert.deepEqual(wordTokens(normalizeText("The minister's reform, aujourd'hui")), ['the', 'minister', 'reform', 'aujourd', 'hui']);
  assert.deepEqual(wordTokens(normalizeText('東京 a 42 ÉCOLE')), ['東京', '42', 'ecole']);
});

test('symmetricEigen reconstructs a symmetric matrix', () => {
  const l = 6;
  const rng = createRng(3);
  const a = new Float64Array(l * l);
  for (let i = 0; i < l; i++) for (let j = i; j < l; j++) a[i * l + j] = a[j * l + i] = rng() - 0.5;
  const { values, vectors } = symmetricEigen(a, l);
  for (let i = 0; i < l; i++)
    for (let j = 0; j < l; j++) {
      let s = 0;
      for (let k = 0; k < l; k++) s += vectors[i * l + k] * values[k] * vectors[j * l + k];
      assert.ok(Math.abs(s - a[i * l + j]) < 1e-9);
    }
  for (let k = 1; k < l; k++) assert.ok(values[k - 1] >= values[k]);
});

test('randomizedSvd finds the exact singular values of a small sparse matrix', async () => {
  const rng = createRng(11);
  const rows = 30;
  const cols = 12;
  const dense = new Float64Array(rows * cols);
  const indptr = new Int32Array(rows + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++)
      if (rng() < 0.4) {
        const v = rng();
        dense[i * cols + j] = v;
        idx.push(j);
        val.push(v);
      }
    indptr[i + 1] = idx.length;
  }
  const x: SparseRows = { rows, cols, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
  // Exact: eigenvalues of XᵀX.
  const g = new Float64Array(cols * cols);
  for (let i = 0; i < rows; i++)
    for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) g[a * cols + b] += dense[i * cols + a] * dense[i * cols + b];
  const exact = symmetricEigen(g, cols).values;
  const svd = await randomizedSvd(x, { rank: 4, seed: 1, powerIterations: 3 });
  for (let k = 0; k < 4; k++) assert.ok(Math.abs(svd.singularValues[k] - Math.sqrt(exact[k])) < 1e-3 * Math.sqrt(exact[0]), `σ${k}`);
  // Components are orthonormal.
  for (let a = 0; a < 4; a++)
    for (let b = 0; b < 4; b++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += svd.components[c * 4 + a] * svd.components[c * 4 + b];
      assert.ok(Math.abs(s - (a === b ? 1 : 0)) < 1e-3);
    }
});

test('fit is deterministic given a seed; vectors are unit-norm and group texts by topic', async () => {
  const a = await fitBuiltinEncoder(corpus.texts, small);
  const b = await fitBuiltinEncoder(corpus.texts, small);
  const c = await fitBuiltinEncoder(corpus.texts.slice(1), small);
  assert.equal(a.id, b.id);
  assert.notEqual(a.id, c.id);
  assert.match(a.id, /^builtin:[0-9a-f]{16}$/);
  assert.equal(a.dimension, 8);
  const xa = await a.encode(corpus.texts);
  const xb = await b.encode(corpus.texts);
  assert.deepEqual(xa.data, xb.data);
  for (let i = 0; i < xa.rows; i++) {
    let s = 0;
    for (let j = 0; j < xa.cols; j++) s += xa.data[i * xa.cols + j] ** 2;
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
  // Nearest neighbour of each text shares its topic for most texts.
  let same = 0;
  for (let i = 0; i < xa.rows; i++) {
    let best = -1;
    let bestSim = -Infinity;
    for (let j = 0; j < xa.rows; j++) {
      if (j === i) continue;
      let s = 0;
      for (let k = 0; k < xa.cols; k++) s += xa.data[i * xa.cols + k] * xa.data[j * xa.cols + k];
      if (s > bestSim) [best, bestSim] = [j, s];
    }
    if (corpus.topics[best] === corpus.topics[i]) same++;
  }
  assert.ok(same >= 11, `only ${same}/15 nearest neighbours share the topic`);
  // Fold-in of unseen text works, unknown words give a zero vector.
  const fresh = await a.encode(['Le match de football au stade', 'zzzz qqqq']);
  assert.equal(fresh.rows, 2);
  assert.ok(fresh.data.slice(0, 8).some((v) => v !== 0));
});

test('save/load round-trips vectors and id; a damaged file is an InputError; writes are atomic', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-builtin-'));
  try {
    const enc = await fitBuiltinEncoder(corpus.texts, small);
    const file = path.join(dir, 'models', 'builtin.bin');
    await saveBuiltinEncoder(enc, file);
    assert.deepEqual(readdirSync(path.dirname(file)), ['builtin.bin']);
    const loaded = await loadBuiltinEncoder(file);
    assert.equal(loaded.id, enc.id);
    assert.deepEqual((await loaded.encode(corpus.texts)).data, (await enc.encode(corpus.texts)).data);
    const viaSpec = await resolveEncoder(`builtin:${file}`);
    assert.equal(viaSpec.id, enc.id);
    const bytes = readFileSync(file);
    writeFileSync(path.join(dir, 'cut.bin'), bytes.subarray(0, bytes.length - 8));
    await assert.rejects(loadBuiltinEncoder(path.join(dir, 'cut.bin')), InputError);
    writeFileSync(path.join(dir, 'bad.bin'), 'hello');
    await assert.rejects(loadBuiltinEncoder(path.join(dir, 'bad.bin')), /bad magic/);
    assert.ok(!existsSync(path.join(dir, 'missing.bin')));
    await assert.rejects(loadBuiltinEncoder(path.join(dir, 'missing.bin')), InputError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolveEncoder("builtin") fits on the corpus; cancellation stops the fit', async () => {
  const enc = await resolveEncoder('builtin', { corpus: corpus.texts, seed: 7 });
  assert.match(enc.id, /^builtin:/);
  await assert.rejects(resolveEncoder('builtin', {}), InputError);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(fitBuiltinEncoder(corpus.texts, { ...small, signal: controller.signal }), CancelledError);
});
