/**
 * Run folders: `<root>/runs/<id>/` with config.json (everything to repeat the run),
 * metrics.jsonl (one line per step and per evaluation, appended), summary.json (status,
 * before/after metrics, best step; rewritten atomically, with a heartbeat while running),
 * model/ (model.json + head.safetensors) and checkpoint/ (for resume).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readJson, writeJsonAtomic, writeFileAtomic, appendLinesSync, pathExists } from '../util/fs';
import { processAlive } from '../util/process-alive';
import { InputError } from '../util/errors';
import { checkName, nameProblem } from '../util/names';
import { resolveInside } from '../util/paths';
import type { EvalMetrics } from './evaluate';
import type { SkipReport } from '../data/skip-report';

/** The rows of the training (and given evaluation) file that were skipped, as `import` reports them. */
export interface DataSkips {
  /** Absent for an evaluation-only run. */
  train?: SkipReport;
  eval?: SkipReport;
}

export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed';
/** What `listRuns` reports: a "running" run whose process is gone is "interrupted". */
export type RunState = RunStatus | 'interrupted';

export interface RunSummary {
  schemaVersion: 1;
  id: string;
  status: RunStatus;
  mode: string;
  loss?: string;
  startedAt: string;
  /** Heartbeat: refreshed every few seconds while running. */
  updatedAt: string;
  finishedAt?: string;
  pid: number;
  host: string;
  step: number;
  totalSteps: number;
  before?: EvalMetrics;
  after?: EvalMetrics;
  /** The metrics of the last evaluation (after = the best one's). */
  last?: EvalMetrics;
  /** The best evaluation; `epoch` (1-based) is the epoch it ended or fell in. */
  best?: { step: number; epoch?: number; metric: string; value: number };
  /** Epochs planned (the cap, for a run that may stop early). */
  epochs?: number;
  /** Set when the run ended before its planned epochs: `patience` evaluations without improvement after the best. */
  stoppedEarly?: { step: number; epochs: number; patience: number };
  /** What the run chose and warned about: the loss, the data filter, a small evaluation set, the epochs. */
  notes?: string[];
  lastLoss?: number;
  /** Which runner trained it (builtin when absent: runs from before runners) and, for python, the torch device. */
  runner?: string;
  device?: string;
  /** python runner: onnx/model.onnx against the PyTorch model on a few texts. */
  onnxCheck?: { texts: number; maxAbsDiff: number; tolerance: number; ok: boolean };
  durationMs: number;
  error?: string;
  /** Rows of the data files that were skipped (unreadable, empty text, no label). */
  skipped?: DataSkips;
}

export interface RunInfo {
  id: string;
  dir: string;
  state: RunState;
  summary?: RunSummary;
  config?: Record<string, unknown>;
}

export const RUNS_FOLDER = 'runs';

export function runsDir(root: string): string {
  return path.join(root, RUNS_FOLDER);
}

/** The folder of run `id` under `<root>/runs/`; the id must follow the name rule, so the folder stays inside. */
export function runDirFor(root: string, id: string): string {
  checkName(id, 'run id', 'run-id');
  return resolveInside(runsDir(root), id, 'run-id');
}

/**
 * The folder for a new run `id`. An id already used is refused unless `overwrite` (the old
 * run is then replaced when the new one opens its folder, see `openRunFolder`).
 */
export async function newRunDir(root: string, id: string, overwrite = false): Promise<string> {
  const dir = runDirFor(path.resolve(root), id);
  if (!overwrite && (await pathExists(dir))) throw runExistsError(id, dir);
  return dir;
}

export function runExistsError(id: string, dir: string): InputError {
  return new InputError(`a run "${id}" exists already (${dir}): choose another --run-id, add --overwrite to replace it, or continue it with --resume run:${id}`, {
    field: 'run-id',
  });
}

/**
 * Creates a new run's folder. It must not exist, unless `overwrite`: then the old run is
 * deleted first. (Creating the folder itself is the check, so two runs cannot share an id.)
 */
export async function createRunFolder(dir: string, overwrite: boolean): Promise<void> {
  await fs.mkdir(path.dirname(dir), { recursive: true });
  if (overwrite) await fs.rm(dir, { recursive: true, force: true });
  try {
    await fs.mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw runExistsError(path.basename(dir), dir);
    throw err;
  }
}

/** A run of the project named by `id` (as the runs panel lists them), or an InputError: ids from a webview are checked against the real runs. */
export async function findRun(root: string, id: string): Promise<RunInfo> {
  const run = typeof id === 'string' ? (await listRuns(root)).find((r) => r.id === id) : undefined;
  if (!run) throw new InputError(`no run ${JSON.stringify(id)} in ${runsDir(path.resolve(root))}`, { field: 'runId' });
  return run;
}

/** A run folder of the project named by `id` holding `marker`, or undefined; ids are checked by the name rule. */
export async function locateProjectRun(root: string, id: string, marker = path.join('model', 'model.json')): Promise<string | undefined> {
  const dir = runDirFor(path.resolve(root), id);
  const st = await fs.stat(path.join(dir, marker)).catch(() => undefined);
  return st?.isFile() ? dir : undefined;
}

