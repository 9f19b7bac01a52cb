/**
 * annotations.jsonl: an append-only log of pair scores. Each entry is fsynced before
 * `appendAnnotation` resolves. Nothing is ever rewritten: a correction is a new entry
 * (later entries win), and an undo is an entry with `undo: true` that withdraws the
 * annotator's latest standing entry for that pair.
 *
 * The reader tolerates a crash mid-append: a line cut off by it is skipped and reported
 * (`truncatedTail` at the end of the file, `cutLines` once a later append ended it). Other
 * bad lines are reported by line. Appends are single O_APPEND writes: the panel, the CLI
 * and other annotators' processes can append at once without losing an entry.
 */
import { InputError } from '../util/errors';
import { appendLogLines, readLogLines } from './append-only-log';

export const ANNOTATION_SCHEMA_VERSION = 1;

export interface AnnotationEntry {
  schemaVersion: number;
  id1: string;
  id2: string;
  /** In 0–1; null for a skip or an undo. */
  score: number | null;
  annotator: string;
  /** ISO 8601. */
  time: string;
  note?: string;
  /** The annotator saw the pair and chose not to score it. */
  skipped?: boolean;
  /** Withdraws this annotator's latest standing entry for the pair. */
  undo?: boolean;
  /** A language model's pre-score of the pair was shown to the annotator as a hint. */
  hintShown?: boolean;
}

export interface NewAnnotation {
  id1: string;
  id2: string;
  score?: number | null;
  annotator: string;
  time?: string;
  note?: string;
  skipped?: boolean;
  undo?: boolean;
  hintShown?: boolean;
}

export interface AnnotationProblem {
  line: number;
  reason: string;
}

export interface AnnotationLog {
  file: string;
  entries: AnnotationEntry[];
  /** Lines that could not be read (reported, not fatal). */
  problems: AnnotationProblem[];
  /** True when the last line was cut off (a crash mid-write); it was ignored. */
  truncatedTail: boolean;
  /** Lines cut off by a crash and ended by a later append; skipped. */
  cutLines: number[];
}

/** Checks an entry; returns a problem naming the field, or undefined. */
export function checkAnnotation(v: unknown): { field?: string; reason: string } | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { reason: 'not a JSON object' };
  const e = v as Record<string, unknown>;
  if (typeof e.schemaVersion !== 'number') return { field: 'schemaVersion', reason: 'is missing' };
  if (e.schemaVersion > ANNOTATION_SCHEMA_VERSION) return { field: 'schemaVersion', reason: `${e.schemaVersion} is newer than this Embedding Lab reads` };
  for (const f of ['id1', 'id2', 'annotator', 'time'] as const)
    if (typeof e[f] !== 'string' || e[f] === '') return { field: f, reason: 'must be a non-empty string' };
  if (e.id1 === e.id2) return { field: 'id2', reason: 'a pair needs two different ids' };
  const neutral = e.skipped === true || e.undo === true;
  if (e.score === null || e.score === undefined) {
    if (!neutral) return { field: 'score', reason: 'is missing (only skips and undos have no score)' };
  } else if (typeof e.score !== 'number' || !(e.score >= 0 && e.score <= 1)) return { field: 'score', reason: 'must be a number in 0–1' };
  if (e.note !== undefined && typeof e.note !== 'string') return { field: 'note', reason: 'must be a string' };
  if (e.hintShown !== undefined && typeof e.hintShown !== 'boolean') return { field: 'hintShown', reason: 'must be true or false' };
  return undefined;
}

/** Appends one entry and fsyncs it (after a cut-off last line, on a new line). */
export async function appendAnnotation(file: string, entry: NewAnnotation): Promise<AnnotationEntry> {
  const full: AnnotationEntry = {
    schemaVersion: ANNOTATION_SCHEMA_VERSION,
    id1: entry.id1,
    id2: entry.id2,
    score: entry.score ?? null,
    annotator: entry.annotator,
    time: entry.time ?? new Date().toISOString(),
  };
  if (entry.note !== undefined && entry.note !== '') full.note = entry.note;
  if (entry.skipped) full.skipped = true;
  if (entry.undo) full.undo = true;
  if (entry.hintShown) full.hintShown = true;
  const problem = checkAnnotation(full);
  if (problem) throw new InputError(problem.reason, { file, field: problem.field });
  await appendLogLines(file, JSON.stringify(full) + '\n');
  return full;
}

