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
import { readJson, writeJsonAtomic, writeFileAtomic } from './atomic';
import { appendLinesSync } from '../util/fs';
import { processAlive } from '../util/process-alive';
import type { EvalMetrics } from './evaluate';

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
  best?: { step: number; metric: string; value: number };
  lastLoss?: number;
  /** Which runner trained it (builtin when absent: runs from before runners) and, for python, the torch device. */
  runner?: string;
  device?: string;
  /** python runner: onnx/model.onnx against the PyTorch model on a few texts. */
  onnxCheck?: { texts: number; maxAbsDiff: number; tolerance: number; ok: boolean };
  durationMs: number;
  error?: string;
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
 * Ids are looked up under `<root>/runs/`. `marker` is the file that must exist (default model/model.json).
 */
export async function locateRun(spec: string, root?: string, marker = path.join('model', 'model.json')): Promise<string | undefined> {
  const s = spec.startsWith('run:') ? spec.slice(4) : spec;
  const candidates = [s, path.dirname(s)];
  if (root) candidates.unshift(path.join(runsDir(root), s));
  candidates.push(path.join(runsDir(process.cwd()), s));
  for (const c of candidates) {
    const st = await fs.stat(path.join(c, marker)).catch(() => undefined);
    if (st?.isFile()) return path.resolve(c);
  }
  return undefined;
}
