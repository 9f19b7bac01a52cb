import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourOptions, colourValue, keptChoice, parseColourValue } from '../../../webview/map/colour-options';
import type { MapPoints } from '../../../src/protocol/map';

const points: MapPoints = {
  dataset: 'd', coords: new Float32Array(4), clusterLabels: Int32Array.from([0, 0]), clusters: [], ids: ['a', 'b'], texts: ['', ''],
  labels: Int32Array.from([0, -1]), labelNames: ['x'],
  runs: [{ id: 'run:r1', name: 'r1', values: Int32Array.from([0, 1]) }],
  fields: [
    { name: 'source', kind: 'category', names: ['AFP'], values: Int32Array.from([0, -1]) },
    { name: 'année', kind: 'number', values: Float64Array.from([1, 2]) },
    { name: 'auteur', kind: 'text', values: ['a', 'b'] },
  ],
};

test('colour by: cluster, label, annotation, each run, each category or number field (not free text)', () => {
  assert.deepEqual(colourOptions(points).map((o) => o.value), ['cluster', 'label', 'annotation', 'run:run:r1', 'field:source', 'field:année']);
  assert.equal(colourOptions(points).at(-1)?.text, 'Colour: année (scale)');
});

test('choices round-trip through the select value; a choice the points no longer offer falls back to cluster', () => {
  for (const v of ['cluster', 'label', 'annotation', 'run:run:r1', 'field:source', 'field:a:b']) assert.equal(colourValue(parseColourValue(v)), v);
  assert.deepEqual(parseColourValue('bogus'), { mode: 'cluster', key: '' });
  assert.deepEqual(keptChoice(points, { mode: 'field', key: 'année' }), { mode: 'field', key: 'année' });
  assert.deepEqual(keptChoice(points, { mode: 'field', key: 'auteur' }), { mode: 'cluster', key: '' });
  assert.deepEqual(keptChoice({ ...points, labels: undefined }, { mode: 'label', key: '' }), { mode: 'cluster', key: '' });
});