/** The files that mark a run's trained model: a head (model/model.json) or a full model's ONNX export. */
export const HEAD_MODEL_MARKER = path.join('model', 'model.json');
export const FULL_MODEL_MARKER = path.join('model', 'onnx', 'model.onnx');

/** The project's run folder named by `id` when it holds a trained model, head or full (any runner), else undefined. */
export async function locateTrainedProjectRun(root: string, id: string): Promise<string | undefined> {
  return (await locateProjectRun(root, id, HEAD_MODEL_MARKER)) ?? (await locateProjectRun(root, id, FULL_MODEL_MARKER));
}

/** A new run id: UTC time, a label (the loss) and 4 random hex digits. */
export function newRunId(label: string): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${label}-${randomBytes(2).toString('hex')}`;
}

export const runFiles = (dir: string) => ({
  config: path.join(dir, 'config.json'),
  metrics: path.join(dir, 'metrics.jsonl'),
  summary: path.join(dir, 'summary.json'),
  model: path.join(dir, 'model'),
  modelJson: path.join(dir, 'model', 'model.json'),
  headWeights: path.join(dir, 'model', 'head.safetensors'),
  checkpointState: path.join(dir, 'checkpoint', 'state.json'),
  checkpointWeights: path.join(dir, 'checkpoint', 'weights.safetensors'),
});

/**
 * Appends one JSON line to metrics.jsonl: one O_APPEND write, handed to the OS at once; a
 * line cut off by a crash is ended first, so it cannot swallow this one.
 */
export function appendMetric(dir: string, entry: Record<string, unknown>): void {
  appendLinesSync(runFiles(dir).metrics, JSON.stringify(entry) + '\n');
}

/** Reads metrics.jsonl; a torn last line (crash mid-write) is ignored. */
export async function readMetrics(dir: string): Promise<Record<string, unknown>[]> {
  let text: string;
  try {
    text = await fs.readFile(runFiles(dir).metrics, 'utf8');
  } catch {
    return [];
  }
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      /* torn line */
    }
  }
  return out;
}

/** Keeps the metric lines up to `step` (for resume from a checkpoint). */
export async function truncateMetrics(dir: string, step: number): Promise<void> {
  const kept = (await readMetrics(dir)).filter((m) => typeof m.step === 'number' && m.step <= step);
  await writeFileAtomic(runFiles(dir).metrics, kept.map((m) => JSON.stringify(m) + '\n').join(''));
}

export async function writeSummary(dir: string, summary: RunSummary): Promise<void> {
  await writeJsonAtomic(runFiles(dir).summary, summary);
}

export async function readSummary(dir: string): Promise<RunSummary | undefined> {
  return readJson<RunSummary>(runFiles(dir).summary);
}

/** A "running" summary whose process is gone (same host) or whose heartbeat is stale is interrupted. */
export function runState(summary: RunSummary, staleMs = 5 * 60_000): RunState {
  if (summary.status !== 'running') return summary.status;
  if (summary.host === os.hostname() && summary.pid !== process.pid && !processAlive(summary.pid)) return 'interrupted';
  if (Date.now() - Date.parse(summary.updatedAt) > staleMs) return 'interrupted';
  return 'running';
}

/** The runs under `<root>/runs/`, newest first. Folders without a summary are skipped. */
export async function listRuns(root: string): Promise<RunInfo[]> {
  const dir = runsDir(root);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const out: RunInfo[] = [];
  for (const id of names) {
    const runDir = path.join(dir, id);
    const summary = await readSummary(runDir).catch(() => undefined);
    if (!summary) continue;
    const config = await readJson<Record<string, unknown>>(runFiles(runDir).config).catch(() => undefined);
    out.push({ id, dir: runDir, state: runState(summary), summary, config });
  }
  return out.sort((a, b) => (b.summary?.startedAt ?? '').localeCompare(a.summary?.startedAt ?? ''));
}

/**
 * Finds a run folder from "run:<id>", an id, or a path (the run folder or its model/ folder).
 * Ids are looked up under `<root>/runs/`, then `./runs/`. "run:<id>" is an id only: it must
 * follow the name rule and is never read as a path. `marker` is the file that must exist
 * (default model/model.json).
 */
export async function locateRun(spec: string, root?: string, marker = path.join('model', 'model.json')): Promise<string | undefined> {
  const isId = spec.startsWith('run:');
  const s = isId ? spec.slice(4) : spec;
  if (isId) checkName(s, 'run id', 'run');
  const under = (r: string) => resolveInside(runsDir(path.resolve(r)), s, 'run');
  let candidates: string[];
  if (isId) candidates = [...(root ? [under(root)] : []), under(process.cwd())];
  else if (nameProblem(s)) candidates = [s, path.dirname(s)]; // a path, not an id
  else candidates = [...(root ? [under(root)] : []), s, path.dirname(s), under(process.cwd())];
  for (const c of candidates) {
    const st = await fs.stat(path.join(c, marker)).catch(() => undefined);
    if (st?.isFile()) return path.resolve(c);
  }
  return undefined;
}
