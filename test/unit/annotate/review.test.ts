import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reviewAnnotations, localDay } from '../../../src/engine/annotate/review';
import type { AnnotationEntry } from '../../../src/engine/project/annotations';

const e = (id2: string, annotator: string, score: number | null, time: string, extra: Partial<AnnotationEntry> = {}): AnnotationEntry => ({
  schemaVersion: 1, id1: 'a', id2, annotator, score, time, ...extra,
});
const texts: Record<string, string> = {
  a: "Inondations : l'Émilie-Romagne sous les eaux",
  b: 'Les secours atteignent les villages inondés',
  c: 'Le championnat de football reprend',
  d: 'Élection municipale à Rouen',
};
const log = [
  e('b', 'ana', 0.25, '2026-03-01T10:00:00Z'),
  e('b', 'ana', 0.75, '2026-03-02T10:00:00Z', { note: 'même région' }), // an edit, appended: it wins
  e('b', 'ben', 1, '2026-03-02T11:00:00Z'),
  e('c', 'ana', 0, '2026-03-03T23:00:00Z'),
  e('d', 'ben', 0.5, '2026-03-04T09:00:00Z'),
  e('d', 'ben', null, '2026-03-04T09:05:00Z', { undo: true }), // withdrawn: d has no score
  e('d', 'cleo', null, '2026-03-05T09:00:00Z', { skipped: true }),
];
const q = (extra = {}) => reviewAnnotations(log, (id) => texts[id], { offset: 0, limit: 50, ...extra });

test('every scored pair, newest first, with each annotator\u2019s latest score and note', () => {
  const r = q();
  assert.equal(r.total, 2);
  assert.equal(r.all, 2);
  assert.deepEqual(r.annotators, ['ana', 'ben']);
  assert.deepEqual(r.rows.map((x) => x.id2), ['c', 'b']);
  assert.deepEqual(r.rows[1].scores, [
    { annotator: 'ana', score: 0.75, time: '2026-03-02T10:00:00Z', note: 'même région' },
    { annotator: 'ben', score: 1, time: '2026-03-02T11:00:00Z' },
  ]);
  assert.equal(r.rows[1].right, texts.b);
});

test('filters: annotator, score range, dates, words without accents or case', () => {
  assert.deepEqual(q({ annotator: 'ben' }).rows.map((x) => x.id2), ['b']);
  assert.deepEqual(q({ maxScore: 0.25 }).rows.map((x) => x.id2), ['c']);
  // ana's old 0.25 for b was replaced by 0.75: b is not in 0–0.5 for ana
  assert.deepEqual(q({ annotator: 'ana', maxScore: 0.5 }).rows.map((x) => x.id2), ['c']);
  assert.deepEqual(q({ annotator: 'ana', minScore: 0.5 }).rows.map((x) => x.id2), ['b']);
  assert.deepEqual(q({ from: localDay('2026-03-03T23:00:00Z') }).rows.map((x) => x.id2), ['c']);
  assert.deepEqual(q({ to: localDay('2026-03-02T11:00:00Z') }).rows.map((x) => x.id2), ['b']);
  assert.deepEqual(q({ text: 'EMILIE inondes' }).rows.map((x) => x.id2), ['b']);
  assert.deepEqual(q({ text: 'meme region' }).rows.map((x) => x.id2), ['b']);
  assert.equal(q({ text: 'rouen' }).total, 0);
  assert.equal(q({ text: 'rouen' }).all, 2);
});

test('paging and long texts cut to a preview', () => {
  const many: AnnotationEntry[] = [];
  for (let k = 0; k < 30; k++) many.push(e(`x${k}`, 'ana', 0.5, `2026-03-01T10:00:${String(k).padStart(2, '0')}Z`));
  const r = reviewAnnotations(many, () => 'mot '.repeat(500), { offset: 10, limit: 5 });
  assert.equal(r.total, 30);
  assert.deepEqual(r.rows.map((x) => x.id2), ['x19', 'x18', 'x17', 'x16', 'x15']);
  assert.equal(r.rows[0].left.length, 400);
  assert.ok(r.rows[0].left.endsWith('…'));
});

test('date filters use the local day, as the view shows times', () => {
  const time = '2026-03-02T23:30:00Z';
  const day = localDay(time);
  const d = new Date(time);
  assert.equal(day, `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`);
  const log = [e('b', 'ana', 1, time)];
  assert.equal(reviewAnnotations(log, () => '', { offset: 0, limit: 5, from: day, to: day }).total, 1);
  assert.equal(reviewAnnotations(log, () => '', { offset: 0, limit: 5, to: '2026-03-01' }).total, 0);
});
