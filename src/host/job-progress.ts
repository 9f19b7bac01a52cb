/**
 * What a user reads about a running job: one overall percentage and a plain stage name
 * ("Embedding texts", "Laying out the map") instead of the engine's stage ids ("svd 2/9").
 * Each job type weighs its phases (embedding a dataset is most of a Cluster job, training most
 * of a fine-tune); a stage's done/total moves the percentage inside its phase's share. Stages
 * a job type does not list (or any new stage) are still named, and leave the percentage as it
 * is; the percentage never goes back. Pure (no `vscode`): the notification, the status bar and
 * the tests share it.
 */
import type { Progress } from '../engine/util/job';

export type Phase =
  | 'download' | 'read' | 'import' | 'clean' | 'fit' | 'embed' | 'neighbours' | 'cluster' | 'topics' | 'layout' | 'train' | 'evaluate';

export const PHASE_NAMES: Record<Phase, string> = {
  download: 'Downloading the model',
  read: 'Reading the data',
  import: 'Importing the data',
  clean: 'Cleaning texts',
  fit: 'Fitting the built-in encoder',
  embed: 'Embedding texts',
  neighbours: 'Finding neighbours',
  cluster: 'Clustering',
  topics: 'Naming topics',
  layout: 'Laying out the map',
  train: 'Training',
  evaluate: 'Evaluating',
};

/** Stages that report an event, not an amount of work: their message is what the user reads. */
const EVENT_NAMES: Record<string, string> = {
  waiting: 'Waiting for the endpoint',
  retry: 'Retrying the endpoint',
  warning: 'Warning',
  log: 'Log',
  sleep: 'Waiting',
};

/** The phase an engine stage id belongs to, or undefined for a stage this module does not know. */
export function stagePhase(stage: string): Phase | undefined {
  if (stage === 'umap-2d') return 'layout';
  if (stage.startsWith('umap')) return 'cluster'; // the reduction HDBSCAN clusters in
  if (stage.startsWith('clean')) return 'clean';
  switch (stage) {
    case 'download': return 'download';
    case 'read': return 'read';
    case 'import': return 'import';
    case 'tfidf': case 'svd': return 'fit';
    case 'encode': case 'embed': return 'embed';
    case 'knn': case 'ivf': return 'neighbours';
    case 'hdbscan': case 'kmeans': case 'choose-k': return 'cluster';
    case 'topics': return 'topics';
    case 'train': return 'train';
    case 'evaluate': return 'evaluate';
    default: return undefined;
  }
}

/** A plain name for any stage id; an unknown one is shown as it is, made readable ("my-stage" → "My stage"). */
export function stageName(stage: string): string {
  const phase = stagePhase(stage);
  if (phase) return PHASE_NAMES[phase];
  if (EVENT_NAMES[stage]) return EVENT_NAMES[stage];
  const words = stage.replace(/[-_:]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Working';
}

type Plan = readonly (readonly [Phase, number])[];

const CLUSTERING: Plan = [['download', 3], ['fit', 10], ['embed', 30], ['neighbours', 12], ['cluster', 25], ['topics', 2], ['layout', 18]];
const EMBEDDING: Plan = [['download', 10], ['fit', 20], ['embed', 70]];

/**
 * Each job type's phases in the order they run, with their share of the work. A phase a job skips
 * (no download for a cached model, no fit for an ONNX encoder) is passed over: the percentage jumps.
 * "evaluate" in a fine-tune is interleaved with training, so it has no share there.
 */
const PLANS: Record<string, Plan> = {
  embed: EMBEDDING,
  similar: EMBEDDING,
  cluster: CLUSTERING,
  mapPoints: CLUSTERING,
  runMap: CLUSTERING,
  exportClusters: CLUSTERING,
  suggestPairs: [['download', 5], ['fit', 15], ['embed', 60], ['neighbours', 20]],
  planPrescore: [['download', 5], ['fit', 15], ['embed', 60], ['neighbours', 20]],
  train: [['read', 3], ['download', 2], ['fit', 5], ['embed', 5], ['train', 85]],
  import: [['import', 100]],
  clean: [['clean', 100]],
};

export interface ProgressView {
  /** Overall percentage, 0–100 (whole numbers), or undefined while nothing measurable was reported. */
  percent?: number;
  /** "Embedding texts (120 of 633)", "Training: epoch 1/4 loss 0.4120", "Waiting for the endpoint: …". */
  text: string;
}

/** Follows one job's progress reports and turns each into a ProgressView. */
export class JobProgress {
  private readonly plan: Plan | undefined;
  private readonly total: number;
  private best: number | undefined;

  constructor(readonly jobType: string) {
    this.plan = PLANS[jobType];
    this.total = this.plan ? this.plan.reduce((s, [, w]) => s + w, 0) : 0;
  }

  update(p: Progress): ProgressView {
    const stage = typeof p.stage === 'string' ? p.stage : '';
    const fraction = p.total > 0 && Number.isFinite(p.done) ? Math.min(1, Math.max(0, p.done / p.total)) : undefined;
    const overall = this.overall(stage, fraction);
    if (overall !== undefined) this.best = Math.max(this.best ?? 0, overall);
    return { ...(this.best !== undefined ? { percent: Math.floor(this.best) } : {}), text: this.text(stage, p) };
  }

  /** The overall percentage this report means, or undefined when it says nothing about it. */
  private overall(stage: string, fraction: number | undefined): number | undefined {
    if (!this.plan) return fraction === undefined ? undefined : 100 * fraction; // a job without a plan (Check Engine's sleep): the stage's own share
    const phase = stagePhase(stage);
    const at = phase === undefined ? -1 : this.plan.findIndex(([ph]) => ph === phase);
    if (at < 0) return undefined;
    const before = this.plan.slice(0, at).reduce((s, [, w]) => s + w, 0);
    return (100 * (before + this.plan[at][1] * (fraction ?? 0))) / this.total;
  }

  private text(stage: string, p: Progress): string {
    const name = stageName(stage);
    const phase = stagePhase(stage);
    if (phase === 'embed' && p.total > 0) return `${name} (${p.done} of ${p.total})`;
    if ((phase === 'train' || phase === undefined) && p.message) return `${name}: ${p.message}`;
    return name;
  }
}

/** "Embedding texts (120 of 633) — 41%": the line a notification or tooltip shows. */
export function progressLine(view: ProgressView): string {
  return view.percent === undefined ? view.text : `${view.text} — ${view.percent}%`;
}
