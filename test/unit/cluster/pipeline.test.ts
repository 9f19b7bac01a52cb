import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterEmbeddings } from '../../../src/engine/cluster/pipeline';
import { reassignOutliers } from '../../../src/engine/cluster/reassign';
import { createRng, gaussian } from '../../../src/engine/util/random';
import { CancelledError } from '../../../src/engine/util/job';
import type { Matrix } from '../../../src/engine/util/matrix';

const WORDS = [
  ['goal', 'match', 'team', 'league'],
  ['bank', 'market', 'shares', 'profit'],
  ['chip', 'software', 'internet', 'computer'],
];

function corpus(): { x: Matrix; texts: string[]; truth: number[] } {
  const rng = createRng(3);
  const n = 120;
  const d = 16;
  const data = new Float32Array(n * d);
  const texts: string[] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    truth.push(c);
    for (let j = 0; j < d; j++) data[i * d + j] = gaussian(rng) * 0.2 + (j % 3 === c ? 1 : 0);
    const w = WORDS[c];
    texts.push(`${w[i % 4]} ${w[(i + 1) % 4]} and the ${w[(i + 2) % 4]}`);
  }
  return { x: { rows: n, cols: d, data }, texts, truth };
}

function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const m = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if (m.has(a[i]) && m.get(a[i]) !== b[i]) return false;
    m.set(a[i], b[i]);
  }
  return new Set(m.values()).size === m.size;
}

test('k-means pipeline: recovers the groups, names them, and is deterministic', async () => {
  const { x, texts, truth } = corpus();
  const a = await clusterEmbeddings(x, texts, { algo: 'kmeans', k: 3, seed: 9, nNeighbors: 8 });
  const b = await clusterEmbeddings(x, texts, { algo: 'kmeans', k: 3, seed: 9, nNeighbors: 8 });
  assert.ok(samePartition(a.labels, truth));
  assert.deepEqual(a.labels, b.labels);
  assert.deepEqual(a.coords2d, b.coords2d);
  assert.equal(a.coords2d!.length, 240);
  assert.equal(a.knn?.k, 8);
  const keywordSets = a.clusters.map((c) => c.keywords.slice(0, 4).sort().join(' '));
  for (const w of WORDS) assert.ok(keywordSets.includes([...w].sort().join(' ')), keywordSets.join(' | '));
});

test('k-means with k auto picks 3 on three separated groups', async () => {
  const { x, texts } = corpus();
  const r = await clusterEmbeddings(x, texts, { algo: 'kmeans', k: 'auto', seed: 1, layout2d: false });
  assert.equal(r.clusters.length, 3);
});

test('HDBSCAN pipeline is deterministic and reassignment leaves no outliers', async () => {
  const { x, texts } = corpus();
  const opts = { algo: 'hdbscan' as const, minClusterSize: 10, seed: 4, nNeighbors: 10, layout2d: false, reassignOutliers: true };
  const a = await clusterEmbeddings(x, texts, opts);
  const b = await clusterEmbeddings(x, texts, opts);
  assert.deepEqual(a.labels, b.labels);
  assert.ok(a.clusters.length >= 2);
  assert.equal(a.labels.filter((l) => l < 0).length, 0);
});

test('an aborted signal rejects with CancelledError', async () => {
  const { x, texts } = corpus();
  const c = new AbortController();
  c.abort();
  await assert.rejects(clusterEmbeddings(x, texts, { algo: 'kmeans', k: 3, seed: 1, signal: c.signal }), CancelledError);
  const c2 = new AbortController();
  const p = clusterEmbeddings(x, texts, {
    algo: 'hdbscan',
    seed: 1,
    signal: c2.signal,
    onProgress: (pr) => {
      if (pr.stage.startsWith('umap') && pr.done >= 10) c2.abort();
    },
  });
  await assert.rejects(p, CancelledError);
});

test('outlier reassignment goes to the nearest centroid and honours the threshold', () => {
  const x: Matrix = { rows: 5, cols: 2, data: Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0.8, 0.3, -1, -0.05]) };
  const labels = Int32Array.from([0, 0, 1, -1, -1]);
  // Point 4 points away from both centroids; it is least far from cluster 1 (cos −0.05 vs −1).
  assert.deepEqual([...reassignOutliers(x, labels).labels], [0, 0, 1, 0, 1]);
  const kept = reassignOutliers(x, labels, { minSimilarity: 0.5 });
  assert.deepEqual([...kept.labels], [0, 0, 1, 0, -1]);
  assert.equal(kept.reassigned, 1);
});

