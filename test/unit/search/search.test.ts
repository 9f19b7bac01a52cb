import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVectorIndex, searchRecord, searchText } from '../../../src/engine/search/index';
import { createRng, gaussian } from '../../../src/engine/util/random';
import type { Encoder } from '../../../src/engine/encoders/encoder';
import type { Matrix } from '../../../src/engine/util/matrix';
import { fitBuiltinEncoder } from '../../../src/engine/encoders/builtin';
import { InputError } from '../../../src/engine/util/errors';

function randomMatrix(n: number, d: number, seed: number): Matrix {
  const rng = createRng(seed);
  const centres = Array.from({ length: 30 * d }, () => gaussian(rng));
  return { rows: n, cols: d, data: Float32Array.from({ length: n * d }, (_, t) => centres[(Math.floor(t / d) % 30) * d + (t % d)] + 0.5 * gaussian(rng)) };
}

test('exact search returns the brute-force top-k with cosine scores', async () => {
  const x = randomMatrix(500, 24, 2);
  const index = await createVectorIndex(x);
  assert.equal(index.approximate, false);
  const q = Float32Array.from({ length: 24 }, (_, j) => Math.sin(j));
  const hits = index.search(q, 5);
  const all = Array.from({ length: 500 }, (_, i) => {
    let ab = 0;
    let bb = 0;
    let aa = 0;
    for (let j = 0; j < 24; j++) {
      ab += q[j] * x.data[i * 24 + j];
      aa += q[j] ** 2;
      bb += x.data[i * 24 + j] ** 2;
    }
    return { i, s: ab / Math.sqrt(aa * bb) };
  }).sort((a, b) => b.s - a.s);
  assert.deepEqual(hits.map((h) => h.index), all.slice(0, 5).map((a) => a.i));
  for (let t = 0; t < 5; t++) assert.ok(Math.abs(hits[t].score - all[t].s) < 1e-5);
});

test('record neighbours exclude the record itself', async () => {
  const x = randomMatrix(200, 8, 3);
  const index = await createVectorIndex(x);
  const hits = searchRecord(index, 17, 10);
  assert.equal(hits.length, 10);
  assert.ok(hits.every((h) => h.index !== 17));
  assert.ok(hits[0].score >= hits[9].score);
  assert.throws(() => searchRecord(index, 200, 3));
});

test('approximate index has recall@10 ≥ 0.9 against exact search', async () => {
  const x = randomMatrix(4000, 32, 4);
  const exact = await createVectorIndex(x, { approximate: false });
  const approx = await createVectorIndex(x, { approximate: true, seed: 1 });
  assert.equal(approx.approximate, true);
  let hit = 0;
  for (let i = 0; i < 100; i++) {
    const truth = new Set(exact.neighbours(i * 40, 10).map((h) => h.index));
    for (const h of approx.neighbours(i * 40, 10)) if (truth.has(h.index)) hit++;
  }
  assert.ok(hit / 1000 >= 0.9, `recall ${hit / 1000}`);
});

test('free-text search encodes the query with role "query"', async () => {
  const roles: (string | undefined)[] = [];
  const encoder: Encoder = {
    id: 'fake',
    dimension: 2,
    normalized: false,
    async encode(texts, options) {
      roles.push(options?.role);
      return { rows: texts.length, cols: 2, data: Float32Array.from(texts.flatMap((t) => (t.includes('sport') ? [1, 0] : [0, 1]))) };
    },
    async dispose() {},
  };
  const index = await createVectorIndex({ rows: 3, cols: 2, data: Float32Array.from([0, 1, 1, 0.1, 0.2, 1]) });
  const hits = await searchText(index, encoder, 'sport news', 2);
  assert.deepEqual(roles, ['query']);
  assert.equal(hits[0].index, 1);
});

test('a query the built-in encoder cannot represent (all-zero vector) is an error naming the query', async () => {
  const corpus = ['stocks fell on the market today', 'the team won the game', 'stocks rose as markets rallied', 'the coach praised the team'];
  const encoder = await fitBuiltinEncoder(corpus, { seed: 1 });
  const index = await createVectorIndex(await encoder.encode(corpus));
  const hits = await searchText(index, encoder, 'stocks market', 2);
  assert.deepEqual(hits.map((h) => h.index).sort(), [0, 2]);
  await assert.rejects(searchText(index, encoder, 'ж', 2), (e: unknown) => e instanceof InputError && /field "query": the query "ж" has no word/.test(e.message));
});
