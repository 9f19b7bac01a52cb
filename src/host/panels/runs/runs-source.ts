import type { MapPoints } from '../../../protocol/map';
import type { ExportFormat, RunMapStage, RunMetaResult, RunSummary } from '../../../protocol/runs';
import type { RunMetaPatch } from '../../../protocol/run-meta';

/**
 * What run comparison needs from the project; the host implements it from
 * `<project>/runs/<id>/{config.json, metrics.jsonl, summary.json}` (see `src/engine/train/`).
 */
export interface RunsSource {
  readonly title: string;
  /** Opaque key identifying the project across restarts (e.g. the project dir). */
  readonly restoreKey: string;
  /** Every run: flat config, metrics (spearman, top1/top10/top25, purity, nmi, ari, silhouette), duration, curves. */
  getRuns(): Promise<RunSummary[]>;
  /** The runs still training, with their curves so far: pushed to the panel while a fine-tune runs. */
  runningRuns(): Promise<RunSummary[]>;
  /** The dataset's map through the run's fine-tuned encoder (after) or its base encoder (before). */
  getRunMap(runId: string, stage: RunMapStage): Promise<MapPoints>;
  /** Store a run's name, tags or notes (an unknown run id is refused). */
  setRunMeta(runId: string, patch: RunMetaPatch): Promise<RunMetaResult>;
  /** Ask where to save `content` (a CSV or Markdown table made by the webview) and write it; undefined if cancelled. */
  saveExport(format: ExportFormat, content: string): Promise<string | undefined>;
  /** Reveal the run (its folder or summary.json). Optional. */
  openRun?(runId: string): Promise<void>;
}
