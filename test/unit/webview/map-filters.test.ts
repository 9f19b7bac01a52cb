import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeFilterCount, emptyFilters, filterMask, filtersFrom, indicesOf, keepPassing, type FilterState } from '../../../webview/map/filters';
import type { MapPoints } from '../../../src/protocol/map';

const points: MapPoints = {
  dataset: 'd',
  coords: new Float32Array(10),
  clusterLabels: Int32Array.from([0, 1, -1, 1, 0]),
  clusters: [{ id: 0, size: 2, keywords: ['a'] }, { id: 1, size: 2, keywords: ['b'] }],
  ids: ['a', 'b', 'c', 'd', 'e'],
  texts: ['', '', '', '', ''],
  labels: Int32Array.from([0, 1, -1, 1, 0]),
  labelNames: ['Sports', 'World'],
  annotated: Uint8Array.from([1, 0, 0, 1, 0]),
  fields: [
    { name: 'source', kind: 'category', names: ['AFP', 'Le Monde'], values: Int32Array.from([0, 1, 1, -1, 0]) },
    { name: 'year', kind: 'number', values: Float64Array.from([1999, 2005, NaN, 2020, 2010]) },
    { name: 'author', kind: 'text', values: ['Ana Dupré', 'Ben', '', 'anatole', 'Zoé'] },
  ],
};

const withF = (f: Partial<FilterState>): FilterState => ({ ...emptyFilters(), ...f });
const pass = (f: Partial<FilterState>) => Array.from(filterMask(points, withF(f)) ?? []);

test('no active filter: no mask (every point passes)', () => {
  assert.equal(filterMask(points, emptyFilters()), undefined);
  assert.equal(filterMask(points, withF({ fields: { year: { kind: 'number', min: null, max: null }, author: { kind: 'text', query: '  ' } } })), undefined);
  assert.deepEqual(Array.from(indicesOf(5, undefined)), [0, 1, 2, 3, 4]);
});

test('each filter: clusters, labels (with "no label"), annotation status, category, range and text fields', () => {
  assert.deepEqual(pass({ clusters: [1, -1] }), [0, 1, 1, 1, 0]);
  assert.deepEqual(pass({ labels: ['World', ''] }), [0, 1, 1, 1, 0]);
  assert.deepEqual(pass({ annotation: 'annotated' }), [1, 0, 0, 1, 0]);
  assert.deepEqual(pass({ annotation: 'not-annotated' }), [0, 1, 1, 0, 1]);
  assert.deepEqual(pass({ fields: { source: { kind: 'category', values: ['Le Monde'] } } }), [0, 1, 1, 0, 0]);
  assert.deepEqual(pass({ fields: { source: { kind: 'category', values: [''] } } }), [0, 0, 0, 1, 0], '"" ticks the missing values');
  assert.deepEqual(pass({ fields: { year: { kind: 'number', min: 2005, max: null } } }), [0, 1, 0, 1, 1], 'a missing number never passes a range');
  assert.deepEqual(pass({ fields: { year: { kind: 'number', min: 2000, max: 2010 } } }), [0, 1, 0, 0, 1]);
  assert.deepEqual(pass({ fields: { author: { kind: 'text', query: 'ANA' } } }), [1, 0, 0, 1, 0], 'case-insensitive contains');
});

test('filters combine with AND; the count says how many are active', () => {
  const f = withF({ clusters: [0, 1], annotation: 'not-annotated', fields: { year: { kind: 'number', min: 2000, max: null } } });
  assert.deepEqual(Array.from(filterMask(points, f)!), [0, 1, 0, 0, 1]);
  assert.equal(activeFilterCount(f), 3);
  assert.deepEqual(Array.from(keepPassing(Int32Array.from([0, 1, 3, 4]), filterMask(points, f))), [1, 4]);
});

test('a saved filter state is checked: malformed parts are dropped, a filter of another kind than the field is ignored', () => {
  const f = filtersFrom({ clusters: [1, 'x', 2.5], labels: ['World', 3], annotation: 'bogus', hideOthers: true, fields: { year: { kind: 'number', min: 'a' }, source: { kind: 'category', values: ['AFP'] }, author: { kind: 'text', query: 'ana' } } });
  assert.deepEqual(f.clusters, [1]);
  assert.deepEqual(f.labels, []);
  assert.equal(f.annotation, 'all');
  assert.equal(f.hideOthers, true);
  assert.deepEqual(Object.keys(f.fields), ['source', 'author']);
  assert.deepEqual(filtersFrom(null), emptyFilters());
  // "source" saved as text while the points now have it as a category: not applied.
  assert.deepEqual(pass({ fields: { source: { kind: 'text', query: 'zzz' } } }), [1, 1, 1, 1, 1]);
});
