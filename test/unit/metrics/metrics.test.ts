import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { spearman, pearson, nmi, ari, purity, silhouette, topkSameLabel } from '../../../src/engine/metrics';
import { createMatrix } from '../../../src/engine/util/matrix';

interface References {
  correlation: { a: number[]; b: number[]; spearman: number; pearson: number };
  labelings: { truth: (number | string)[]; pred: number[]; nmi: number; ari: number; purity: number }[];
  silhouette: { x: number[][]; labels: number[]; euclidean: number; cosine: number };
  topk: { k5: number; k20: number; labels: number[] };
}

const refs = JSON.parse(
  readFileSync(path.join(__dirname, '../../fixtures/metrics/references.json'), 'utf8'),
) as References;

function close(actual: number, expected: number, tol = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
}

const points = createMatrix(refs.silhouette.x.length, refs.silhouette.x[0].length, Float32Array.from(refs.silhouette.x.flat()));

test('spearman and pearson match scipy (with ties)', () => {
  close(spearman(refs.correlation.a, refs.correlation.b), refs.correlation.spearman);
  close(pearson(refs.correlation.a, refs.correlation.b), refs.correlation.pearson);
  close(spearman([1, 2, 3], [3, 2, 1]), -1);
});

test('nmi, ari and purity match scikit-learn (unbalanced, noise, string labels)', () => {
  for (const c of refs.labelings) {
    close(nmi(c.truth, c.pred), c.nmi);
    close(ari(c.truth, c.pred), c.ari);
    close(purity(c.truth, c.pred), c.purity);
  }
});

test('silhouette matches scikit-learn and ignores noise points', () => {
  close(silhouette(points, refs.silhouette.labels), refs.silhouette.euclidean, 1e-6);
  close(silhouette(points, refs.silhouette.labels, { metric: 'cosine' }), refs.silhouette.cosine, 1e-6);
  // A sample as large as the data is the full score; a smaller sample is seeded.
  close(silhouette(points, refs.silhouette.labels, { sampleSize: 1000 }), refs.silhouette.euclidean, 1e-6);
  const s1 = silhouette(points, refs.silhouette.labels, { sampleSize: 40, seed: 3 });
  assert.equal(silhouette(points, refs.silhouette.labels, { sampleSize: 40, seed: 3 }), s1);
  assert.ok(Math.abs(s1 - refs.silhouette.euclidean) < 0.2);
  assert.ok(Number.isNaN(silhouette(points, new Array<number>(points.rows).fill(0))));
});

test('topkSameLabel matches a numpy reference', () => {
  close(topkSameLabel(points, refs.topk.labels, { k: 5 }), refs.topk.k5, 1e-9);
  close(topkSameLabel(points, refs.topk.labels, { k: 20 }), refs.topk.k20, 1e-9);
  const sampled = topkSameLabel(points, refs.topk.labels, { k: 5, sample: 30, seed: 1 });
  assert.equal(topkSameLabel(points, refs.topk.labels, { k: 5, sample: 30, seed: 1 }), sampled);
  assert.ok(sampled >= 0 && sampled <= 1);
});

test('cosine silhouette by cluster sums equals the pairwise definition (zero rows, samples, unequal norms)', () => {
  // Pairwise reference: cosine distance 1 − cos (1 against a zero row), own cluster without the point itself.
  const pairwise = (x: number[][], labels: number[]): number => {
    const cos = (a: number[], b: number[]): number => {
      const na = Math.hypot(...a);
      const nb = Math.hypot(...b);
      return na > 0 && nb > 0 ? a.reduce((s, v, j) => s + v * b[j], 0) / (na * nb) : 0;
    };
    const ks = [...new Set(labels)];
    let total = 0;
    x.forEach((a, i) => {
      const mean = (c: number): number => {
        const others = x.filter((_, j) => j !== i && labels[j] === c);
        return others.reduce((s, b) => s + Math.max(0, 1 - cos(a, b)), 0) / others.length;
      };
      if (labels.filter((l) => l === labels[i]).length <= 1) return;
      const own = mean(labels[i]);
      const other = Math.min(...ks.filter((c) => c !== labels[i]).map(mean));
      total += (other - own) / Math.max(own, other);
    });
    return total / x.length;
  };
  const x = [[1, 0, 0], [2, 0.1, 0], [0, 0, 0], [0, 3, 1], [0.1, 1, 0.2], [0, 0.5, 2], [1, 1, 1], [0, 0, 4]];
  const labels = [0, 0, 0, 1, 1, 2, 2, 2];
  const m = createMatrix(x.length, 3, Float32Array.from(x.flat()));
  close(silhouette(m, labels, { metric: 'cosine' }), pairwise(x, labels), 1e-6);
  // A sample: distances among the sampled points only.
  const big = refs.silhouette.x;
  const sampled = silhouette(points, refs.silhouette.labels, { metric: 'cosine', sampleSize: 30, seed: 5 });
  assert.ok(Number.isFinite(sampled) && Math.abs(sampled - refs.silhouette.cosine) < 0.3, `${sampled}`);
  close(silhouette(points, refs.silhouette.labels, { metric: 'cosine', sampleSize: big.length }), refs.silhouette.cosine, 1e-6);
});
