/** Run comparison panel protocol (`webview/runs` ↔ `src/host/panels/runs`). Pure types + guards. */
import { isEmpty, isOptional, isShape, isString, type Guard, type ProtocolGuards } from './ipc';
import type { MapPoints } from './map';

/** A metric key as the engine writes it (spearman, top10, nmi, …); labels come from `metric-names.ts`. */
export type MetricName = string;

export interface CurvePoint {
  step: number;
  value: number;
}

/** A named series, e.g. "loss" or "eval spearman". */
export interface Curve {
  name: string;
  points: CurvePoint[];
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface RunSummary {
  id: string;
  /** The name the user gave, or a readable default made from the config. */
  name: string;
  defaultName: string;
  /** True when the user gave the name. */
  named: boolean;
  tags: string[];
  notes: string;
  status: RunStatus;
  /** ISO 8601. */
  createdAt: string;
  durationMs?: number;
  /** Flat config (loss, mode, epochs, batchSize, learningRate, encoder, seed, …). */
  config: Record<string, string | number | boolean | null>;
  /** Evaluation after training (the best evaluation's metrics). */
  metrics: Record<MetricName, number>;
  /** The same evaluation of the base encoder, before training (absent for runs without one). */
  before?: Record<MetricName, number>;
  /** The model(s) whose judgments make `metrics.llmCoherence` (shown with it: "LLM-judged by …"). */
  coherenceJudgedBy?: string;
  /**
   * What the engine chose and warned about when it trained the run: the loss and why, the pairs
   * kept, an evaluation set too small to mean much ("not enough annotations yet (n < 30): …"),
   * the epochs, an early stop. Absent for runs from before the engine wrote them.
   */
  trainingNotes?: string[];
  /** Evaluation examples that are also training examples (an --eval file that overlaps --train): its metrics are not held-out results. */
  evalOverlap?: number;
  curves: Curve[];
}

export interface RunMetaResult {
  name: string;
  named: boolean;
  tags: string[];
  notes: string;
}

export type ExportFormat = 'csv' | 'markdown';

/** Which encoder a run map uses: the run's base encoder (before) or the fine-tuned one (after). */
export type RunMapStage = 'before' | 'after';

export type RunsCommands = {
  /** Open the run's folder or summary in the editor. */
  openRun: { runId: string };
};

export type RunsRequests = {
  getRuns: { params: Record<string, never>; result: { runs: RunSummary[] } };
  /** The dataset's map through the run's encoder (after, the default) or its base encoder (before). */
  getRunMap: { params: { runId: string; stage?: RunMapStage }; result: MapPoints };
  /** Rename, tag or annotate a run (fields given replace the stored ones; an empty name restores the default). */
  setRunMeta: { params: { runId: string; name?: string; tags?: string[]; notes?: string }; result: RunMetaResult };
  /** Save an export made by the webview; the host asks where. */
  saveExport: { params: { format: ExportFormat; content: string }; result: { saved: boolean; path?: string } };
};

export type RunsNotifications = {
  /** Runs were added or removed: refetch with getRuns. */
  runsChanged: Record<string, never>;
  /** A live update of one run (training progress: status, new curve points, metrics). */
  runUpdated: { run: RunSummary };
};

export type RunsProtocol = {
  commands: RunsCommands;
  requests: RunsRequests;
  notifications: RunsNotifications;
};

const isRunMapStage: Guard<RunMapStage | undefined> = (v: unknown): v is RunMapStage | undefined => v === undefined || v === 'before' || v === 'after';
const isStringList: Guard<string[]> = (v: unknown): v is string[] => Array.isArray(v) && v.every((t) => typeof t === 'string');
const isExportFormat: Guard<ExportFormat> = (v: unknown): v is ExportFormat => v === 'csv' || v === 'markdown';

export const runsGuards: ProtocolGuards<RunsProtocol> = {
  commands: {
    openRun: isShape<RunsCommands['openRun']>({ runId: isString }),
  },
  requests: {
    getRuns: isEmpty,
    getRunMap: isShape<RunsRequests['getRunMap']['params']>({ runId: isString, stage: isRunMapStage }),
    setRunMeta: isShape<RunsRequests['setRunMeta']['params']>({ runId: isString, name: isOptional(isString), tags: isOptional(isStringList), notes: isOptional(isString) }),
    saveExport: isShape<RunsRequests['saveExport']['params']>({ format: isExportFormat, content: isString }),
  },
};
