/** Which maps the run comparison draws (pure). */
import type { RunMapStage } from '../../src/protocol/runs';

/** One run → its base encoder (before) and the run (after), side by side; two runs → each run. */
export function mapPanes(ids: readonly string[]): { runId: string; stage: RunMapStage }[] {
  if (ids.length === 1) return [{ runId: ids[0], stage: 'before' }, { runId: ids[0], stage: 'after' }];
  return ids.slice(0, 2).map((runId) => ({ runId, stage: 'after' as const }));
}
