/**
 * The run bookkeeping of the training loop (loop.ts) and of each mode's run preparation
 * (head/head-trainer.ts, transformer/full-trainer.ts): the run id, the summary and its heartbeat, the step schedule, the checkpoint
 * state, the evaluation line and best checkpoint choice, and the result of a run that
 * finished, was cancelled or failed.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { isCancelledError } from '../util/job';
import type { TrainingBackend } from './backend';
import { keepsLatestCheckpoint, primaryMetric, type EvalMetrics } from './evaluate';
import { planEpochs, type EpochPlan, type PlanInput } from './plan';
import { appendMetric, createRunFolder, newRunId, runFiles, truncateMetrics, writeSummary, type DataSkips, type RunSummary } from './runs';
import { writeJsonAtomic } from '../util/fs';
import { exampleKeys, setSize, type TrainingSet } from './training-data';
import type { PreparedData } from './prepare-data';
import type { CheckpointState, Resolved, TrainOptions, TrainResult } from './settings';

/** The run's id: given, the sweep's id and index, or a new one. */
export function runIdFor(options: TrainOptions): string {
  return options.runId ?? (options.sweep ? `${options.sweep.id}-${String(options.sweep.index).padStart(3, '0')}` : newRunId(options.loss));
}

/** The skipped rows of the training file, and of the evaluation file when one was given. */
export function dataSkips(options: TrainOptions, data: { train: TrainingSet; eval?: TrainingSet }): DataSkips {
  return options.eval && data.eval ? { train: data.train.skipped, eval: data.eval.skipped } : { train: data.train.skipped };
}

/** The summary of a starting (or resumed) run. */
export function newRunSummary(
  dir: string,
  mode: 'head' | 'full',
  loss: string,
  startedAt: string,
  resume: CheckpointState | undefined,
  skipped?: DataSkips,
): RunSummary {
  return {
    schemaVersion: 1,
    id: path.basename(dir),
    status: 'running',
    mode,
    loss,
    runner: 'builtin',
    startedAt,
    updatedAt: new Date().toISOString(),
    pid: process.pid,
    host: os.hostname(),
    step: resume?.step ?? 0,
    totalSteps: 0,
    durationMs: resume?.elapsedMs ?? 0,
    before: resume?.before,
    best: resume?.best,
    after: resume?.bestMetrics,
    last: resume?.last,
    skipped,
  };
}

/**
 * Opens the run folder: a new run creates it (an existing folder is refused, or replaced
 * when `overwrite`) with an empty metrics file and its config.json (made by `config`, called
 * only then); a resumed run drops the metric lines after its checkpoint. Then the summary is written.
 */
export async function openRunFolder(
  dir: string,
  summary: RunSummary,
  resume: CheckpointState | undefined,
  config: () => Promise<object> | object,
  overwrite = false,
): Promise<void> {
  const files = runFiles(dir);
  if (!resume) {
    await createRunFolder(dir, overwrite);
    await fs.writeFile(files.metrics, '');
    await writeJsonAtomic(files.config, { runner: 'builtin', ...(await config()) });
  } else {
    await truncateMetrics(dir, resume.step);
  }
  await writeSummary(dir, summary);
}

/** How many examples of the evaluation set are also training examples (same text, or same two texts). */
export function evalOverlap(train: TrainingSet, evalSet: TrainingSet): number {
  const trained = new Set(exampleKeys(train));
  return exampleKeys(evalSet).filter((k) => trained.has(k)).length;
}

/**
 * The `data` of config.json: the files with their hashes and sizes, and the held-out part. A
 * split of --train states its fraction, seed and (for records with ids: labelled texts) the
 * held-out ids, so the run's maps and label metrics can use those records only; an --eval file
 * states how many of its examples are also training examples (`overlapsTraining`).
 */
export function runDataRecord(
  options: TrainOptions,
  data: PreparedData,
  hashes: { train: string; eval?: string },
  heldOutFraction: number,
): object {
  const ev = data.eval;
  const heldOutIds = data.heldOut && ev && (ev.kind === 'labelled' || ev.kind === 'texts') ? ev.ids : undefined;
  return {
    train: { file: path.resolve(options.train.file), sha256: hashes.train, fields: options.train.fields ?? {}, examples: setSize(data.train), ...data.train.skipped },
    eval: options.eval
      ? {
          file: path.resolve(options.eval.file),
          sha256: hashes.eval,
          examples: ev ? setSize(ev) : 0,
          overlapsTraining: ev ? evalOverlap(data.train, ev) : 0,
          ...ev?.skipped,
        }
      : ev
        ? {
            heldOutFraction,
            examples: setSize(ev),
            ...(data.heldOut ? { seed: data.resolved.seed, split: 'held out of --train before training' } : { split: 'the training texts (DEC: the labels only score)' }),
            ...(heldOutIds ? { heldOutIds } : {}),
          }
        : undefined,
  };
}

/**
 * Writes the summary with its time and duration (`elapsedBefore` ms from earlier sessions plus
 * the time since `t0`), at most every 2 s unless forced.
 */
