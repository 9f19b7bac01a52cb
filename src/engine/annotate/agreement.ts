/**
 * Agreement between annotators who scored the same pairs (scores in 0–1).
 *  - meanAbsDiff: mean |a − b| over every pair of annotators on every shared pair;
 *  - exactAgreement: the share of those comparisons with the same score;
 *  - withinStep: the share differing by at most `step` (default 0.25, one rubric step);
 *  - alpha: Krippendorff's alpha with the interval metric, α = 1 − D_o / D_e, where D_o is
 *    the mean squared difference within pairs (units) and D_e over all pairable scores.
 *    1 is perfect agreement, 0 is chance level, below 0 is systematic disagreement;
 *    undefined when fewer than two pairs have two scores or all scores are equal.
 */
import type { AnnotationEntry } from '../project/annotations';
import { currentAnnotations } from '../project/annotations';

export interface AgreementReport {
  /** Pairs scored by at least two annotators. */
  pairs: number;
  annotators: string[];
  /** Annotator-to-annotator comparisons behind the means below. */
  comparisons: number;
  meanAbsDiff?: number;
  exactAgreement?: number;
  withinStep?: number;
  alpha?: number;
  /** The same, for each pair of annotators. */
  byAnnotatorPair: Array<{ a: string; b: string; pairs: number; meanAbsDiff: number; exactAgreement: number }>;
}

/** Agreement from unit score lists (one list per pair, one score per annotator). */
export function agreementFromUnits(units: ReadonlyArray<Readonly<Record<string, number>>>, step = 0.25): AgreementReport {
  const annotators = new Set<string>();
  let comparisons = 0;
  let absSum = 0;
  let exact = 0;
  let within = 0;
  let pairs = 0;
  const byPair = new Map<string, { a: string; b: string; pairs: number; abs: number; exact: number }>();
  const pairable: number[][] = [];
  for (const u of units) {
    const entries = Object.entries(u).sort((x, y) => (x[0] < y[0] ? -1 : 1));
    for (const [a] of entries) annotators.add(a);
    if (entries.length < 2) continue;
    pairs++;
    pairable.push(entries.map((e) => e[1]));
    for (let x = 0; x < entries.length; x++)
      for (let y = x + 1; y < entries.length; y++) {
        const d = Math.abs(entries[x][1] - entries[y][1]);
        comparisons++;
        absSum += d;
        if (d < 1e-9) exact++;
        if (d <= step + 1e-9) within++;
        const key = `${entries[x][0]}\u0000${entries[y][0]}`;
        let s = byPair.get(key);
        if (!s) byPair.set(key, (s = { a: entries[x][0], b: entries[y][0], pairs: 0, abs: 0, exact: 0 }));
        s.pairs++;
        s.abs += d;
        if (d < 1e-9) s.exact++;
      }
  }
  const report: AgreementReport = {
    pairs,
    annotators: [...annotators].sort(),
    comparisons,
    byAnnotatorPair: [...byPair.values()].map((s) => ({ a: s.a, b: s.b, pairs: s.pairs, meanAbsDiff: s.abs / s.pairs, exactAgreement: s.exact / s.pairs })),
  };
  if (comparisons) {
    report.meanAbsDiff = absSum / comparisons;
    report.exactAgreement = exact / comparisons;
    report.withinStep = within / comparisons;
  }
  const alpha = krippendorffIntervalAlpha(pairable);
  if (alpha !== undefined) report.alpha = alpha;
  return report;
}

/** Krippendorff's alpha, interval metric, for units that each hold ≥ 2 values. */
export function krippendorffIntervalAlpha(units: ReadonlyArray<readonly number[]>): number | undefined {
  const usable = units.filter((u) => u.length >= 2);
  const all = usable.flat();
  const n = all.length;
  if (usable.length < 2 || n < 2) return undefined;
  let dObserved = 0;
  for (const u of usable) {
    let s = 0;
    for (let a = 0; a < u.length; a++) for (let b = 0; b < u.length; b++) s += (u[a] - u[b]) ** 2;
    dObserved += s / (u.length - 1);
  }
  dObserved /= n;
  // Σ over ordered pairs (c ≠ k) of (v_c − v_k)² = 2n Σ v² − 2 (Σ v)²
  let sum = 0;
  let sq = 0;
  for (const v of all) {
    sum += v;
    sq += v * v;
  }
  const dExpected = (2 * n * sq - 2 * sum * sum) / (n * (n - 1));
  if (dExpected <= 1e-12) return undefined;
  return 1 - dObserved / dExpected;
}

/** Agreement over an annotation log's current scores (undos and corrections applied). */
export function annotatorAgreement(entries: readonly AnnotationEntry[], step = 0.25): AgreementReport {
  const { scores } = currentAnnotations(entries);
  return agreementFromUnits([...scores.values()].map((s) => s.byAnnotator), step);
}