test('k-means on the leading columns (an encoder topic part) ignores the trailing ones', async () => {
  // Columns 0–1: three groups (the topic); columns 2–9: a stronger two-group pattern unrelated to it.
  const rng = createRng(5);
  const n = 90;
  const d = 10;
  const data = new Float32Array(n * d);
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    truth.push(c);
    data[i * d] = Math.cos((2 * Math.PI * c) / 3) + 0.05 * gaussian(rng);
    data[i * d + 1] = Math.sin((2 * Math.PI * c) / 3) + 0.05 * gaussian(rng);
    for (let j = 2; j < d; j++) data[i * d + j] = (i % 2 === 0 ? 3 : -3) * (j % 2 === 0 ? 1 : -1) + 0.05 * gaussian(rng);
  }
  const x = { rows: n, cols: d, data };
  const texts = truth.map((c, i) => `${WORDS[c][i % 4]} ${WORDS[c][(i + 1) % 4]}`);
  const topic = await clusterEmbeddings(x, texts, { algo: 'kmeans', k: 3, seed: 1, layout2d: false, kmeansColumns: 2 });
  assert.ok(samePartition(topic.labels, truth));
  const whole = await clusterEmbeddings(x, texts, { algo: 'kmeans', k: 3, seed: 1, layout2d: false });
  assert.ok(!samePartition(whole.labels, truth));
  await assert.rejects(clusterEmbeddings(x, texts, { algo: 'kmeans', k: 3, seed: 1, layout2d: false, kmeansColumns: 0.5 }), /kmeansColumns/);
});

test('k-means (bounded Lloyd) ends at a fixed point: each label is the nearest centroid, each centroid its cluster mean', async () => {
  const { kmeans } = await import('../../../src/engine/cluster/kmeans');
  const rng = createRng(11);
  const n = 400;
  const d = 12;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = gaussian(rng) + ((i % 5) === j % 5 ? 1.5 : 0);
  const r = await kmeans({ rows: n, cols: d, data }, { k: 5, seed: 3, nInit: 3, tol: 0 });
  const c = r.centroids.data;
  for (let i = 0; i < n; i++) {
    const dist = (k: number): number => {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j] - c[k * d + j]) ** 2;
      return s;
    };
    for (let k = 0; k < 5; k++) assert.ok(dist(r.labels[i]) <= dist(k) + 1e-9, `point ${i}`);
  }
  for (let k = 0; k < 5; k++) {
    const members = [...r.labels.keys()].filter((i) => r.labels[i] === k);
    for (let j = 0; j < d; j++) {
      const mean = members.reduce((s, i) => s + data[i * d + j], 0) / members.length;
      assert.ok(Math.abs(mean - c[k * d + j]) < 1e-4, `centroid ${k}`);
    }
  }
});

test('k-means restarts screened on a sample end at the same lowest inertia as restarts on all points', async () => {
  const { kmeans } = await import('../../../src/engine/cluster/kmeans');
  // Six blobs for k=4: several local minima; the lowest one merges the closest pairs.
  const rng = createRng(21);
  const centres = [[0, 0], [0.6, 0], [5, 0], [5, 0.6], [0, 5], [5, 5]];
  const n = 1200;
  const data = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length];
    data[2 * i] = c[0] + 0.15 * gaussian(rng);
    data[2 * i + 1] = c[1] + 0.15 * gaussian(rng);
  }
  const x = { rows: n, cols: 2, data };
  const full = await kmeans(x, { k: 4, seed: 1, nInit: 10 });
  for (const seed of [1, 2, 3]) {
    const screened = await kmeans(x, { k: 4, seed, nInit: 10, screenSample: 300, screenKeep: 3 });
    assert.ok(Math.abs(screened.inertia - full.inertia) <= 1e-6 * full.inertia, `seed ${seed}: ${screened.inertia} vs ${full.inertia}`);
    assert.equal(screened.labels.length, n);
  }
});
