/**
 * Sweeps: a grid over loss, batch size, epochs, learning rate and training-data volume, run
 * as a series of runs `<sweepId>-NNN` under one root, on any runner (on Ray, several at once).
 * Resumable: a completed run is skipped, a cancelled or interrupted one resumes from its checkpoint.
 */
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import type { RequestedLoss } from './choose-loss';
import type { TrainRequest, TrainResult } from './trainer';
import { checkRunnerSettings, resumeWithRunner, trainWithRunner, type RunnerSettings } from './runners/runner';
import { SWEEP_DEFAULTS } from '../defaults';
import { readSummary, runDirFor, runFiles, runsDir, runState, type DataSkips } from './runs';
import { checkName, MAX_NAME_LENGTH } from '../util/names';
import { resolveInside } from '../util/paths';
import { readJson, writeJsonAtomic } from '../util/fs';
import { InputError } from '../util/errors';

export interface SweepGrid {
  /** Loss names, or "auto" (the loss follows the data). */
  loss?: RequestedLoss[];
  batchSize?: number[];
  epochs?: number[];
  lr?: number[];
  /** Training-data volumes: counts, or fractions ≤ 1. */
  trainLimit?: number[];
}

export interface SweepPoint {
  index: number;
  loss: RequestedLoss;
  batchSize?: number;
  epochs?: number;
  lr?: number;
  trainLimit?: number;
}

export interface SweepResult {
  sweepId: string;
  file: string;
  /** `skipped` here is true for a run completed by an earlier call of the sweep. */
  runs: Array<SweepPoint & { run: string; status: string; before: Record<string, number>; after: Record<string, number>; skipped: boolean }>;
  /** The rows of the data files every run skipped (unreadable, empty text, no label), as `import` reports them. */
  dataSkipped?: DataSkips;
}

/** Every combination of the grid, in a stable order. */
export function expandGrid(grid: SweepGrid, baseLoss: RequestedLoss = 'auto'): SweepPoint[] {
  const axes: Array<[keyof Omit<SweepPoint, 'index'>, readonly (string | number | undefined)[]]> = [
    ['loss', grid.loss?.length ? grid.loss : [baseLoss]],
    ['batchSize', grid.batchSize?.length ? grid.batchSize : [undefined]],
    ['epochs', grid.epochs?.length ? grid.epochs : [undefined]],
    ['lr', grid.lr?.length ? grid.lr : [undefined]],
    ['trainLimit', grid.trainLimit?.length ? grid.trainLimit : [undefined]],
  ];
  let points: Array<Record<string, unknown>> = [{}];
  for (const [name, values] of axes) points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  return points.map((p, index) => ({ ...(p as Omit<SweepPoint, 'index'>), index }));
}

export interface SweepRunOptions {
  /** Where the runs train (default: the builtin runner). */
  runner?: RunnerSettings;
  /** Runs at once: 1 on this machine's runners; on the ray runner up to this many (default SWEEP_DEFAULTS.rayConcurrency). */
  concurrency?: number;
}

/** How many runs of a sweep train at once; InputError for more than one off Ray. */
export function sweepConcurrency(runner: RunnerSettings | undefined, asked: number | undefined): number {
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1)) throw new InputError(`--concurrency must be a whole number ≥ 1 (got ${asked})`, { field: 'concurrency' });
  if (runner?.runner !== 'ray') {
    if (asked !== undefined && asked > 1)
      throw new InputError(`--concurrency ${asked}: only the ray runner trains a sweep's runs at once (the ${runner?.runner ?? 'builtin'} runner would share this machine's cores between them)`, {
        field: 'concurrency',
      });
    return 1;
  }
  return asked ?? SWEEP_DEFAULTS.rayConcurrency;
}

/**
 * Runs (or resumes) every grid point, on `run.runner`: one after the other, or on Ray up to
 * `run.concurrency` at once. `onRun` hears about each finished run; the sweep file lists them
 * in grid order. A cancelled run stops the sweep from starting others.
 */
