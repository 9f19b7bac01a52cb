/** One measured line of `npm run bench`. */
export interface BenchRow {
  /** What was measured, e.g. "k-means, 7,600 × 256". */
  task: string;
  /** Our measurement, with its unit, e.g. "1.84 s" or "5,210 sentences/s". */
  ours: string;
  /** The baseline measured in the same run, or "" when there is none. */
  baseline: string;
  /** ours ÷ baseline as a speed ratio (>1 is faster than the baseline), or a quality note. */
  ratio: string;
  note?: string;
}

export interface BenchSection {
  name: string;
  run(): Promise<BenchRow[]>;
}

export const SHARED_DATA = new URL('../../shared/data/', import.meta.url).pathname;

export function fmtSeconds(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`;
}

export function fmtRatio(x: number): string {
  return `${x.toFixed(2)}×`;
}

export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t) / 1000, value };
}
