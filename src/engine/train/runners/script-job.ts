/**
 * The part of a sentence-transformers script run (python and ray runners, and an exported job)
 * that is the same wherever it runs: the settings resolved, the base model located, the data
 * read by our loader and the batches planned, all checked before anything is written; then the
 * job folder (python-job.ts) and the run's config.json record.
 */
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import { sha256File } from '../../util/hash-file';
import { labelIds } from '../evaluate';
import { versions } from '../versions';
import { dataSkips, runDataRecord, stepSchedule, type StepSchedule } from '../run-record';
import { resolveSettings, stripJob, type Resolved, type TrainOptions } from '../settings';
import { prepareData, type PreparedData } from '../prepare-data';
import type { DataSkips } from '../runs';
import { writePythonJob, type PythonJob } from './python-job';
import type { DeviceName } from './runner';
import { TRAIN_DEFAULTS } from '../../defaults';

export interface ScriptJobPlan {
  options: TrainOptions;
  resolved: Resolved;
  root: string;
  /** The base model folder (sentence-transformers or Hugging Face layout). */
  baseDir: string;
  data: PreparedData;
  schedule: StepSchedule;
  hashes: { train: string; eval?: string };
  skipped: DataSkips | undefined;
}

/** Refuses what only the builtin runner trains. */
export function checkTrainsOnScript(options: TrainOptions, runner: string): void {
  if ((options.mode ?? 'head') !== 'full')
    throw new InputError(`the ${runner} runner fine-tunes every weight (--mode full); head mode trains on the builtin runner`, { field: 'runner' });
  if (options.loss === 'dec') throw new InputError('the dec loss trains in head mode, on the builtin runner', { field: 'loss' });
}

/** Resolves, locates, loads and plans: everything a script run needs before its folder exists. */
export async function planScriptJob(options: TrainOptions, runner: string): Promise<ScriptJobPlan> {
  checkTrainsOnScript(options, runner);
  // Full mode's own helpers (its default learning rate, the text index the batch plan keys on).
  const { FULL_DEFAULT_LR } = await import('../transformer/full-trainer');
  const { indexTexts } = await import('../transformer/transformer-trainable');
  const asked = resolveSettings({ ...options, lr: options.lr ?? FULL_DEFAULT_LR });
  const root = path.resolve(options.root);
  const context = { projectDir: root, ...(options.encoderContext ?? {}), signal: options.signal, onProgress: options.onProgress };
  const { locateTrainableFolder } = await import('../transformer/model-source');
  const baseDir = await locateTrainableFolder(options.encoder, context);
  const data = await prepareData(options, asked);
  // The epochs are settled from the data (prepare-data.ts).
  const resolved = data.resolved;
  if (data.train.kind === 'texts') throw new InputError(`the ${runner} runner does not train on plain texts`, { field: 'loss' });
  const index = indexTexts(data.train);
  const trainLabels = data.train.kind === 'labelled' ? labelIds(data.train.labels) : undefined;
  const schedule = stepSchedule({ set: data.train, rowsA: index.a, rowsB: index.b, labelIds: trainLabels?.ids }, resolved, options);
  const hashes = { train: await sha256File(options.train.file), eval: options.eval ? await sha256File(options.eval.file) : undefined };
  return { options, resolved, root, baseDir, data, schedule, hashes, skipped: dataSkips(options, data) };
}

/** Writes the job folder (job.json, train.jsonl, eval.jsonl); `model` as job.json names it. */
export function writeScriptJob(dir: string, runId: string, plan: ScriptJobPlan, device: DeviceName, model: string = plan.baseDir): Promise<PythonJob> {
  const { resolved: r, options } = plan;
  return writePythonJob(
    dir,
    {
      runId,
      model,
      loss: r.loss,
      lossOptions: r.lossOptions,
      miniBatch: options.miniBatch,
      dropout: options.dropout,
      lr: r.lr,
      weightDecay: r.weightDecay,
      seed: r.seed,
      device,
      // Checkpoints of the step cadence at most every few minutes (an asked cadence is kept as asked).
      checkpointMinSeconds: options.checkpointEvery !== undefined ? 0 : TRAIN_DEFAULTS.scriptCheckpointMinSeconds,
      // The script stops early as the builtin loop does (metrics_callback.py) and keeps the best model.
      patience: r.patience,
      notes: plan.data.notes,
    },
    plan.data,
    plan.schedule,
  );
}

/** The run's config.json: what was asked, resolved and planned, plus where it runs (`extra`). */
export function scriptRunConfig(id: string, createdAt: string, plan: ScriptJobPlan, job: PythonJob, extra: Record<string, unknown>): Record<string, unknown> {
  const { options, resolved: r } = plan;
  return {
    schemaVersion: 1,
    id,
    root: plan.root,
    createdAt,
    mode: 'full',
    ...extra,
    options: stripJob(options),
    resolved: r,
    encoder: options.encoder,
    model: { folder: plan.baseDir },
    schedule: { totalSteps: job.totalSteps, warmupSteps: job.warmupSteps, evalEvery: job.evalEvery, checkpointEvery: job.checkpointEvery, checkpointMinSeconds: job.checkpointMinSeconds },
    data: runDataRecord(options, plan.data, plan.hashes, r.evalFraction),
    versions: { embeddingLab: versions().embeddingLab, node: process.version },
  };
}
