import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellText, sortRows, tableColumns, visibleWindow } from '../../../webview/map/table-rows';
import type { MapPoints } from '../../../src/protocol/map';

const points: MapPoints = {
  dataset: 'd',
  coords: new Float32Array(8),
  clusterLabels: Int32Array.from([1, 0, -1, 1]),
  clusters: [{ id: 0, size: 1, keywords: ['vote', 'assemblée', 'ministre', 'x'] }, { id: 1, size: 2, keywords: ['but'], name: 'Football' }],
  ids: ['item 10', 'item 2', 'Item 1', 'item 3'],
  texts: ['Élection', 'zèbre', 'avion', 'Être'],
  labels: Int32Array.from([0, -1, 1, 0]),
  labelNames: ['Sports', 'World'],
  annotated: Uint8Array.from([0, 1, 0, 0]),
  fields: [{ name: 'year', kind: 'number', values: Float64Array.from([2001, NaN, 1999, 2010]) }],
};

const cols = tableColumns(points);
const col = (key: string) => cols.find((c) => c.key === key)!;

test('columns: id, text, cluster (its name, else keywords), label, annotation, one per field', () => {
  assert.deepEqual(cols.map((c) => c.key), ['id', 'text', 'cluster', 'label', 'annotated', 'field:year']);
  assert.equal(col('cluster').value(0), '#1 Football');
  assert.equal(col('cluster').value(1), '#0 vote, assemblée, ministre');
  assert.equal(col('cluster').value(2), 'outlier');
  assert.equal(col('label').value(1), undefined);
  assert.equal(col('field:year').numeric, true);
});

test('sorting: natural order for text (accents, case), numbers numerically, missing values last both ways, stable', () => {
  const all = [0, 1, 2, 3];
  assert.deepEqual(Array.from(sortRows(all, col('id'), 'asc')), [2, 1, 3, 0], 'item 2 before item 10');
  assert.deepEqual(Array.from(sortRows(all, col('text'), 'asc')), [2, 0, 3, 1], 'accents sort with their letter');
  assert.deepEqual(Array.from(sortRows(all, col('text'), 'desc')), [1, 3, 0, 2]);
  assert.deepEqual(Array.from(sortRows(all, col('field:year'), 'asc')), [2, 0, 3, 1]);
  assert.deepEqual(Array.from(sortRows(all, col('field:year'), 'desc')), [3, 0, 2, 1], 'missing last when descending too');
  assert.deepEqual(Array.from(sortRows(all, col('label'), 'asc')), [0, 3, 2, 1], 'equal values keep their order');
});

test('cells and the visible window', () => {
  assert.equal(cellText(1234567), '1,234,567');
  assert.equal(cellText(2024), '2024');
  assert.equal(cellText(1008978400), '1,008,978,400', 'large integers in full');
  assert.equal(cellText(3.14159265), '3.14159');
  assert.equal(cellText(undefined), '');
  assert.equal(cellText('a\n b'), 'a b');
  assert.deepEqual(visibleWindow(0, 260, 26, 5000), { first: 0, count: 16 });
  assert.deepEqual(visibleWindow(26 * 1000, 260, 26, 5000), { first: 994, count: 22 });
  assert.deepEqual(visibleWindow(26 * 4995, 260, 26, 5000), { first: 4989, count: 11 });
});
