/**
 * The active loop's rounds so far, read from the project's runs: every run whose config.json
 * has `options.activeLoop`, oldest round first, with Spearman on its held-out pairs for the
 * base encoder (before) and the run (after). The host shows them after a restart too.
 */
import { listRuns } from '../train/runs';
import type { ActiveLoopRound } from '../../protocol/active-loop';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export async function activeLoopRounds(projectDir: string): Promise<ActiveLoopRound[]> {
  const rounds: ActiveLoopRound[] = [];
  for (const run of await listRuns(projectDir)) {
    const options = isRecord(run.config?.options) ? run.config.options : undefined;
    const loop = isRecord(options?.activeLoop) ? options.activeLoop : undefined;
    const round = num(loop?.round);
    if (!loop || round === undefined) continue;
    const base = num(run.summary?.before?.spearman);
    const after = num(run.summary?.after?.spearman);
    rounds.push({
      round,
      runId: run.id,
      status: run.state,
      annotations: num(loop.annotations) ?? 0,
      trained: num(loop.trained) ?? 0,
      heldOut: num(loop.heldOut) ?? 0,
      ...(base !== undefined && after !== undefined ? { base, run: after } : {}),
    });
  }
  return rounds.sort((a, b) => a.round - b.round);
}

/** The latest round whose run completed (its model is what the suggestions compare with the base). */
export function latestCompletedRound(rounds: readonly ActiveLoopRound[]): ActiveLoopRound | undefined {
  for (let i = rounds.length - 1; i >= 0; i--) if (rounds[i].status === 'completed') return rounds[i];
  return undefined;
}
