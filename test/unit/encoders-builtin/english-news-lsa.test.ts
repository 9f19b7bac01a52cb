/**
 * Issue 14, goal 3: the built-in encoder + k-means must not fall below scikit-learn's
 * TF-IDF → LSA(256) → k-means on English news of 5 topics. The check runs the job of
 * `embedlab cluster <file> --label label --algo kmeans --k 5 --seed N` on the shipped slice of the
 * News Category Dataset (test/fixtures/news-category, CC BY 4.0) and compares its NMI with
 * scikit-learn's, stored for seeds 1, 2, 3, 7 and 42 by make-sklearn-reference.py (no Python here).
 * Two of the five seeds (one fit + encode + k-means takes ~12 s on this machine); the bench
 * section `builtin` runs all five against scikit-learn in the same run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { clusterFileJob } from '../../../src/engine/jobs/cluster-file-job';

const dir = path.join(__dirname, '../../fixtures/news-category');

interface SklearnReference {
  sklearn: string;
  texts: number;
  k: number;
  nmi: Record<string, number>;
  mean: number;
}

/**
 * How far one seed of ours may fall below scikit-learn's mean: k-means on fixed vectors moves
 * NMI by about ±0.01 across seeds (0.526–0.546 on AG News, issue 14), so one unlucky start of
 * ours is not a regression; our mean must still reach theirs.
 */
const WORST_SEED_MARGIN = 0.02;

test('the built-in encoder + k-means (k=5) is not below scikit-learn TF-IDF → LSA(256) → k-means on 5 topics of English news', async () => {
  const ref = JSON.parse(readFileSync(path.join(dir, 'sklearn-reference.json'), 'utf8')) as SklearnReference;
  const seeds = [1, 42];
  const ours: number[] = [];
  for (const seed of seeds) {
    const r = await clusterFileJob(
      { file: path.join(dir, 'huffpost-5-topics.jsonl'), template: '{title}. {description}', label: 'label', algo: 'kmeans', k: ref.k, seed, topN: 5 },
      { secrets: {} },
    );
    assert.equal(r.n, ref.texts, 'the slice the reference was computed on');
    assert.equal(r.clusters, ref.k);
    ours.push(r.metrics!.nmi);
  }
  const mean = ours.reduce((s, v) => s + v, 0) / ours.length;
  const detail = `ours ${ours.map((v, i) => `seed ${seeds[i]}: ${v.toFixed(3)}`).join(', ')}; scikit-learn ${ref.sklearn} mean ${ref.mean.toFixed(3)} over seeds ${Object.keys(ref.nmi).join(', ')}`;
  assert.ok(mean >= ref.mean, `our mean NMI ${mean.toFixed(3)} is below scikit-learn's LSA(256) + k-means (${detail})`);
  assert.ok(Math.min(...ours) >= ref.mean - WORST_SEED_MARGIN, `our worst seed is more than ${WORST_SEED_MARGIN} below scikit-learn's mean (${detail})`);
});
