import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../../../src/host/config-schema';
import { clusterChoices, clusterDefaults, describeClusterResult, parseK } from '../../../src/host/commands/cluster-plan';

const settings = (over: Record<string, unknown> = {}) => readSettings((k) => over[k]);

test('defaults: HDBSCAN with min cluster size 10, seed 42; k-means from the settings', () => {
  assert.deepEqual(clusterDefaults(settings()), { algo: 'hdbscan', minClusterSize: 10, reassignOutliers: false, seed: 42 });
  assert.deepEqual(clusterDefaults(settings({ 'cluster.algorithm': 'kmeans', 'cluster.k': '7', 'cluster.seed': 3 })), { algo: 'kmeans', k: 7, seed: 3 });
  assert.deepEqual(clusterDefaults(settings({ 'cluster.algorithm': 'kmeans', 'cluster.k': 'seven' })), { algo: 'kmeans', k: 'auto', seed: 42 });
});

test('parseK takes "auto" or an integer ≥ 2', () => {
  assert.equal(parseK('auto'), 'auto');
  assert.equal(parseK(' 12 '), 12);
  assert.equal(parseK('1'), undefined);
  assert.equal(parseK('2.5'), undefined);
  assert.equal(parseK('-3'), undefined);
});

test('the configured algorithm comes first in the quick pick', () => {
  assert.deepEqual(clusterChoices(settings()).map((c) => c.id), ['hdbscan', 'hdbscan-reassign', 'kmeans-auto', 'kmeans-k']);
  const km = clusterChoices(settings({ 'cluster.algorithm': 'kmeans', 'cluster.k': '5', 'cluster.minClusterSize': 20 }));
  assert.equal(km[0].id, 'kmeans-k');
  assert.equal(km[0].settings.k, 5);
  assert.equal(km.find((c) => c.id === 'hdbscan')?.settings.minClusterSize, 20);
  assert.equal(clusterChoices(settings({ 'cluster.reassignOutliers': true }))[0].id, 'hdbscan-reassign');
  assert.equal(clusterChoices(settings()).filter((c) => c.isDefault).length, 1);
});

test('the result message names clusters, outliers, label agreement and the largest topics', () => {
  const text = describeClusterResult('news', {
    count: 300,
    clusters: [{ id: 0, size: 20, keywords: ['oil', 'prices', 'crude', 'x'] }, { id: 1, size: 80, keywords: ['olympic', 'gold'] }],
    outliers: 12,
    metrics: { nmi: 0.4123, ari: 0.3, purity: 0.61 },
    seconds: 2.04,
    settings: { algo: 'hdbscan', seed: 1 },
  });
  assert.equal(text, '2 clusters in "news" (300 records, 12 outliers) · against the labels: NMI 0.41, ARI 0.30, purity 0.61 · 2.0 s. Largest topics: "olympic, gold"; "oil, prices, crude".');
});

test("the result message ends with the encoder's notes (what it chose from the data)", () => {
  const text = describeClusterResult('news', {
    count: 30,
    clusters: [{ id: 0, size: 30, keywords: ['oil'] }],
    outliers: 0,
    seconds: 1,
    settings: { algo: 'kmeans', k: 2, seed: 1 },
    notes: ['built-in encoder: topic view weighted by idf (auto: the median text has 80 word tokens)'],
  });
  assert.match(text, /Largest topics: "oil"\. Note: built-in encoder: topic view weighted by idf \(auto: the median text has 80 word tokens\)\.$/);
});