export function summaryHeartbeat(dir: string, summary: RunSummary, t0: number, elapsedBefore: number): (force?: boolean) => Promise<void> {
  let lastHeartbeat = 0;
  return async (force = false) => {
    const now = Date.now();
    if (!force && now - lastHeartbeat < 2000) return;
    lastHeartbeat = now;
    summary.updatedAt = new Date(now).toISOString();
    summary.durationMs = elapsedBefore + (now - t0);
    await writeSummary(dir, summary);
  };
}

export interface StepSchedule {
  /** The batches of each epoch. */
  plan: EpochPlan[];
  /** The first step of each epoch. */
  epochStart: number[];
  totalSteps: number;
  warmup: number;
  evalEvery: number;
  checkpointEvery: number;
}

/**
 * Plans the batches of every epoch (the same for head and full mode given the same data and
 * seed) and when to evaluate and checkpoint; no batch at all is an InputError.
 */
export function stepSchedule(
  rows: Pick<PlanInput, 'set' | 'rowsA' | 'rowsB' | 'labelIds'>,
  r: Resolved,
  options: TrainOptions,
): StepSchedule {
  const plan = planEpochs({ ...rows, loss: r.loss, batchSize: r.batchSize, epochs: r.epochs, seed: r.seed });
  const epochStart: number[] = [];
  let planned = 0;
  for (const e of plan) {
    epochStart.push(planned);
    planned += e.batches.length;
  }
  const totalSteps = Math.min(planned, options.maxSteps ?? Infinity);
  if (totalSteps === 0) throw new InputError('the training data makes no batch; add data or lower --batch-size', { file: options.train.file });
  const evalEvery = Math.max(1, options.evalEvery ?? plan[0].batches.length);
  return {
    plan,
    epochStart,
    totalSteps,
    warmup: Math.ceil(totalSteps * r.warmupRatio),
    evalEvery,
    checkpointEvery: Math.max(1, options.checkpointEvery ?? Math.min(evalEvery, 200)),
  };
}

/** The epoch a (resumed) step falls in. */
export function epochOfStep(epochStart: readonly number[], step: number): number {
  let epoch = 0;
  while (epoch + 1 < epochStart.length && epochStart[epoch + 1] <= step) epoch++;
  return epoch;
}

/** What a checkpoint keeps besides the tensors. */
export function checkpointState(
  summary: RunSummary,
  at: { step: number; epoch: number; optimizerStep: number; startedAt: string; elapsedMs: number; evalsSinceBest?: number },
): CheckpointState {
  return {
    evalsSinceBest: at.evalsSinceBest,
    step: at.step,
    epoch: at.epoch,
    optimizerStep: at.optimizerStep,
    best: summary.best,
    bestMetrics: summary.after,
    last: summary.last,
    before: summary.before ?? {},
    startedAt: at.startedAt,
    elapsedMs: at.elapsedMs,
  };
}

/**
 * Records an evaluation in the summary and the metrics file. True when its primary metric
 * beats the best so far, or when the run keeps its latest checkpoint (DEC: the labels only
 * report): the summary's best and after are then this one, keep the model.
 */
export function recordEvaluation(dir: string, summary: RunSummary, step: number, epoch: number, m: EvalMetrics): boolean {
  summary.last = m;
  appendMetric(dir, { step, epoch, eval: m });
  const key = primaryMetric(m);
  if (key && (keepsLatestCheckpoint(m) || m[key] > (summary.best?.value ?? -Infinity))) {
    summary.best = { step, epoch: epoch + 1, metric: key, value: m[key] };
    summary.after = m;
    return true;
  }
  return false;
}

/** The result of a run that went through its loop (completed, or cancelled between steps). */
export function loopResult(dir: string, summary: RunSummary, steps: number, totalSteps: number, backend: TrainingBackend): TrainResult {
  return {
    run: dir,
    id: summary.id,
    status: summary.status,
    before: summary.before ?? {},
    after: summary.after ?? summary.last ?? {},
    best: summary.best,
    steps,
    totalSteps,
    durationMs: summary.durationMs,
    backend,
    skipped: summary.skipped,
    ...(summary.epochs !== undefined ? { epochs: summary.epochs } : {}),
    ...(summary.stoppedEarly ? { stoppedEarly: summary.stoppedEarly } : {}),
    ...(summary.notes?.length ? { notes: summary.notes } : {}),
  };
}

/**
 * Ends a run that threw: the summary says cancelled or failed (with the error). A cancel
 * resolves to the cancelled result; any other error is thrown again.
 */
export async function endStoppedRun(
  e: unknown,
  dir: string,
  summary: RunSummary,
  heartbeat: (force?: boolean) => Promise<void>,
  backend: TrainingBackend,
): Promise<TrainResult> {
  if (isCancelledError(e)) {
    summary.status = 'cancelled';
  } else {
    summary.status = 'failed';
    summary.error = (e as Error).message;
  }
  summary.finishedAt = new Date().toISOString();
  await heartbeat(true);
  if (isCancelledError(e))
    return {
      run: dir,
      id: summary.id,
      status: 'cancelled',
      before: summary.before ?? {},
      after: summary.after ?? {},
      steps: summary.step,
      totalSteps: summary.totalSteps,
      durationMs: summary.durationMs,
      backend,
      skipped: summary.skipped,
    };
  throw e;
}
