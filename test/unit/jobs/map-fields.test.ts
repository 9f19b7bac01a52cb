import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldColumns, type CategoryColumn, type NumberColumn, type TextColumn } from '../../../src/engine/jobs/map-fields';

const records = Array.from({ length: 40 }, (_, i) => ({
  fields: {
    source: ['Le Monde', 'Libération', 'Ouest-France'][i % 3],
    // CSV numbers come as strings; one is missing
    year: i === 5 ? '' : String(1990 + i),
    stars: String((i % 5) + 1),
    author: `Auteur numéro ${i} avec un nom assez long pour être raccourci ${'x'.repeat(200)}`,
    ...(i % 2 === 0 ? { flag: i % 4 === 0 } : {}),
  },
}));

test('few distinct values make a category, all-numeric values a number, the rest shortened text', () => {
  const { columns, omitted } = fieldColumns(records);
  assert.deepEqual(omitted, []);
  assert.deepEqual(columns.map((c) => [c.name, c.kind]), [['source', 'category'], ['year', 'number'], ['stars', 'category'], ['author', 'text'], ['flag', 'category']]);
  const source = columns[0] as CategoryColumn;
  assert.deepEqual(source.names, ['Le Monde', 'Libération', 'Ouest-France']);
  assert.deepEqual(Array.from(source.values.slice(0, 4)), [0, 1, 2, 0]);
  const year = columns[1] as NumberColumn;
  assert.equal(year.values[0], 1990);
  assert.ok(Number.isNaN(year.values[5]), 'an empty value is missing (NaN)');
  const stars = columns[2] as CategoryColumn;
  assert.deepEqual(stars.names, ['1', '2', '3', '4', '5'], 'numeric categories sort numerically');
  const author = columns[3] as TextColumn;
  assert.equal(author.values[0].length, 120);
  assert.ok(author.values[0].endsWith('…'));
  const flag = columns[4] as CategoryColumn;
  assert.deepEqual(flag.names, ['false', 'true']);
  assert.equal(flag.values[1], -1, 'a record without the field is missing');
});

test('the payload is bounded: text beyond the budget and fields beyond the cap are named as omitted', () => {
  const { columns, omitted } = fieldColumns(records, { textBudget: 1000 });
  assert.ok(!columns.some((c) => c.name === 'author'));
  assert.deepEqual(omitted, ['author']);
  const capped = fieldColumns(records, { maxFields: 2 });
  assert.deepEqual(capped.columns.map((c) => c.name), ['source', 'year']);
  assert.deepEqual(capped.omitted, ['stars', 'author', 'flag']);
});

test('a field with many distinct numbers is a number; distinct strings over half the records are text', () => {
  const few = [{ fields: { id2: 'a' } }, { fields: { id2: 'b' } }, { fields: { id2: 'c' } }, { fields: { id2: 'd' } }];
  assert.equal(fieldColumns(few).columns[0].kind, 'text');
  const nums = Array.from({ length: 100 }, (_, i) => ({ fields: { score: i / 7 } }));
  const col = fieldColumns(nums).columns[0] as NumberColumn;
  assert.equal(col.kind, 'number');
  assert.ok(Math.abs(col.values[99] - 99 / 7) < 1e-12, 'numbers keep their precision');
});

test('a field that repeats the record id or its label is left out (the map has them)', () => {
  const recs = [0, 1, 2, 3].map((i) => ({ id: `r${i}`, label: i % 2 ? 'Sports' : 'World', fields: { id: `r${i}`, label: i % 2 ? 'Sports' : 'World', topic: i % 2 ? 'World' : 'Sports' } }));
  assert.deepEqual(fieldColumns(recs).columns.map((c) => c.name), ['topic']);
});