export async function runSweep(
  sweepId: string,
  grid: SweepGrid,
  base: TrainRequest,
  onRun?: (r: TrainResult, point: SweepPoint) => void,
  run: SweepRunOptions = {},
): Promise<SweepResult> {
  checkName(sweepId, 'sweep id', 'sweep-id');
  // Its runs are named <sweep id>-000, -001, …: they must follow the name rule too.
  if (sweepId.length > MAX_NAME_LENGTH - 4) throw new InputError(`sweep id ${JSON.stringify(sweepId)} is longer than ${MAX_NAME_LENGTH - 4} characters`, { field: 'sweep-id' });
  const concurrency = sweepConcurrency(run.runner, run.concurrency);
  checkRunnerSettings(run.runner ?? {});
  const root = path.resolve(base.root);
  const file = resolveInside(runsDir(root), `${sweepId}.sweep.json`, 'sweep-id');
  const points = expandGrid(grid, base.loss);
  const previous = await readJson<{ grid: SweepGrid }>(file);
  if (previous && JSON.stringify(previous.grid) !== JSON.stringify(grid))
    throw new InputError(`the sweep "${sweepId}" exists with another grid; use a new --sweep-id`, { file });
  const result: SweepResult = { sweepId, file, runs: [] };
  const runner = run.runner ? { runner: run.runner.runner ?? 'builtin' } : {};
  await writeJsonAtomic(file, { schemaVersion: 1, sweepId, grid, ...runner, base: { train: base.train, eval: base.eval, encoder: base.encoder, seed: base.seed }, runs: [] });
  const resumeOptions = { encoderContext: base.encoderContext, signal: base.signal, onProgress: base.onProgress, python: run.runner?.python, device: run.runner?.device, rayAddress: run.runner?.rayAddress };

  const trainPoint = async (point: SweepPoint): Promise<{ r: TrainResult; skipped: boolean }> => {
    const runId = `${sweepId}-${String(point.index).padStart(3, '0')}`;
    const dir = runDirFor(root, runId);
    const summary = existsSync(runFiles(dir).summary) ? await readSummary(dir) : undefined;
    if (summary && summary.status === 'completed') return { r: await resumeWithRunner(dir, resumeOptions), skipped: true };
    if (summary && existsSync(runFiles(dir).checkpointState) && runState(summary) !== 'running') return { r: await resumeWithRunner(dir, resumeOptions), skipped: false };
    // Script runners checkpoint in their own folder (checkpoint/hf): resume those too.
    if (summary && summary.runner && summary.runner !== 'builtin' && runState(summary) !== 'running' && existsSync(path.join(dir, 'checkpoint', 'hf')))
      return { r: await resumeWithRunner(dir, resumeOptions), skipped: false };
    const { index: _i, ...params } = point;
    void _i;
    const r = await trainWithRunner(
      {
        ...base,
        loss: point.loss,
        batchSize: point.batchSize ?? base.batchSize,
        epochs: point.epochs ?? base.epochs,
        lr: point.lr ?? base.lr,
        trainLimit: point.trainLimit ?? base.trainLimit,
        runId,
        // A point that failed before its first checkpoint (or never wrote a summary) starts again; a running one is left alone.
        overwrite: !summary || runState(summary) !== 'running',
        sweep: { id: sweepId, index: point.index, params },
      },
      run.runner,
    );
    return { r, skipped: false };
  };

  let next = 0;
  let stopped = false;
  let saving = Promise.resolve();
  const record = (point: SweepPoint, r: TrainResult, skipped: boolean) => {
    result.runs.push({ ...point, run: r.run, status: r.status, before: r.before, after: r.after, skipped });
    result.runs.sort((a, b) => a.index - b.index);
    result.dataSkipped ??= r.skipped;
    const snapshot = { schemaVersion: 1, sweepId, grid, ...runner, runs: [...result.runs] };
    saving = saving.then(() => writeJsonAtomic(file, snapshot));
    onRun?.(r, point);
    if (r.status === 'cancelled') stopped = true;
  };
  const lane = async (): Promise<void> => {
    while (!stopped && next < points.length) {
      const point = points[next++];
      const { r, skipped } = await trainPoint(point);
      record(point, r, skipped);
    }
  };
  const lanes = Array.from({ length: Math.min(concurrency, points.length) }, () => lane());
  const settled = await Promise.allSettled(lanes);
  await saving;
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return result;
}
