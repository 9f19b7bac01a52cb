/**
 * The active loop as the status bar and the annotation panel show it: its rounds (each an
 * ordinary run, "active-loop-<round>", tagged "active-loop") with Spearman on the fixed
 * held-out annotations for the base encoder and for the run, and what it is doing now.
 * Pure types and text.
 */
export interface ActiveLoopRound {
  round: number;
  runId: string;
  status: string;
  /** Scored pairs there were when the round started. */
  annotations: number;
  trained: number;
  heldOut: number;
  /** Spearman on the held-out pairs: the base encoder, the run (absent when too few held-out pairs). */
  base?: number;
  run?: number;
}

export interface ActiveLoopStatus {
  /** New annotations between two runs; 0 = off. */
  every: number;
  state: 'off' | 'idle' | 'training';
  /** While training: the scored pairs it trains on, and whether one more run is queued. */
  training?: { annotations: number; queued: boolean };
  /** Annotations until the next run. */
  untilNext?: number;
  /** Oldest first. */
  rounds: ActiveLoopRound[];
  /** Why the last round could not train or measure, if it could not. */
  problem?: string;
}

const fmt = (v: number) => v.toFixed(2);

/** The latest round that has a Spearman. */
export function latestMeasured(status: ActiveLoopStatus): ActiveLoopRound | undefined {
  for (let i = status.rounds.length - 1; i >= 0; i--) {
    const r = status.rounds[i];
    if (r.base !== undefined && r.run !== undefined) return r;
  }
  return undefined;
}

/**
 * One line: "Active loop: Spearman 0.41 → 0.58 (n=60)" (the base encoder → the latest run, on
 * the held-out annotations; n = the scored pairs it had), or what the loop is doing.
 */
export function activeLoopLine(status: ActiveLoopStatus): string {
  if (status.state === 'off') return 'Active loop: off';
  const m = latestMeasured(status);
  const spearman = m ? `Spearman ${fmt(m.base!)} → ${fmt(m.run!)} (n=${m.annotations})` : undefined;
  if (status.state === 'training') {
    const t = status.training;
    return `Active loop: training on ${t?.annotations ?? '…'} annotations${t?.queued ? ' (+1 queued)' : ''}${spearman ? ` · ${spearman}` : ''}`;
  }
  if (spearman) return `Active loop: ${spearman}`;
  if (status.rounds.length) return `Active loop: ${status.rounds.length} run${status.rounds.length > 1 ? 's' : ''}, too few held-out pairs for Spearman`;
  return `Active loop: first run after ${status.untilNext ?? status.every} more annotation${(status.untilNext ?? status.every) === 1 ? '' : 's'}`;
}

/** "n=20 0.30→0.35 · n=40 0.33→0.45": how Spearman moved round by round. */
export function activeLoopTrend(status: ActiveLoopStatus): string {
  return status.rounds
    .filter((r) => r.base !== undefined && r.run !== undefined)
    .map((r) => `n=${r.annotations} ${fmt(r.base!)}→${fmt(r.run!)}`)
    .join(' · ');
}
