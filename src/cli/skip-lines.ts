import type { SkipReport } from '../engine/data/skip-report';

/**
 * The human-readable lines of a skip report: the count, the count by reason, and the first
 * `show` rows as `file:line: reason`. No lines when nothing was skipped.
 */
export function skipLines(file: string, report: SkipReport | undefined, show = 10): string[] {
  if (!report?.skipped) return [];
  const lines = [`skipped ${report.skipped} row${report.skipped === 1 ? '' : 's'} of ${file}:`];
  for (const [reason, n] of Object.entries(report.skippedByReason)) lines.push(`  ${n} × ${reason}`);
  for (const s of report.skippedRows.slice(0, show)) lines.push(`  ${file}:${s.line}: ${s.reason}`);
  if (report.skipped > Math.min(show, report.skippedRows.length)) lines.push(`  … (--json lists the first ${report.skippedRows.length})`);
  return lines;
}
