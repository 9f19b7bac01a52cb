import { test } from 'node:test';
import assert from 'node:assert/strict';
import { andMasks, clusterMask, legendEntries, maskOf, matchTexts, mergeMatches, valuesFor } from '../../../webview/map/map-state';
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
  labelNames: ['Business', 'Sci/Tech', 'Sports', 'World'],
  runs: [{ id: 'r', name: 'r', values: Int32Array.from([5, 5, 6, -1]), names: Object.assign([], { 5: '#5 oil, gas', 6: '#6 football' }) }],
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

test('the legend follows the colouring: clusters with keywords, labels, annotation status, a run; largest first, none last', () => {
  assert.deepEqual(legendEntries(points, 'cluster'), [
    { value: 1, tag: '#1', text: 'b', size: 2 },
    { value: 0, tag: '#0', text: 'a', size: 1 },
    { value: -1, tag: '', text: 'outliers', size: 1 },
  ]);
  assert.deepEqual(legendEntries(points, 'label').map((e) => e.text), ['Business', 'Sci/Tech', 'Sports', 'World']);
  assert.deepEqual(legendEntries(points, 'annotation'), [
    { value: 2, tag: '', text: 'in an annotated pair', size: 2 },
    { value: -1, tag: '', text: 'not annotated yet', size: 2 },
  ]);
  assert.deepEqual(legendEntries(points, 'run', 'r'), [
    { value: 5, tag: '#5', text: 'oil, gas', size: 2 },
    { value: 6, tag: '#6', text: 'football', size: 1 },
    { value: -1, tag: '', text: 'outliers', size: 1 },
  ]);
});

test('search matches: text matches first, then semantic ones, no duplicates', () => {
  assert.deepEqual([...mergeMatches(Int32Array.from([3, 1]), [{ index: 1 }, { index: 0 }, { index: 3 }, { index: 2 }])], [3, 1, 0, 2]);
  assert.deepEqual([...mergeMatches(new Int32Array(0))], []);
});
