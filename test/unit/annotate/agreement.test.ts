import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreementFromUnits, krippendorffIntervalAlpha, annotatorAgreement } from '../../../src/engine/annotate/agreement';
import type { AnnotationEntry } from '../../../src/engine/project/annotations';

test('Krippendorff interval alpha matches hand-computed values', () => {
  // units (0,0) (1,1) (0,1): D_o = 2/6, D_e = 18/30 → α = 1 − (1/3)/0.6 = 4/9
  assert.ok(Math.abs(krippendorffIntervalAlpha([[0, 0], [1, 1], [0, 1]])! - 4 / 9) < 1e-12);
  // three coders, unequal unit sizes: (1,1,1) (0,0) (0.5,1):
  // D_o = [0 + 0 + (0.25+0.25)/1] / 7 = 0.5/7; values 1,1,1,0,0,0.5,1: Σv=4.5 Σv²=4.25, n=7
  // D_e = (2·7·4.25 − 2·4.5²)/(7·6) = 19/42 → α = 1 − (0.5/7)/(19/42) = 16/19
  // (checked once against the coincidence-matrix definition in Python)
  assert.ok(Math.abs(krippendorffIntervalAlpha([[1, 1, 1], [0, 0], [0.5, 1]])! - 16 / 19) < 1e-12);
  assert.equal(krippendorffIntervalAlpha([[0.5, 0.5], [0.5, 0.5]]), undefined);
  assert.equal(krippendorffIntervalAlpha([[1, 0]]), undefined);
});

test('mean absolute difference and agreement rates per annotator pair', () => {
  const r = agreementFromUnits([
    { ann: 0, bob: 0.25 },
    { ann: 1, bob: 1 },
    { ann: 0.5, bob: 0 },
    { ann: 0.75 }, // single score: no comparison
  ]);
  assert.equal(r.pairs, 3);
  assert.equal(r.comparisons, 3);
  assert.ok(Math.abs(r.meanAbsDiff! - 0.25) < 1e-12);
  assert.ok(Math.abs(r.exactAgreement! - 1 / 3) < 1e-12);
  assert.ok(Math.abs(r.withinStep! - 2 / 3) < 1e-12);
  assert.deepEqual(r.annotators, ['ann', 'bob']);
  assert.equal(r.byAnnotatorPair.length, 1);
  assert.equal(r.byAnnotatorPair[0].pairs, 3);
});

test('agreement from a log uses current scores (corrections and undos applied)', () => {
  const e = (id2: string, score: number | null, annotator: string, t: number, undo = false): AnnotationEntry => ({
    schemaVersion: 1,
    id1: 'a',
    id2,
    score,
    annotator,
    time: `2026-01-01T00:00:0${t}Z`,
    ...(undo ? { undo } : {}),
  });
  const r = annotatorAgreement([e('b', 0, 'ann', 1), e('b', 1, 'ann', 2), e('b', 1, 'bob', 3), e('c', 0.5, 'ann', 4), e('c', 0, 'bob', 5), e('c', null, 'bob', 6, true)]);
  assert.equal(r.pairs, 1);
  assert.equal(r.meanAbsDiff, 0);
  assert.equal(r.exactAgreement, 1);
});
