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
import { fitTfidf } from '../../../src/engine/encoders/builtin/tfidf';
import { createHashSketch, sketchRow } from '../../../src/engine/encoders/builtin/sketch';
import { symmetricEigen } from '../../../src/engine/encoders/builtin/dense';
import type { SparseRows } from '../../../src/engine/encoders/builtin/sparse';
import { BUILTIN_METHOD_VERSION, BuiltinEncoder } from '../../../src/engine/encoders/builtin/encoder';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { InputError } from '../../../src/engine/util/errors';
import { CancelledError } from '../../../src/engine/util/job';
import { createRng } from '../../../src/engine/util/random';
import { spearman } from '../../../src/engine/metrics';

const corpus = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/builtin/corpus.json'), 'utf8')) as {
  texts: string[];
  topics: string[];
};
const small = { topicRank: 9, dropComponents: 1, lexicalDimension: 32, seed: 7 };

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
  assert.equal(a.dimension, 8 + 32);
  assert.equal(a.topicColumns, 8);
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
  // 8 of 15 with the fixed sketch seed, whatever the fit's seed. When the sketch followed the
  // seed, seeds 1–12 gave 5–12 (median 7.5) with this 32-d sketch: 11 at seed 7 was a lucky draw.
  assert.ok(same >= 8, `only ${same}/15 nearest neighbours share the topic`);
  // Fold-in of unseen text works, unknown words give a zero vector.
  const fresh = await a.encode(['Le match de football au stade', 'zzzz qqqq']);
  assert.equal(fresh.rows, 2);
  assert.ok(fresh.data.slice(0, a.dimension).some((v) => v !== 0));
  assert.ok(fresh.data.slice(a.dimension).every((v) => v === 0));
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

/** The file with its JSON header rewritten by `edit` (the float payload kept as it is). */
function rewriteHeader(bytes: Buffer, edit: (header: Record<string, unknown>) => void): Buffer {
  const magic = 8;
  const length = bytes.readUInt32LE(magic);
  const header = JSON.parse(bytes.subarray(magic + 4, magic + 4 + length).toString('utf8')) as Record<string, unknown>;
  let offset = magic + 4 + length;
  offset += (4 - (offset % 4)) % 4;
  edit(header);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((magic + 4 + json.length) % 4)) % 4;
  const prefix = Buffer.alloc(magic + 4 + json.length + pad);
  bytes.copy(prefix, 0, 0, magic);
  prefix.writeUInt32LE(json.length, magic);
  json.copy(prefix, magic + 4);
  return Buffer.concat([prefix, bytes.subarray(offset)]);
}

