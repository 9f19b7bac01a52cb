/**
 * Rows a reader skipped, as `import` reports them: a count, the count by reason (reasons
 * without their details), and the first rows with their line and reason. Shared by import,
 * training data and embed so every command reports skips in one shape.
 */
import { InputError } from '../util/errors';
import type { SkippedRow } from './read-records';

export interface SkipReport {
  skipped: number;
  skippedByReason: Record<string, number>;
  /** The first skipped rows, with line and reason (all are counted in `skipped`). */
  skippedRows: SkippedRow[];
}

/** A reason without its details: "invalid JSON (Unexpected …)" and "duplicate id "a"" group by kind. */
export function reasonKind(reason: string): string {
  return reason.replace(/\s*\(.*$/, '').replace(/"[^"]*"/g, '"…"');
}

/** Counts skipped rows, listing the first `maxListed` (default 1000). */
export class SkipTally {
  private readonly report: SkipReport = { skipped: 0, skippedByReason: {}, skippedRows: [] };

  constructor(private readonly maxListed = 1000) {}

  readonly add = (row: SkippedRow): void => {
    const r = this.report;
    r.skipped++;
    const key = reasonKind(row.reason);
    r.skippedByReason[key] = (r.skippedByReason[key] ?? 0) + 1;
    if (r.skippedRows.length < this.maxListed) r.skippedRows.push(row);
  };

  get count(): number {
    return this.report.skipped;
  }

  get rows(): readonly SkippedRow[] {
    return this.report.skippedRows;
  }

  /** A copy of the report so far. */
  result(): SkipReport {
    const r = this.report;
    return { skipped: r.skipped, skippedByReason: { ...r.skippedByReason }, skippedRows: [...r.skippedRows] };
  }
}

/** The report of `rows`, listing the first `maxListed`. */
export function skipReportOf(rows: readonly SkippedRow[], maxListed = 1000): SkipReport {
  const tally = new SkipTally(maxListed);
  for (const r of rows) tally.add(r);
  return tally.result();
}

/** One line for a notification: "3 rows skipped (first: line 4: invalid JSON …)", or "" when none. */
export function describeSkips(report: SkipReport | undefined): string {
  if (!report?.skipped) return '';
  const first = report.skippedRows[0];
  return `${report.skipped} row${report.skipped === 1 ? '' : 's'} skipped${first ? ` (first: line ${first.line}: ${first.reason})` : ''}`;
}

/** For --strict: the first skipped row as an InputError naming the file, line and field. */
export function strictSkipError(file: string, row: SkippedRow): InputError {
  return new InputError(`${row.reason} (--strict: no row may be skipped)`, { file, line: row.line, field: row.field });
}
