/** The run comparison table (pure): config differences, rows, CSV and Markdown export. */
import type { MetricName, RunSummary } from '../../src/protocol/runs';
import { METRIC_INFO, metricInfo, orderedMetricKeys } from '../../src/protocol/metric-names';
import { configLabel, configValue } from '../../src/protocol/config-labels';
import { groupRuns } from './groups';

export type Cell = string | number | boolean | null | undefined;

export interface RunsTable {
  headers: string[];
  rows: Cell[][];
}

/** Config keys whose values are not all equal across the runs (sorted). A key missing in some run counts as different. */
export function differingConfigKeys(runs: readonly RunSummary[]): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.config)) keys.add(k);
  const out: string[] = [];
  for (const k of keys) {
    const values = new Set(runs.map((r) => (k in r.config ? JSON.stringify(r.config[k]) : '\u0000missing')));
    if (values.size > 1) out.push(k);
  }
  return out.sort();
}

/** Every config key across the runs: differing ones first, then the rest (each group sorted). */
export function configKeys(runs: readonly RunSummary[]): string[] {
  const diff = differingConfigKeys(runs);
  const all = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.config)) all.add(k);
  return [...diff, ...[...all].filter((k) => !diff.includes(k)).sort()];
}

/** Metrics that at least one run has, in the vocabulary's order (unknown keys last, sorted). */
export function presentMetrics(runs: readonly RunSummary[]): MetricName[] {
  const present = new Set(runs.flatMap((r) => orderedMetricKeys(r.metrics)));
  const known = METRIC_INFO.map((i) => i.key).filter((k) => present.has(k));
  return [...known, ...[...present].filter((k) => !known.includes(k)).sort()];
}

export interface ConfigDiffRow {
  key: string;
  /** "Learning rate", "Head › kind". */
  label: string;
  /** One display value per run, in the runs' order. */
  values: string[];
  differs: boolean;
}

/** The config diff: one row per setting (readable label, a value per run); only the differing ones unless `showAll`. */
export function configDiffRows(runs: readonly RunSummary[], showAll: boolean): ConfigDiffRow[] {
  const diff = new Set(differingConfigKeys(runs));
  return configKeys(runs)
    .filter((k) => showAll || diff.has(k))
    .map((key) => ({ key, label: configLabel(key), values: runs.map((r) => configValue(key, r.config[key])), differs: diff.has(key) }));
}

/** Duration as "1 h 02 min", "3 min 05 s", "12.3 s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Metrics that at least one run has a before-training value for. */
export function metricsWithBefore(runs: readonly RunSummary[]): MetricName[] {
  return presentMetrics(runs).filter((id) => runs.some((r) => typeof r.before?.[id] === 'number'));
}

/** "+0.040" / "−0.012" / "±0.000": the change from before to after training. */
export function formatDelta(after: number | undefined, before: number | undefined): string {
  if (after === undefined || before === undefined) return '';
  const d = after - before;
  const text = Math.abs(d).toFixed(3);
  return text === '0.000' ? '±0.000' : `${d > 0 ? '+' : '−'}${text}`;
}

/**
 * The export table: name, id, tags, notes, status, duration, metrics (and their values before
 * training), then config (differing keys first) under readable labels. Grouped by a config key,
 * it starts with "group", "row" and "runs" columns, each metric gets an "sd" column, and every
 * group's row (count, mean and sample standard deviation of each metric, the settings its runs
 * share) comes before its runs.
 */
export function buildRunsTable(runs: readonly RunSummary[], groupBy = ''): RunsTable {
  const metrics = presentMetrics(runs);
  const withBefore = new Set(metricsWithBefore(runs));
  const keys = configKeys(runs);
  const label = (m: MetricName) => metricInfo(m).label;
  const grouped = groupBy !== '';
  const metricHeaders = metrics.flatMap((m) => [label(m), ...(grouped ? [`${label(m)} sd`] : []), ...(withBefore.has(m) ? [`${label(m)} before`] : [])]);
  const headers = [...(grouped ? ['group', 'row', 'runs'] : []), 'name', 'id', 'tags', 'notes', 'status', 'duration', ...metricHeaders, ...keys.map(configLabel)];
  const runRow = (r: RunSummary): Cell[] => [
    r.name, r.id, (r.tags ?? []).join(', '), r.notes ?? '', r.status, formatDuration(r.durationMs),
    ...metrics.flatMap((m) => [r.metrics[m], ...(grouped ? [undefined] : []), ...(withBefore.has(m) ? [r.before?.[m]] : [])]),
    ...keys.map((k) => r.config[k]),
  ];
  if (!grouped) return { headers, rows: runs.map(runRow) };
  const rows: Cell[][] = [];
  for (const g of groupRuns(runs, groupBy)) {
    const value = configValue(groupBy, g.value);
    const members = g.members.map((k) => runs[k]);
    const shared = (k: string) => {
      const values = new Set(members.map((r) => JSON.stringify(r.config[k] ?? null)));
      return values.size === 1 ? members[0].config[k] : undefined;
    };
    rows.push([
      value, 'group', g.members.length, g.label, '', '', '', '', '',
      ...metrics.flatMap((m) => [g.metrics[m]?.mean, g.metrics[m]?.sd, ...(withBefore.has(m) ? [g.before[m]?.mean] : [])]),
      ...keys.map(shared),
    ]);
    for (const r of members) rows.push([value, 'run', undefined, ...runRow(r)]);
  }
  return { headers, rows };
}

function cellText(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : String(Number(c.toPrecision(6)));
  return String(c);
}

/** RFC 4180 CSV with CRLF line ends; fields with comma, quote or newline are quoted. */
export function toCsv(t: RunsTable): string {
  const field = (c: Cell) => {
    const s = cellText(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [t.headers, ...t.rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** A GitHub-flavoured Markdown table; pipes escaped, newlines as spaces, numbers right-aligned. */
export function toMarkdown(t: RunsTable): string {
  const esc = (c: Cell) => cellText(c).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const numeric = t.headers.map((_, k) => t.rows.length > 0 && t.rows.every((r) => typeof r[k] === 'number' || r[k] === undefined || r[k] === null) && t.rows.some((r) => typeof r[k] === 'number'));
  const lines = [
    `| ${t.headers.map(esc).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...t.rows.map((r) => `| ${t.headers.map((_, k) => esc(r[k])).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}