test('a file fitted by an earlier method version still loads with its id and encodes as saved (a head run keeps its base); changed content is refused', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-builtin-'));
  try {
    const enc = await fitBuiltinEncoder(corpus.texts, small);
    const old = new BuiltinEncoder({ ...enc.state, methodVersion: BUILTIN_METHOD_VERSION - 1 });
    assert.notEqual(old.id, enc.id, 'the id hashes the method version');
    const file = path.join(dir, 'old.bin');
    await saveBuiltinEncoder(old, file);
    const loaded = await loadBuiltinEncoder(file);
    assert.equal(loaded.id, old.id);
    assert.deepEqual((await loaded.encode(corpus.texts)).data, (await enc.encode(corpus.texts)).data);
    assert.ok(loaded.notes.some((n) => n.includes(`method ${BUILTIN_METHOD_VERSION - 1}`)), loaded.notes.join('; '));
    // A file from before the version was recorded: the version is found from its id.
    const legacy = path.join(dir, 'legacy.bin');
    writeFileSync(legacy, rewriteHeader(readFileSync(file), (h) => delete h.methodVersion));
    assert.equal((await loadBuiltinEncoder(legacy)).id, old.id);
    // A header that claims another version than its content, or a changed weight: refused.
    writeFileSync(path.join(dir, 'claims.bin'), rewriteHeader(readFileSync(file), (h) => (h.methodVersion = BUILTIN_METHOD_VERSION)));
    await assert.rejects(loadBuiltinEncoder(path.join(dir, 'claims.bin')), /does not match its id/);
    const changed = readFileSync(legacy);
    changed.writeFloatLE(changed.readFloatLE(changed.length - 4) + 1, changed.length - 4);
    writeFileSync(path.join(dir, 'changed.bin'), changed);
    await assert.rejects(loadBuiltinEncoder(path.join(dir, 'changed.bin')), /does not match its id/);
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

const reference = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/builtin/sklearn-reference.json'), 'utf8')) as {
  texts: number;
  terms: string[];
  df: number[];
  idf: number[];
  entropy: number[];
  topicSingularValues: number[];
  lexicalCosines: [number, number, number][];
  stsSampleTfidfSpearman: number;
};
const sampleDir = path.join(__dirname, '../../fixtures/sample');
const readJsonl = <T>(file: string): T[] =>
  readFileSync(path.join(sampleDir, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);
const agTexts = readJsonl<{ title: string; description: string }>('ag-news-300.jsonl')
  .slice(0, reference.texts)
  .map((r) => `${r.title}. ${r.description}`);
/** Word n-grams only, nothing filtered: the settings scikit-learn's fixture used. */
const wordsOnly = {
  wordNgrams: [1, 2] as [number, number],
  charNgrams: null,
  minDf: 1,
  topicMinDf: 2,
  maxDf: 1,
  maxFeatures: 1_000_000,
  charWeight: 1,
  topicWeighting: 'idf-entropy' as const,
};

test('term weights match scikit-learn (vocabulary, smoothed IDF) and numpy (log-entropy)', async () => {
  const { model } = await fitTfidf(agTexts, wordsOnly);
  assert.deepEqual([...model.terms].sort(), [...reference.terms].sort());
  const column = new Map(model.terms.map((t, c) => [t, c]));
  reference.terms.forEach((term, r) => {
    const c = column.get(term)!;
    const unigram = !term.includes(' ');
    const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-5 * Math.max(1, Math.abs(b)), `${what} of "${term}": ${a} vs ${b}`);
    close(model.lexicalWeight[c], unigram ? reference.idf[r] : 0, 'lexical weight');
    close(model.topicWeight[c], reference.df[r] >= 2 ? reference.idf[r] * reference.entropy[r] : 0, 'topic weight');
  });
});

test('the lexical view is scikit-learn\'s sublinear TF-IDF; the topic view has numpy\'s singular values', async () => {
  const { views } = await fitTfidf(agTexts, wordsOnly);
  const rowOf = (i: number): Map<number, number> => {
    const m = new Map<number, number>();
    for (let p = views.lexical.indptr[i]; p < views.lexical.indptr[i + 1]; p++) m.set(views.lexical.indices[p], views.lexical.values[p]);
    return m;
  };
  for (const [i, j, expected] of reference.lexicalCosines) {
    const a = rowOf(i);
    let s = 0;
    for (const [c, v] of rowOf(j)) s += v * (a.get(c) ?? 0);
    assert.ok(Math.abs(s - expected) < 1e-5, `cos(${i}, ${j}) = ${s}, scikit-learn ${expected}`);
  }
  const svd = await randomizedSvd(views.topic, { rank: 8, seed: 3, powerIterations: 6, oversample: 20 });
  reference.topicSingularValues.forEach((sigma, k) =>
    assert.ok(Math.abs(svd.singularValues[k] - sigma) < 1e-3 * reference.topicSingularValues[0], `σ${k} ${svd.singularValues[k]} vs ${sigma}`),
  );
});

test('the hashing sketch preserves inner products of sparse rows without bias', () => {
  const rng = createRng(5);
  const cols = 400;
  const terms = Array.from({ length: cols }, (_, c) => `term${c}`);
  const sketch = createHashSketch(terms, 256, 4, 42);
  // 300 sparse unit rows of 30 non-zeros each.
  const rows = 300;
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    const picked = new Set<number>();
    while (picked.size < 30) picked.add(Math.floor(rng() * cols));
    const cs = [...picked].sort((a, b) => a - b);
    const vs = cs.map(() => rng());
    const norm = Math.hypot(...vs);
    cs.forEach((c, k) => {
      indices.push(c);
      values.push(vs[k] / norm);
    });
    indptr[i + 1] = indices.length;
  }
  const x: SparseRows = { rows, cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
  const sketched = Array.from({ length: rows }, (_, i) => {
    const out = new Float64Array(256);
    sketchRow(sketch, x, i, out);
    return out;
  });
  const exact = (i: number, j: number): number => {
    let s = 0;
    for (let p = indptr[i]; p < indptr[i + 1]; p++)
      for (let q = indptr[j]; q < indptr[j + 1]; q++) if (indices[p] === indices[q]) s += values[p] * values[q];
    return s;
  };
  let bias = 0;
  let square = 0;
  let count = 0;
  for (let i = 0; i < rows; i += 3)
    for (let j = i + 1; j < rows; j += 7) {
      let s = 0;
      for (let k = 0; k < 256; k++) s += sketched[i][k] * sketched[j][k];
      const e = s - exact(i, j);
      bias += e;
      square += e * e;
      count++;
    }
  // Var ≈ (1 + cos²)/d for unit rows: standard error ≈ 1/16.
  assert.ok(Math.abs(bias / count) < 0.01, `mean error ${bias / count}`);
  const rms = Math.sqrt(square / count);
  assert.ok(rms > 0.03 && rms < 0.09, `rms error ${rms}`);
  assert.deepEqual(createHashSketch(terms, 256, 4, 42).buckets, sketch.buckets);
  assert.notDeepEqual(createHashSketch(terms, 256, 4, 43).buckets, sketch.buckets);
});

test('the output is [topic, lexical] with the lexical share of the squared norm', async () => {
  const shares = (x: { rows: number; cols: number; data: Float32Array }): [number, number][] =>
    Array.from({ length: x.rows }, (_, i) => {
      let topic = 0;
      let lexical = 0;
      for (let j = 0; j < x.cols; j++) {
        if (j < 8) topic += x.data[i * x.cols + j] ** 2;
        else lexical += x.data[i * x.cols + j] ** 2;
      }
      return [topic, lexical];
    });
  // Every residual counts as large: the lexical part has exactly its share.
  const exact = await fitBuiltinEncoder(agTexts, { topicRank: 9, lexicalDimension: 64, lexicalWeight: 0.7, lexicalFullResidual: 0.01, seed: 1 });
  assert.equal(exact.dimension, 8 + 64);
  shares(await exact.encode(agTexts)).forEach(([topic, lexical], i) =>
    assert.ok(Math.abs(topic - 0.3) < 1e-5 && Math.abs(lexical - 0.7) < 1e-5, `row ${i}: ${topic} + ${lexical}`),
  );
  // By default a text the 9-d LSA explains well keeps a shorter lexical part.
  const enc = await fitBuiltinEncoder(agTexts, { topicRank: 9, lexicalDimension: 64, lexicalWeight: 0.7, seed: 1 });
  const x = await enc.encode(agTexts);
  const parts = shares(x);
  parts.forEach(([topic, lexical], i) => assert.ok(Math.abs(topic + lexical - 1) < 1e-5 && lexical < 0.7 + 1e-5, `row ${i}: ${topic} + ${lexical}`));
  assert.ok(parts.some(([, lexical]) => lexical < 0.69));
  // Encoding the corpus from its remembered views equals folding the same texts in.
  const loaded = new (enc.constructor as typeof BuiltinEncoder)(enc.state);
  const folded = await loaded.encode(agTexts);
  for (let k = 0; k < x.data.length; k++) assert.ok(Math.abs(folded.data[k] - x.data[k]) < 1e-5);
  // lexicalWeight 0 is the plain LSA encoder.
  const lsa = await fitBuiltinEncoder(agTexts, { topicRank: 9, lexicalWeight: 0, seed: 1 });
  assert.equal(lsa.dimension, 8);
});

test('on the STSb sample the encoder scores about as well as a TF-IDF cosine (scikit-learn)', async () => {
  const pairs = readJsonl<{ text1: string; text2: string; score: number }>('stsb-100.jsonl');
  const texts = [...pairs.map((p) => p.text1), ...pairs.map((p) => p.text2)];
  const enc = await fitBuiltinEncoder(texts, { seed: 42 });
  const x = await enc.encode(texts);
  const n = pairs.length;
  const cos = pairs.map((_, i) => {
    let s = 0;
    for (let k = 0; k < x.cols; k++) s += x.data[i * x.cols + k] * x.data[(i + n) * x.cols + k];
    return s;
  });
  const rho = spearman(cos, pairs.map((p) => p.score));
  assert.ok(rho > reference.stsSampleTfidfSpearman - 0.03, `Spearman ${rho}, TF-IDF cosine ${reference.stsSampleTfidfSpearman}`);
});

for (const version of [1, 2])
test(`a model file of a previous format (schemaVersion ${version}) is refused with a message to refit`, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-builtin-v1-'));
  try {
    const json = Buffer.from(JSON.stringify({ schemaVersion: version, kind: 'builtin', id: 'builtin:0', options: {}, rank: 1, features: 1, wordCount: 1, terms: ['a'] }));
    const head = Buffer.alloc(12);
    head.write('EMBLBI01', 0, 'latin1');
    head.writeUInt32LE(json.length, 8);
    const file = path.join(dir, 'old.bin');
    writeFileSync(file, Buffer.concat([head, json, Buffer.alloc(16)]));
    await assert.rejects(loadBuiltinEncoder(file), (err: Error) => {
      assert.ok(err instanceof InputError);
      assert.match(err.message, new RegExp(`older built-in encoder \\(schemaVersion ${version}`));
      assert.match(err.message, /refit/);
      assert.match(err.message, /old\.bin/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
