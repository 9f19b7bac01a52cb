import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disagreementQueue } from '../../../src/engine/annotate/disagreements';
import type { AnnotationEntry } from '../../../src/engine/project/annotations';

let clock = 0;
const e = (id2: string, annotator: string, score: number | null, extra: Partial<AnnotationEntry> = {}): AnnotationEntry => ({
  schemaVersion: 1, id1: 'a', id2, annotator, score, time: new Date(Date.UTC(2026, 0, 1) + 1000 * clock++).toISOString(), ...extra,
});

test('pairs whose annotators differ by more than the threshold, widest first; agreeing pairs and single scores are left out', () => {
  const log = [
    e('b', 'ana', 0), e('b', 'ben', 0.5), // spread .5
    e('c', 'ana', 0), e('c', 'ben', 1), // spread 1
    e('d', 'ana', 0.5), e('d', 'ben', 0.75), // spread .25: not above the threshold
    e('f', 'ana', 1), // one annotator
    e('g', 'ana', 0.25), e('g', 'ben', 0.75), e('g', 'cleo', 0.5), // spread .5, changed later than b
  ];
  const q = disagreementQueue(log, { annotator: 'dan', threshold: 0.25 });
  assert.deepEqual(q.map((p) => p.id2), ['c', 'g', 'b']);
  assert.deepEqual(q[0].scores, [{ annotator: 'ana', score: 0 }, { annotator: 'ben', score: 1 }]);
  assert.equal(q[0].mean, 0.5);
  assert.equal(q[0].mine, undefined);
  assert.deepEqual(disagreementQueue(log, { annotator: 'dan', threshold: 0.5 }).map((p) => p.id2), ['c']);
});

test('the latest entry per annotator counts: a correction that agrees ends the disagreement, an undo brings it back', () => {
  const log = [e('b', 'ana', 0), e('b', 'ben', 1)];
  assert.equal(disagreementQueue(log, { annotator: 'x', threshold: 0.25 }).length, 1);
  log.push(e('b', 'ben', 0.25));
  assert.equal(disagreementQueue(log, { annotator: 'x', threshold: 0.25 }).length, 0);
  log.push(e('b', 'ben', null, { undo: true }));
  assert.equal(disagreementQueue(log, { annotator: 'x', threshold: 0.25 })[0].spread, 1);
});

test("an annotator who scored or skipped the pair after the others' entries has seen the disagreement", () => {
  const log = [e('b', 'ana', 0), e('b', 'ben', 1)];
  // ana scored first, ben disagreed after: ana has not seen it yet
  const forAna = disagreementQueue(log, { annotator: 'ana', threshold: 0.25 });
  assert.equal(forAna.length, 1);
  assert.equal(forAna[0].mine, 0);
  assert.equal(disagreementQueue(log, { annotator: 'ben', threshold: 0.25 }).length, 0);
  log.push(e('b', 'ana', 0)); // ana keeps her score, as a new entry
  assert.equal(disagreementQueue(log, { annotator: 'ana', threshold: 0.25 }).length, 0);
  log.push(e('b', 'cleo', null, { skipped: true }));
  assert.equal(disagreementQueue(log, { annotator: 'cleo', threshold: 0.25 }).length, 0);
  // a skip is no score: the pair still disagrees for others
  assert.equal(disagreementQueue(log, { annotator: 'dan', threshold: 0.25 }).length, 1);
});

test('only pairs whose two records are in the given ids', () => {
  const log = [e('b', 'ana', 0), e('b', 'ben', 1), { ...e('c', 'ana', 0), id1: 'z' }, { ...e('c', 'ben', 1), id1: 'z' }];
  assert.deepEqual(disagreementQueue(log, { annotator: 'x', threshold: 0.25, ids: new Set(['a', 'b', 'c']) }).map((p) => p.id1 + p.id2), ['ab']);
});
