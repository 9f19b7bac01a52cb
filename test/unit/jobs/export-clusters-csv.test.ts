import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clustersCsv } from '../../../src/engine/jobs/export-jobs';
import type { SavedClustering } from '../../../src/engine/project/cluster-cache';
import type { DatasetRecord } from '../../../src/engine/project/dataset-file';
import { parseCsv } from './read-csv';

function clustering(labels: number[]): SavedClustering {
  const n = labels.length;
  return {
    header: {
      magic: 'embedlab-clustering', schemaVersion: 1, dataset: 'news', encoderSpec: 'builtin', encoderId: 'builtin-x',
      settings: { algo: 'kmeans', k: 2, seed: 1 }, recordsHash: 'h', count: n, knnK: 0,
      clusters: [{ id: 0, size: 2, keywords: ['impôts', 'budget'] }, { id: 1, size: 1, keywords: ['football'] }],
      outliers: labels.filter((l) => l < 0).length, createdAt: '2026-01-01T00:00:00Z', seconds: 0,
    },
    coords: Float32Array.from({ length: 2 * n }, (_, i) => i / 8),
    labels: Int32Array.from(labels),
    knnIds: new Int32Array(0),
    knnSims: new Float32Array(0),
  };
}

test('the clusters CSV carries each record\'s text, quoted when it holds commas, quotes or line breaks', () => {
  const records: DatasetRecord[] = [
    { id: 'a', text: 'Le budget, voté "en urgence", passe.', label: 'Économie', fields: {} },
    { id: 'b', text: 'Première ligne\nseconde ligne', fields: {} },
    { id: 'c', text: 'But à la 90e minute', label: 'Sport', fields: {} },
    { id: 'd', text: 'Sans groupe', fields: {} },
  ];
  const csv = clustersCsv(records, clustering([0, 0, 1, -1]));
  assert.ok(csv.includes('"Le budget, voté ""en urgence"", passe."'), 'quotes doubled inside a quoted cell');
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], ['id', 'cluster', 'topic', 'x', 'y', 'label', 'text']);
  assert.equal(rows.length, 5);
  assert.deepEqual(rows.slice(1).map((r) => r[6]), records.map((r) => r.text));
  assert.deepEqual(rows.slice(1).map((r) => r[5]), ['Économie', '', 'Sport', '']);
  assert.deepEqual(rows.slice(1).map((r) => r[2]), ['impôts budget', 'impôts budget', 'football', 'outlier']);
  assert.deepEqual(rows[2].slice(0, 5), ['b', '0', 'impôts budget', '0.25', '0.375']);
});

test('without labels the text follows the coordinates', () => {
  const records: DatasetRecord[] = [{ id: 'x', text: 'un', fields: {} }, { id: 'y', text: 'deux', fields: {} }];
  const rows = parseCsv(clustersCsv(records, clustering([0, 1])));
  assert.deepEqual(rows[0], ['id', 'cluster', 'topic', 'x', 'y', 'text']);
  assert.deepEqual(rows[2], ['y', '1', 'football', '0.25', '0.375', 'deux']);
});
