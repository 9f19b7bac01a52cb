import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
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

interface ReferenceCase {
  name: string;
  matrix: Array<Array<number | null>>;
  alpha: number;
}
const reference = JSON.parse(
  readFileSync(path.join(__dirname, '../../fixtures/annotate/krippendorff-reference.json'), 'utf8'),
) as { cases: ReferenceCase[] };

/** One unit (pair) per column: the scores of the annotators (rows) who scored it. */
function unitsOf(matrix: ReferenceCase['matrix']): Array<Record<string, number>> {
  return matrix[0].map((_, u) => {
    const unit: Record<string, number> = {};
    matrix.forEach((row, a) => {
      if (row[u] !== null) unit[`annotator-${a}`] = row[u];
    });
    return unit;
  });
}

test('Krippendorff interval alpha equals fast-krippendorff on every reference case (missing values, several annotators)', () => {
  assert.ok(reference.cases.length >= 5);
  for (const c of reference.cases) {
    const alpha = agreementFromUnits(unitsOf(c.matrix)).alpha;
    assert.ok(alpha !== undefined, c.name);
    assert.ok(Math.abs(alpha - c.alpha) < 1e-9, `${c.name}: ${alpha} vs ${c.alpha}`);
  }
});

test('alpha from an annotation log equals the reference: corrections appended later win, undos withdraw', () => {
  const c = reference.cases.find((r) => r.name === 'five-annotators-missing')!;
  const entries: AnnotationEntry[] = [];
  let t = 0;
  const at = () => new Date(Date.UTC(2026, 0, 1) + 1000 * t++).toISOString();
  c.matrix.forEach((row, a) =>
    row.forEach((score, u) => {
      if (score === null) return;
      const base = { schemaVersion: 1, id1: `p${u}`, id2: `q${u}`, annotator: `annotator-${a}` };
      // a first, wrong score, then the correction: only the latest may count
      entries.push({ ...base, score: 1 - score, time: at() });
      entries.push({ ...base, score, time: at() });
      // a score given then withdrawn
      entries.push({ ...base, score: 0.5, time: at() }, { ...base, score: null, undo: true, time: at() });
    }),
  );
  const r = annotatorAgreement(entries);
  assert.ok(Math.abs(r.alpha! - c.alpha) < 1e-9);
  assert.equal(r.pairs, unitsOf(c.matrix).filter((u) => Object.keys(u).length >= 2).length);
  assert.equal(r.annotators.length, 5);
});
