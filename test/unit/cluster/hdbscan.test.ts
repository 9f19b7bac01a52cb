import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hdbscan } from '../../../src/engine/cluster/hdbscan';

interface Case {
  name: string;
  dim: number;
  minClusterSize: number;
  minSamples: number;
  x: number[];
  labels: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/cluster/hdbscan-sklearn.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

/** Same partition (noise as its own block, matched exactly), up to renaming of clusters. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((a[i] === -1) !== (b[i] === -1)) return false;
    if (ab.has(a[i]) && ab.get(a[i]) !== b[i]) return false;
    if (ba.has(b[i]) && ba.get(b[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

/** Points whose label differs after mapping each of our clusters to its majority reference label. */
function mismatches(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  const votes = new Map<number, Map<number, number>>();
  for (let i = 0; i < ours.length; i++) {
    const m = votes.get(ours[i]) ?? new Map<number, number>();
    m.set(ref[i], (m.get(ref[i]) ?? 0) + 1);
    votes.set(ours[i], m);
  }
  let bad = 0;
  for (const [label, m] of votes) {
    const best = label === -1 ? (m.get(-1) ?? 0) : Math.max(...m.values());
    for (const v of m.values()) bad += v;
    bad -= best;
  }
  return bad;
}

for (const c of fixture.cases) {
  for (const mst of ['prim', 'boruvka'] as const) {
    test(`HDBSCAN (${mst}) matches scikit-learn 1.9 on ${c.name}`, async () => {
      const n = c.x.length / c.dim;
      const { labels } = await hdbscan(
        { rows: n, cols: c.dim, data: Float32Array.from(c.x) },
        { minClusterSize: c.minClusterSize, minSamples: c.minSamples, mst },
      );
      assert.equal(labels.length, n);
      if (c.minSamples === 1) {
        // No ties in mutual reachability: the partition must be identical.
        assert.ok(samePartition(labels, c.labels), `labels differ: ours ${[...labels].join(',')}`);
      } else {
        // Core distances make many reachabilities equal; scikit-learn orders equal MST edges
        // with an unstable sort, so a point tied between two clusters may land in either.
        const ourClusters = new Set([...labels].filter((l) => l >= 0)).size;
        const refClusters = new Set(c.labels.filter((l) => l >= 0)).size;
        assert.equal(ourClusters, refClusters);
        assert.ok(mismatches(labels, c.labels) <= 1, `${mismatches(labels, c.labels)} points differ`);
      }
    });
  }
}

test('HDBSCAN: fewer points than the minimum cluster size are all noise', async () => {
  const { labels } = await hdbscan({ rows: 4, cols: 2, data: Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]) }, { minClusterSize: 5 });
  assert.deepEqual([...labels], [-1, -1, -1, -1]);
});
