/**
 * Training's public entry points: start a run, or resume one from its last checkpoint. Each
 * mode prepares its run and model (head/head-trainer.ts, transformer/full-trainer.ts), and one
 * loop (loop.ts) trains it.
 */
import * as path from 'node:path';
import { tf, type TrainingBackend } from './backend';
import type { EncoderContext } from '../encoders/resolve';
import type { JobOptions } from '../util/job';
import { InputError } from '../util/errors';
import { readSummary, runFiles, newRunDir } from './runs';
import { readJson } from '../util/fs';
import { runIdFor } from './run-record';
import type { CheckpointState, TrainOptions, TrainRequest, TrainResult, TrainSettings } from './settings';
import { chooseRunLoss } from './choose-loss';
import { trainHead } from './head/head-trainer';

export type { TrainMode, DataSource, TrainSettings, TrainOptions, TrainRequest, TrainResult, Resolved, CheckpointState } from './settings';

/**
 * Trains a new run (head or full mode), with the loss chosen from the data when it is "auto"
 * (choose-loss.ts). Resolves when the run completes or is cancelled.
 */
export async function train(request: TrainRequest): Promise<TrainResult> {
  const options = await chooseRunLoss(request);
  if ((options.mode ?? 'head') === 'full') return trainFullMode(options);
  const root = path.resolve(options.root);
  const dir = await newRunDir(root, runIdFor(options), options.overwrite);
  return trainHead(options, dir, undefined);
}

/** Resumes a cancelled or interrupted run from its last checkpoint (a completed run is returned as is). */
export async function resumeRun(runDir: string, options: JobOptions & { encoderContext?: EncoderContext } = {}): Promise<TrainResult> {
  const files = runFiles(runDir);
  const config = await readJson<{ options: TrainSettings; root: string; id: string }>(files.config);
  if (!config) throw new InputError('not a run folder (no config.json)', { file: runDir });
  const state = await readJson<CheckpointState>(files.checkpointState);
  const summary = await readSummary(runDir);
  if (summary?.status === 'completed') {
    return {
      run: runDir,
      id: config.id,
      status: 'completed',
      before: summary.before ?? {},
      after: summary.after ?? {},
      best: summary.best,
      steps: summary.step,
      totalSteps: summary.totalSteps,
      durationMs: summary.durationMs,
      backend: (tf.getBackend() as TrainingBackend) ?? 'cpu',
      skipped: summary.skipped,
      epochs: summary.epochs,
      stoppedEarly: summary.stoppedEarly,
      notes: summary.notes,
    };
  }
  // Without a checkpoint the run starts again in its own folder (overwrite: it is this run's).
  const full: TrainOptions = { ...config.options, ...options, root: path.dirname(path.dirname(runDir)), runId: config.id, overwrite: !state };
  if (config.options.mode === 'full') return trainFullMode(full, { dir: runDir, state });
  return trainHead(full, runDir, state);
}

/** Full mode lives in ./transformer (loaded on first use: plain head training never needs it). */
async function trainFullMode(options: TrainOptions, resume?: { dir: string; state?: CheckpointState }): Promise<TrainResult> {
  const { trainFull } = await import('./transformer/index');
  return trainFull(options, resume);
}
