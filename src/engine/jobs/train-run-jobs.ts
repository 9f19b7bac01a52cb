/**
 * The training jobs on data files, as `embedlab train` and `embedlab sweep` ask for them:
 * `trainFile` (a fine-tune run from a training file, into <root>/runs/), `resumeRun` (a
 * cancelled or interrupted run from its last checkpoint), `evalRun` (an evaluation run: an
 * encoder scored without training) and `sweep` (a resumable grid of runs). The project's
 * Fine-tune… job is `train` (train-job.ts). All get the caller's secrets and encoder providers.
 */
import * as path from 'node:path';
import { InputError } from '../util/errors';
import type { EncoderContext } from '../encoders/provider';
import { evaluateEncoderRun, runSweep, locateRun, type TrainResult, type TrainSettings, type EvalRunOptions, type EvalRunResult, type SweepGrid, type SweepResult } from '../train/index';
import type { JobOptions } from '../util/job';
import type { JobContext } from './job-context';
import { resumeWithRunner, trainWithRunner, type RunnerSettings } from '../train/runners/runner';
import type { RequestedLoss } from '../train/choose-loss';
import type { ExportJobResult } from '../train/runners/export-job';
import type { ImportRunResult } from '../train/import-run';

/** Where encoders of a run are looked up and cached. */
interface RunEncoderParams {
  /** The project folder for run:<id> encoders and saved built-in models (default: `root`). */
  projectDir?: string;
  cacheDir?: string;
}

export interface TrainFileParams extends Omit<TrainSettings, 'loss'>, RunEncoderParams {
  /** A loss name, or "auto"/absent: the loss follows the data (train/choose-loss.ts). */
  loss?: RequestedLoss;
  /** The folder holding runs/ (a project folder, or the CLI's --out). */
  root: string;
  runId?: string;
  /** Replace an existing run of the same id. */
  overwrite?: boolean;
  /** Where the steps run (default: the builtin TensorFlow.js trainer). */
  runner?: RunnerSettings;
}

export interface ResumeRunParams extends RunEncoderParams {
  /** A run folder, or run:<id> / <id> under `root`. */
  run: string;
  /** Where runs/ is (default: the current folder). */
  root?: string;
  /** python and ray runners: the interpreter and device to resume with (default: the run's own). */
  python?: RunnerSettings['python'];
  device?: RunnerSettings['device'];
  /** ray runner: the cluster to resume on (default: the one it ran on). */
  rayAddress?: RunnerSettings['rayAddress'];
}

export type EvalRunParams = Omit<EvalRunOptions, 'encoderContext' | keyof JobOptions> & RunEncoderParams;

export interface SweepParams {
  sweepId: string;
  grid: SweepGrid;
  /** The settings every run shares (and their runner); the grid's axes override theirs. */
  base: TrainFileParams;
  /** ray runner: runs at once (default SWEEP_DEFAULTS.rayConcurrency; other runners: 1). */
  concurrency?: number;
}

/** The progress stage of a finished sweep run: `done` is its index, `message` its status and metrics. */
export const SWEEP_RUN_STAGE = 'sweep-run';

function encoderContextOf(params: RunEncoderParams, root: string | undefined, ctx: JobContext): EncoderContext {
  return {
    projectDir: params.projectDir ?? root,
    ...(params.cacheDir !== undefined ? { cacheDir: params.cacheDir } : {}),
    hfToken: ctx.secrets.hfToken,
    apiKey: ctx.secrets.apiKey,
    providers: ctx.encoderProviders,
  };
}

export async function trainFileJob(params: TrainFileParams, ctx: JobContext): Promise<TrainResult> {
  const { projectDir, cacheDir, runner, ...options } = params;
  return trainWithRunner({ ...options, encoderContext: encoderContextOf({ projectDir, cacheDir }, params.root, ctx), signal: ctx.signal, onProgress: ctx.onProgress }, runner);
}

/** `train --export-job`: the run as a self-contained job folder, trained elsewhere (accelerate, Slurm, Ray). */
export async function exportTrainJobFile(params: TrainFileParams & { exportDir: string }, ctx: JobContext): Promise<ExportJobResult> {
  const { projectDir, cacheDir, runner: _runner, exportDir, ...options } = params;
  void _runner;
  const { exportTrainJob } = await import('../train/runners/export-job');
  return exportTrainJob({ ...options, encoderContext: encoderContextOf({ projectDir, cacheDir }, params.root, ctx), signal: ctx.signal, onProgress: ctx.onProgress }, exportDir);
}

/** `runs import`: a finished exported job (or a run folder from elsewhere) as a run of the project. */
export async function importRunJob(params: { from: string; root: string; runId?: string; overwrite?: boolean }): Promise<ImportRunResult> {
  const { importRun } = await import('../train/import-run');
  return importRun(params.from, params.root, { runId: params.runId, overwrite: params.overwrite });
}

export async function resumeRunJob(params: ResumeRunParams, ctx: JobContext): Promise<TrainResult> {
  const dir = await locateRun(params.run, params.root, 'config.json');
  if (!dir) throw new InputError(`no run "${params.run}"`, { field: 'resume' });
  const root = params.root ?? path.dirname(path.dirname(dir));
  return resumeWithRunner(dir, { encoderContext: encoderContextOf(params, root, ctx), signal: ctx.signal, onProgress: ctx.onProgress, python: params.python, device: params.device, rayAddress: params.rayAddress });
}

/** `runs watch`: follows a Ray Jobs run again whose runner is gone (an editor restart, a killed CLI) to its end. */
export async function watchRunJob(params: { run: string; root?: string }, ctx: JobContext): Promise<TrainResult> {
  const dir = await locateRun(params.run, params.root, 'config.json');
  if (!dir) throw new InputError(`no run "${params.run}"`, { field: 'run' });
  const { attachRayJob } = await import('../train/runners/ray-jobs-runner');
  return attachRayJob(dir, { signal: ctx.signal, onProgress: ctx.onProgress });
}

export async function evalRunJob(params: EvalRunParams, ctx: JobContext): Promise<EvalRunResult> {
  const { projectDir, cacheDir, ...options } = params;
  return evaluateEncoderRun({ ...options, encoderContext: encoderContextOf({ projectDir, cacheDir }, params.root, ctx), signal: ctx.signal, onProgress: ctx.onProgress });
}

export async function sweepJob(params: SweepParams, ctx: JobContext): Promise<SweepResult> {
  const { projectDir, cacheDir, runner, ...base } = params.base;
  const options = { ...base, encoderContext: encoderContextOf({ projectDir, cacheDir }, base.root, ctx), signal: ctx.signal, onProgress: ctx.onProgress };
  return runSweep(
    params.sweepId,
    params.grid,
    options,
    (r, p) => ctx.onProgress?.({ stage: SWEEP_RUN_STAGE, done: p.index, total: 0, message: `${r.status} ${JSON.stringify(r.after)}` }),
    { runner, concurrency: params.concurrency },
  );
}