/** Reads the log; a missing file is an empty log. */
export async function readAnnotations(file: string): Promise<AnnotationLog> {
  const read = await readLogLines(file, checkAnnotation, (v) => v as AnnotationEntry);
  const problems = read.problems.map((p): AnnotationProblem => ({ line: p.line, reason: p.field ? `field "${p.field}" ${p.reason}` : p.reason }));
  return { file, entries: read.entries, problems, truncatedTail: read.truncatedTail, cutLines: read.cutLines };
}

/** An order-independent key for a pair. */
export function pairKey(id1: string, id2: string): string {
  return id1 < id2 ? `${id1}\u0000${id2}` : `${id2}\u0000${id1}`;
}

export interface PairScore {
  id1: string;
  id2: string;
  /** The current score: the mean over annotators who scored it. */
  score: number;
  /** Each annotator's current score. */
  byAnnotator: Record<string, number>;
  note?: string;
  time: string;
}

export interface CurrentAnnotations {
  /** Scored pairs, by pairKey. */
  scores: Map<string, PairScore>;
  /** Pairs someone has seen (scored or skipped) and not undone: excluded from suggestions. */
  seen: Set<string>;
}

/** An annotator's standing entry for a pair, and its position in the log (0-based). */
export interface StandingEntry {
  entry: AnnotationEntry;
  index: number;
}

/**
 * Each annotator's standing entry per pair (by pairKey): per pair and annotator, entries stack
 * up in log order and an undo pops the latest, so the latest entry wins. A standing entry is
 * a score or a skip; an annotator whose every entry was undone has none.
 */
export function standingEntries(entries: readonly AnnotationEntry[], options: { annotator?: string } = {}): Map<string, Map<string, StandingEntry>> {
  const stacks = new Map<string, Map<string, StandingEntry[]>>();
  entries.forEach((e, index) => {
    if (options.annotator && e.annotator !== options.annotator) return;
    const key = pairKey(e.id1, e.id2);
    let per = stacks.get(key);
    if (!per) stacks.set(key, (per = new Map()));
    let stack = per.get(e.annotator);
    if (!stack) per.set(e.annotator, (stack = []));
    if (e.undo) stack.pop();
    else stack.push({ entry: e, index });
  });
  const out = new Map<string, Map<string, StandingEntry>>();
  for (const [key, per] of stacks) {
    const standing = new Map<string, StandingEntry>();
    for (const [annotator, stack] of per) if (stack.length) standing.set(annotator, stack[stack.length - 1]);
    if (standing.size) out.set(key, standing);
  }
  return out;
}

/** True when a standing entry is a score (not a skip). */
export function isScore(e: AnnotationEntry): e is AnnotationEntry & { score: number } {
  return e.score !== null && !e.skipped;
}

/**
 * Folds the log into the current state (`standingEntries`: the latest entry per pair and
 * annotator wins, undos withdraw). A pair's score is the mean over the annotators who scored it.
 */
export function currentAnnotations(entries: readonly AnnotationEntry[], options: { annotator?: string } = {}): CurrentAnnotations {
  const scores = new Map<string, PairScore>();
  const seen = new Set<string>();
  for (const [key, per] of standingEntries(entries, options)) {
    seen.add(key);
    const byAnnotator: Record<string, number> = {};
    let latest: AnnotationEntry | undefined;
    for (const [annotator, { entry }] of per) {
      if (!isScore(entry)) continue;
      byAnnotator[annotator] = entry.score;
      if (!latest || entry.time >= latest.time) latest = entry;
    }
    const values = Object.values(byAnnotator);
    if (values.length && latest) {
      const ps: PairScore = { id1: latest.id1, id2: latest.id2, score: values.reduce((a, b) => a + b, 0) / values.length, byAnnotator, time: latest.time };
      if (latest.note) ps.note = latest.note;
      scores.set(key, ps);
    }
  }
  return { scores, seen };
}

/** Ids of the records in a pair someone currently scores (what the map shows as annotated). */
export function annotatedRecordIds(entries: readonly AnnotationEntry[]): Set<string> {
  const ids = new Set<string>();
  for (const p of currentAnnotations(entries).scores.values()) {
    ids.add(p.id1);
    ids.add(p.id2);
  }
  return ids;
}
