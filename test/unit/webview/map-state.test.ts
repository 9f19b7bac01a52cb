import { test } from 'node:test';
import assert from 'node:assert/strict';
import { andMasks, clusterMask, maskOf, matchTexts, valuesFor } from '../../../webview/map/map-state';
import type { MapPoints } from '../../../src/protocol/map';

const points: MapPoints = {
  dataset: 'd',
  coords: new Float32Array(8),
  clusterLabels: Int32Array.from([0, 1, -1, 1]),
  clusters: [{ id: 0, size: 1, keywords: ['a'] }, { id: 1, size: 2, keywords: ['b'] }],
  ids: ['a', 'b', 'c', 'd'],
  texts: ['Oil prices rise', 'Football final', 'OIL spill', 'Chips'],
  labels: Int32Array.from([3, 2, 1, 0]),
  annotated: Uint8Array.from([0, 1, 0, 1]),
  runs: [{ id: 'r', name: 'r', values: Int32Array.from([5, 5, 6, -1]) }],
};

test('valuesFor picks the labelling of each colour mode', () => {
  assert.deepEqual(Array.from(valuesFor(points, 'cluster')), [0, 1, -1, 1]);
  assert.deepEqual(Array.from(valuesFor(points, 'label')), [3, 2, 1, 0]);
  assert.deepEqual(Array.from(valuesFor(points, 'annotation')), [-1, 2, -1, 2]);
  assert.deepEqual(Array.from(valuesFor(points, 'run', 'r')), [5, 5, 6, -1]);
});

test('masks and text matching', () => {
  assert.deepEqual([...maskOf(4, [3, 1, 9])], [0, 1, 0, 1]);
  assert.equal(clusterMask(points.clusterLabels, new Set()), undefined);
  assert.deepEqual([...clusterMask(points.clusterLabels, new Set([1]))!], [0, 1, 0, 1]);
  assert.deepEqual([...andMasks(Uint8Array.from([1, 1, 0, 0]), Uint8Array.from([1, 0, 1, 0]))!], [1, 0, 0, 0]);
  assert.deepEqual([...matchTexts(points.texts, ' oil ')], [0, 2]);
  assert.equal(matchTexts(points.texts, '  ').length, 0);
});
