/**
 * prescores.jsonl: pair scores given by a language model, kept apart from the human
 * annotations (annotations.jsonl) and marked as machine. An append-only log of
 * `{schemaVersion, id1, id2, score, reason, model, promptVersion, time}`; a failed request is an
 * entry with `score: null` and `error`, so a batch's failures are counted, not hidden. Entries are
 * written one by one as answers arrive, so a cancelled batch keeps what it finished. For a pair,
 * model and prompt version, the latest scored entry stands (a re-run after a prompt change adds
 * new entries; nothing is rewritten).
 */
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { appendLogLines, readLogLines, type LogLineProblem } from './append-only-log';
import { pairKey } from './annotations';

export const PRESCORE_SCHEMA_VERSION = 1;
export const PRESCORES_FILE = 'prescores.jsonl';

export interface PrescoreEntry {
  schemaVersion: number;
  id1: string;
  id2: string;
  /** A rubric score in 0–1, or null when the model gave no usable answer. */
  score: number | null;
  /** The model's one-line reason (untrusted text: shown as text, never as HTML). */
  reason?: string;
  /** Why there is no score (after the retry). */
  error?: string;
  model: string;
  promptVersion: number;
  /** Always "llm": these are machine scores. */
  source: 'llm';
  /** ISO 8601. */
  time: string;
}

export interface PrescoreLog {
  file: string;
  entries: PrescoreEntry[];
  problems: LogLineProblem[];
  truncatedTail: boolean;
  cutLines: number[];
}

/** <project>/prescores.jsonl. */
export function prescoresPath(projectDir: string): string {
  return path.join(path.resolve(projectDir), PRESCORES_FILE);
}

/** Checks one entry; returns the problem naming the field, or undefined. */
export function checkPrescore(v: unknown): { field?: string; reason: string } | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { reason: 'not a JSON object' };
  const e = v as Record<string, unknown>;
  if (typeof e.schemaVersion !== 'number') return { field: 'schemaVersion', reason: 'is missing' };
  if (e.schemaVersion > PRESCORE_SCHEMA_VERSION) return { field: 'schemaVersion', reason: `${e.schemaVersion} is newer than this Embedding Lab reads` };
  for (const f of ['id1', 'id2', 'model', 'time'] as const)
    if (typeof e[f] !== 'string' || e[f] === '') return { field: f, reason: 'must be a non-empty string' };
  if (e.id1 === e.id2) return { field: 'id2', reason: 'a pair needs two different ids' };
  if (e.source !== 'llm') return { field: 'source', reason: 'must be "llm"' };
  if (typeof e.promptVersion !== 'number' || !Number.isInteger(e.promptVersion)) return { field: 'promptVersion', reason: 'must be an integer' };
  if (e.score === null) {
    if (typeof e.error !== 'string') return { field: 'error', reason: 'must say why a pre-score has no score' };
  } else if (typeof e.score !== 'number' || !(e.score >= 0 && e.score <= 1)) return { field: 'score', reason: 'must be a number in 0–1 or null' };
  for (const f of ['reason', 'error'] as const)
    if (e[f] !== undefined && typeof e[f] !== 'string') return { field: f, reason: 'must be a string' };
  return undefined;
}

export type NewPrescore = Omit<PrescoreEntry, 'schemaVersion' | 'source' | 'time'> & { time?: string };

/** Appends entries in one fsynced write (after a cut-off last line, on a new line). */
export async function appendPrescores(file: string, entries: readonly NewPrescore[]): Promise<PrescoreEntry[]> {
  const full = entries.map((e): PrescoreEntry => {
    const out: PrescoreEntry = {
      schemaVersion: PRESCORE_SCHEMA_VERSION,
      id1: e.id1,
      id2: e.id2,
      score: e.score,
      model: e.model,
      promptVersion: e.promptVersion,
      source: 'llm',
      time: e.time ?? new Date().toISOString(),
    };
    if (e.reason) out.reason = e.reason;
    if (e.error) out.error = e.error;
    const problem = checkPrescore(out);
    if (problem) throw new InputError(problem.reason, { file, field: problem.field });
    return out;
  });
  if (full.length) await appendLogLines(file, full.map((e) => JSON.stringify(e) + '\n').join(''));
  return full;
}

/** Reads the log; a missing file is an empty log. */
export async function readPrescores(file: string): Promise<PrescoreLog> {
  const read = await readLogLines(file, checkPrescore, (v) => v as PrescoreEntry);
  return { file, ...read };
}

/**
 * The standing pre-score of each pair (by pairKey): its latest scored entry, preferring the given
 * model and prompt version when set. Failed entries never stand.
 */
export function standingPrescores(entries: readonly PrescoreEntry[], filter: { model?: string; promptVersion?: number } = {}): Map<string, PrescoreEntry> {
  const out = new Map<string, PrescoreEntry>();
  for (const e of entries) {
    if (e.score === null) continue;
    if (filter.model !== undefined && e.model !== filter.model) continue;
    if (filter.promptVersion !== undefined && e.promptVersion !== filter.promptVersion) continue;
    out.set(pairKey(e.id1, e.id2), e);
  }
  return out;
}
