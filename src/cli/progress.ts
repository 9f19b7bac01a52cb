import type { CommandContext } from './command';
import { throttleProgress, type Progress, type ProgressListener } from '../engine/util/job';

/** Stages that are never throttled away: an endpoint retrying or waiting, a warning about the vectors. */
const ALWAYS_SHOWN = new Set(['retry', 'waiting', 'warning']);

/**
 * One stderr line for a progress report: "embed 120/400", plus its message when it has one.
 * A retry, wait or warning message says everything itself: "retry: <endpoint>: HTTP 503 …; retry 1/5, waiting 0.5 s".
 */
export function progressLine(p: Progress): string {
  if (p.message && ALWAYS_SHOWN.has(p.stage)) return `${p.stage}: ${p.message}`;
  return `${p.stage} ${p.done}${p.total ? '/' + p.total : ''}${p.message ? ' ' + p.message : ''}`;
}

/**
 * A command's progress on stderr: at most one line every `intervalMs` per stage, except retries,
 * waits and warnings, which are always shown.
 */
export function progressPrinter(ctx: Pick<CommandContext, 'log'>, intervalMs = 1000): ProgressListener {
  const throttled = throttleProgress((p) => ctx.log(progressLine(p)), intervalMs);
  return (p) => (ALWAYS_SHOWN.has(p.stage) ? ctx.log(progressLine(p)) : throttled(p));
}

export function isAlwaysShown(p: Progress): boolean {
  return ALWAYS_SHOWN.has(p.stage);
}
