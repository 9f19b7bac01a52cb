/**
 * A run's name, tags and notes: `runs/<id>/meta.jsonl`, an append-only log next to the
 * run's own files (which are never rewritten for this). Each line sets some fields; the last
 * line that sets a field wins. Appends are one fsynced O_APPEND write (`appendLogLines`); a
 * line cut by a crash is skipped on reading. A run without a stored name gets a readable
 * default made from its config ("CoSENT · head · 4 ep · lr 1e-3 · 21 Nov 10:00").
 */
import * as path from 'node:path';
import { appendLogLines, readLogLines, type LogLineProblem } from '../project/append-only-log';
import { InputError } from '../util/errors';
import { withFileLock } from '../util/file-lock';
import { compactNumber, lossLabel } from '../../protocol/config-labels';
import { normaliseTags, runMetaPatchProblem, type RunMeta, type RunMetaPatch } from '../../protocol/run-meta';
import { findRun, type RunInfo } from './runs';

export const RUN_META_FILE = 'meta.jsonl';

export interface RunMetaEntry extends RunMetaPatch {
  /** ISO 8601 time of the change. */
  at: string;
}

export interface RunMetaLog extends RunMeta {
  /** When the last change was made, if any. */
  updatedAt?: string;
  problems: LogLineProblem[];
  truncatedTail: boolean;
}

export function runMetaPath(runDir: string): string {
  return path.join(runDir, RUN_META_FILE);
}

function checkEntry(v: unknown): { field?: string; reason: string } | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { reason: 'not a JSON object' };
  const e = v as Record<string, unknown>;
  if (typeof e.at !== 'string') return { field: 'at', reason: 'missing time' };
  return runMetaPatchProblem(e as RunMetaPatch);
}

/** The stored name, tags and notes of the run in `runDir` (last entry per field wins); a missing log is empty. */
export async function readRunMeta(runDir: string): Promise<RunMetaLog> {
  const log = await readLogLines<RunMetaEntry>(runMetaPath(runDir), checkEntry, (v) => v as RunMetaEntry);
  const out: RunMetaLog = { tags: [], notes: '', problems: log.problems, truncatedTail: log.truncatedTail };
  for (const e of log.entries) {
    if (e.name !== undefined) out.name = e.name.trim() === '' ? undefined : e.name.trim();
    if (e.tags !== undefined) out.tags = normaliseTags(e.tags);
    if (e.notes !== undefined) out.notes = e.notes;
    out.updatedAt = e.at;
  }
  return out;
}

/** Checks the patch (an InputError names the file and the field) and appends it as one line. */
export async function appendRunMeta(runDir: string, patch: RunMetaPatch): Promise<RunMetaEntry> {
  const file = runMetaPath(runDir);
  const problem = runMetaPatchProblem(patch);
  if (problem) throw new InputError(problem.reason, { file, field: problem.field });
  const entry: RunMetaEntry = { at: new Date().toISOString() };
  if (patch.name !== undefined) entry.name = patch.name.trim();
  if (patch.tags !== undefined) entry.tags = normaliseTags(patch.tags);
  if (patch.notes !== undefined) entry.notes = patch.notes;
  await appendLogLines(file, JSON.stringify(entry) + '\n');
  return entry;
}

export type TagChange = { add?: readonly string[]; remove?: readonly string[] };

/**
 * Changes a run of the project `root`: the id must name one of its runs (`findRun`, so a
 * path-like id never reaches the disk). Tag additions and removals are applied to the
 * stored tags under a lock, so two writers cannot lose each other's tags.
 */
export async function updateProjectRunMeta(root: string, id: string, patch: RunMetaPatch & { tagChange?: TagChange }): Promise<RunMetaLog> {
  const run = await findRun(root, id);
  const { tagChange, ...plain } = patch;
  if (!tagChange) {
    await appendRunMeta(run.dir, plain);
    return readRunMeta(run.dir);
  }
  return withFileLock(runMetaPath(run.dir) + '.lock', async () => {
    const current = await readRunMeta(run.dir);
    const removed = new Set((tagChange.remove ?? []).map((t) => t.trim().toLowerCase()));
    const tags = [...current.tags.filter((t) => !removed.has(t.toLowerCase())), ...(tagChange.add ?? [])];
    await appendRunMeta(run.dir, { ...plain, tags });
    return readRunMeta(run.dir);
  });
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "21 Nov 10:00" in UTC (the same on every machine). */
function shortDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${hh}:${mm}`;
}

/**
 * A readable default name from the run's config.json and summary: loss · mode · epochs ·
 * learning rate · start date ("CoSENT · head · 4 ep · lr 1e-3 · 21 Nov 10:00"; "≤10 ep" for a run that
 * may stop early, its epochs being a cap). Sweeps add
 * their index. Never the id's random part.
 */
export function defaultRunName(config: unknown, summary: { loss?: string; mode?: string; startedAt?: string } | undefined): string {
  const c = isRecord(config) ? config : {};
  const resolved = isRecord(c.resolved) ? c.resolved : {};
  const options = isRecord(c.options) ? c.options : {};
  const pick = (k: string): unknown => resolved[k] ?? options[k] ?? c[k];
  const loss = typeof pick('loss') === 'string' ? (pick('loss') as string) : summary?.loss;
  const mode = typeof c.mode === 'string' ? c.mode : typeof options.mode === 'string' ? options.mode : summary?.mode;
  const epochs = pick('epochs');
  const lr = pick('lr') ?? pick('learningRate');
  const sweep = isRecord(options.sweep) && typeof options.sweep.index === 'number' ? `sweep #${options.sweep.index}` : undefined;
  const parts = [
    loss ? lossLabel(loss) : undefined,
    mode,
    // A run that may stop early planned its epochs as a cap.
    typeof epochs === 'number' ? `${typeof resolved.patience === 'number' && resolved.patience > 0 ? '≤' : ''}${epochs} ep` : undefined,
    typeof lr === 'number' ? `lr ${compactNumber(lr)}` : undefined,
    sweep,
    shortDate(typeof c.createdAt === 'string' ? c.createdAt : summary?.startedAt),
  ].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length ? parts.join(' · ') : 'run';
}

export interface RunLabels {
  /** The stored name, or the default one. */
  name: string;
  defaultName: string;
  /** True when the user gave the name. */
  named: boolean;
  tags: string[];
  notes: string;
}

/** A listed run's name, tags and notes (a damaged meta log falls back to the default name). */
export async function runLabels(run: RunInfo): Promise<RunLabels> {
  const meta = await readRunMeta(run.dir).catch(() => undefined);
  const defaultName = defaultRunName(run.config, run.summary);
  return { name: meta?.name ?? defaultName, defaultName, named: meta?.name !== undefined, tags: meta?.tags ?? [], notes: meta?.notes ?? '' };
}
