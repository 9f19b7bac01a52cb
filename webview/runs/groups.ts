/**
 * Runs grouped by a config key (what Weights & Biases calls "Group by"), pure: the groups in
 * first-seen order, each metric's count, mean, sample standard deviation, minimum and maximum,
 * and a group's mean curve with its min–max band.
 */
import type { Curve, CurvePoint, MetricName, RunSummary } from '../../src/protocol/runs';
import { configLabel, configValue } from '../../src/protocol/config-labels';
import { orderedMetricKeys } from '../../src/protocol/metric-names';
import type { CurveBox, Extent } from './curves';

export interface Stats {
  n: number;
  mean: number;
  /** Sample standard deviation (divides by n − 1); absent for a single value. */
  sd?: number;
  min: number;
  max: number;
}

export type ConfigScalar = string | number | boolean | null | undefined;

export interface RunGroup {
  /** Stable across reloads: the value's JSON, or "—" for runs without the key. */
  id: string;
  value: ConfigScalar;
  /** "Loss = CoSENT", "Epochs = 4", "Seed = —". */
  label: string;
  /** Indexes into the runs, in their order. */
  members: number[];
  metrics: Record<MetricName, Stats>;
  /** The same statistics of the runs' base encoders, before training. */
  before: Record<MetricName, Stats>;
}

/** Count, mean, sample standard deviation, min and max of the finite values; undefined when there are none. */
export function statsOf(values: readonly number[]): Stats | undefined {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return undefined;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const out: Stats = { n: v.length, mean, min: Math.min(...v), max: Math.max(...v) };
  if (v.length > 1) out.sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return out;
}

/** The id a run's group gets for the key. */
export function groupId(run: RunSummary, key: string): string {
  return key in run.config && run.config[key] !== null ? JSON.stringify(run.config[key]) : '—';
}

/** The runs grouped by one config key, groups in the order their first run appears. */
export function groupRuns(runs: readonly RunSummary[], key: string): RunGroup[] {
  const byId = new Map<string, number[]>();
  runs.forEach((r, k) => {
    const id = groupId(r, key);
    const list = byId.get(id);
    if (list) list.push(k);
    else byId.set(id, [k]);
  });
  const metrics = [...new Set(runs.flatMap((r) => [...orderedMetricKeys(r.metrics), ...orderedMetricKeys(r.before)]))];
  const statsFor = (members: number[], pick: (r: RunSummary) => Readonly<Record<MetricName, number>> | undefined) => {
    const out: Record<MetricName, Stats> = {};
    for (const m of metrics) {
      const s = statsOf(members.map((k) => pick(runs[k])?.[m] ?? NaN));
      if (s) out[m] = s;
    }
    return out;
  };
  return [...byId].map(([id, members]) => {
    const value = runs[members[0]].config[key];
    return {
      id,
      value,
      label: `${configLabel(key)} = ${configValue(key, value)}`,
      members,
      metrics: statsFor(members, (r) => r.metrics),
      before: statsFor(members, (r) => r.before),
    };
  });
}

/** One step of a group curve: the members' mean, minimum and maximum, over the `n` members that cover it. */
export interface BandPoint {
  step: number;
  mean: number;
  min: number;
  max: number;
  n: number;
}

/** A curve's value at `step` by linear interpolation between its finite points; undefined outside its range. */
function valueAt(points: readonly CurvePoint[], step: number): number | undefined {
  if (points.length === 0 || step < points[0].step || step > points[points.length - 1].step) return undefined;
  const hi = points.findIndex((p) => p.step >= step);
  if (points[hi].step === step) return points[hi].value;
  const a = points[hi - 1], b = points[hi];
  return a.value + ((step - a.step) / (b.step - a.step)) * (b.value - a.value);
}

/**
 * The group's curve: at every step any member logged, the mean, minimum and maximum of the
 * members whose curve spans that step (a member is interpolated between its own steps, never
 * extended past its first or last one). Non-finite points are left out.
 */
export function groupCurve(curves: readonly Curve[]): BandPoint[] {
  const clean = curves.map((c) => c.points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.step)).sort((a, b) => a.step - b.step));
  const steps = [...new Set(clean.flatMap((ps) => ps.map((p) => p.step)))].sort((a, b) => a - b);
  const out: BandPoint[] = [];
  for (const step of steps) {
    const values = clean.map((ps) => valueAt(ps, step)).filter((v): v is number => v !== undefined);
    const s = statsOf(values);
    if (s) out.push({ step, mean: s.mean, min: s.min, max: s.max, n: s.n });
  }
  return out;
}

/** The min–max band as a closed SVG path: along the maxima, back along the minima. */
export function bandPath(points: readonly BandPoint[], e: Extent, box: CurveBox): string {
  if (points.length === 0) return '';
  const w = box.width - 2 * box.pad, hh = box.height - 2 * box.pad;
  const x = (s: number) => (box.pad + ((s - e.minX) / (e.maxX - e.minX)) * w).toFixed(1);
  const y = (v: number) => (box.pad + (1 - (v - e.minY) / (e.maxY - e.minY)) * hh).toFixed(1);
  const top = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.step)} ${y(p.max)}`);
  const bottom = [...points].reverse().map((p) => `L${x(p.step)} ${y(p.min)}`);
  return `${[...top, ...bottom].join(' ')} Z`;
}

/** "0.730 ± 0.026" (a single run: just its value). */
export function formatStats(s: Stats | undefined, format: (v: number) => string): string {
  if (!s) return '';
  return s.sd === undefined ? format(s.mean) : `${format(s.mean)} ± ${format(s.sd)}`;
}
