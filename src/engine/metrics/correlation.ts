/**
 * Correlation of two score lists: Pearson on the values, Spearman on their ranks
 * (ties get the average of their ranks, like scipy.stats.spearmanr).
 */

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: the two lists have ${a.length} and ${b.length} values`);
}

/** Pearson correlation; NaN when either list is constant or has fewer than 2 values (as scipy). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b, 'pearson');
  const n = a.length;
  if (n < 2) return Number.NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return Number.NaN;
  const r = sab / Math.sqrt(saa * sbb);
  return Math.max(-1, Math.min(1, r));
}

/** Ranks 1..n, ties sharing the average of the ranks they span. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i] - values[j]);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]] = r;
    i = j + 1;
  }
  return ranks;
}

/** Spearman rank correlation (Pearson on average ranks). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b, 'spearman');
  return pearson(averageRanks(a), averageRanks(b));
}

/**
 * Why the correlation of predicted similarities with gold scores is undefined, or undefined when
 * it is defined: fewer than 2 pairs, gold scores all equal, or predicted similarities all equal
 * (within `tolerance`: the cosine of a text with itself is 1 up to rounding, so text1 == text2
 * everywhere gives similarities that differ only in the last bits, whose ranks mean nothing).
 */
export function undefinedCorrelationReason(predicted: ArrayLike<number>, gold: ArrayLike<number>, tolerance = 1e-6): string | undefined {
  checkLengths(predicted, gold, 'correlation');
  if (predicted.length < 2) return `fewer than 2 pairs (${predicted.length})`;
  const range = (xs: ArrayLike<number>) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < xs.length; i++) {
      lo = Math.min(lo, xs[i]);
      hi = Math.max(hi, xs[i]);
    }
    return hi - lo;
  };
  if (range(gold) === 0) return `all gold scores are equal (${gold[0]}), so no ranking can be compared`;
  if (!(range(predicted) > tolerance)) return 'all predicted similarities are equal (is text1 the same text as text2 in every pair?)';
  return undefined;
}

/**
 * Spearman and Pearson of predicted similarities against gold scores. Throws (never returns NaN)
 * when they are undefined, with the reason from `undefinedCorrelationReason`.
 */
export function scoredPairCorrelations(predicted: ArrayLike<number>, gold: ArrayLike<number>): { spearman: number; pearson: number } {
  const why = undefinedCorrelationReason(predicted, gold);
  if (why) throw new UndefinedCorrelationError(why);
  return { spearman: spearman(predicted, gold), pearson: pearson(predicted, gold) };
}

/** Spearman/Pearson cannot be computed on these pairs; the message says why. */
export class UndefinedCorrelationError extends Error {
  override name = 'UndefinedCorrelationError';
  constructor(readonly reason: string) {
    super(`Spearman is undefined: ${reason}`);
  }
}
