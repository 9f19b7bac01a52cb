/**
 * Sweeps: a grid over loss, batch size, epochs, learning rate and training-data volume, run
 * as a series of runs `<sweepId>-NNN` under one root. Resumable: a completed run is skipped,
 * a cancelled or interrupted one resumes from its checkpoint.
 */
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import type { RequestedLoss } from './choose-loss';
import { train, resumeRun, type TrainRequest, type TrainResult } from './trainer';
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

/** Runs (or resumes) every grid point in order; `onRun` hears about each finished run. */
export async function runSweep(
  sweepId: string,
  grid: SweepGrid,
  base: TrainRequest,
  onRun?: (r: TrainResult, point: SweepPoint) => void,
): Promise<SweepResult> {
  checkName(sweepId, 'sweep id', 'sweep-id');
  // Its runs are named <sweep id>-000, -001, …: they must follow the name rule too.
  if (sweepId.length > MAX_NAME_LENGTH - 4) throw new InputError(`sweep id ${JSON.stringify(sweepId)} is longer than ${MAX_NAME_LENGTH - 4} characters`, { field: 'sweep-id' });
  const root = path.resolve(base.root);
  const file = resolveInside(runsDir(root), `${sweepId}.sweep.json`, 'sweep-id');
  const points = expandGrid(grid, base.loss);
  const previous = await readJson<{ grid: SweepGrid }>(file);
  if (previous && JSON.stringify(previous.grid) !== JSON.stringify(grid))
    throw new InputError(`the sweep "${sweepId}" exists with another grid; use a new --sweep-id`, { file });
  const result: SweepResult = { sweepId, file, runs: [] };
  await writeJsonAtomic(file, { schemaVersion: 1, sweepId, grid, base: { train: base.train, eval: base.eval, encoder: base.encoder, seed: base.seed }, runs: [] });
  for (const point of points) {
    const runId = `${sweepId}-${String(point.index).padStart(3, '0')}`;
    const dir = runDirFor(root, runId);
    const summary = existsSync(runFiles(dir).summary) ? await readSummary(dir) : undefined;
    let r: TrainResult;
    let skipped = false;
    if (summary && summary.status === 'completed') {
      skipped = true;
      r = await resumeRun(dir, base);
    } else if (summary && existsSync(runFiles(dir).checkpointState) && runState(summary) !== 'running') {
      r = await resumeRun(dir, base);
    } else {
      const { index: _i, ...params } = point;
      void _i;
      r = await train({
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
      });
    }
    result.runs.push({ ...point, run: r.run, status: r.status, before: r.before, after: r.after, skipped });
    result.dataSkipped ??= r.skipped;
    await writeJsonAtomic(file, { schemaVersion: 1, sweepId, grid, runs: result.runs });
    onRun?.(r, point);
    if (r.status === 'cancelled') break;
  }
  return result;
}
