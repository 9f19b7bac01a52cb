/**
 * The lines a Ray Jobs run prints for the runner (python/embedlab_train/ray_driver.py with
 * --log-metrics): `EMBEDLAB_METRIC <json>` for each metrics.jsonl line rank 0 writes, in order,
 * `EMBEDLAB_RAY <json>` (the Ray job record) at the start and `EMBEDLAB_SUMMARY <json>` (the
 * run's summary.json) at the end. Everything else in the job's log is text for train.log.
 */
export const METRIC_MARKER = 'EMBEDLAB_METRIC ';
export const RAY_MARKER = 'EMBEDLAB_RAY ';
export const SUMMARY_MARKER = 'EMBEDLAB_SUMMARY ';

export type JobLogLine =
  | { kind: 'metric'; line: string; value: Record<string, unknown> }
  | { kind: 'ray'; value: Record<string, unknown> }
  | { kind: 'summary'; value: Record<string, unknown> }
  | { kind: 'text'; line: string };

function objectAfter(line: string, marker: string): Record<string, unknown> | undefined {
  // A marker at the start of the line; Ray may put a "(pid=…) " prefix before a worker's output.
  const at = line.indexOf(marker);
  if (at < 0) return undefined;
  try {
    const v = JSON.parse(line.slice(at + marker.length)) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** One line of the job's log; a marked line whose JSON does not parse (or a metric without a whole step) is text. */
export function parseJobLogLine(line: string): JobLogLine {
  const metric = objectAfter(line, METRIC_MARKER);
  if (metric && Number.isInteger(metric.step)) return { kind: 'metric', line: JSON.stringify(metric), value: metric };
  const ray = objectAfter(line, RAY_MARKER);
  if (ray) return { kind: 'ray', value: ray };
  const summary = objectAfter(line, SUMMARY_MARKER);
  if (summary) return { kind: 'summary', value: summary };
  return { kind: 'text', line };
}

/**
 * Hands out the metric lines of a job's log that the local metrics.jsonl does not hold yet: the
 * log is read from its start on every re-attach, and its first `known` metric lines are those
 * already written (metrics lines come in order, one per write, so a count is their position).
 */
export function newMetricLines(known: number): (metric: string) => boolean {
  let seen = 0;
  return () => {
    seen++;
    return seen > known;
  };
}
