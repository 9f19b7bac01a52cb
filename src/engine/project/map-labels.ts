/**
 * labels.jsonl: labels given to records on the cluster map (lasso/box selection), an
 * append-only log of `{schemaVersion, dataset, id, label, time}` entries, one per record,
 * fsynced per batch (one O_APPEND write, so processes labelling at once lose nothing).
 * Nothing is rewritten or truncated: entries apply in file order and the last entry for a
 * (dataset, id) wins, so a relabel is a new entry. A map label overrides the label the
 * record has in its dataset.
 *
 * Clearing is an entry too: `{schemaVersion: 2, dataset, id, label: null, time}` removes the
 * map label of that record, which then falls back to its own label from the data; a later
 * label entry gives it a map label again. Label entries keep schemaVersion 1, so a log
 * without clears stays readable by versions that predate clearing; those versions refuse a
 * clear entry by its line ("schemaVersion 2 is newer …") instead of keeping a cleared label.
 *
 * The reader tolerates a crash mid-append: a line cut off by it is skipped (`truncatedTail`
 * at the end of the file, `cutLines` once a later append ended it). Other bad lines are
 * reported by line; the engine
 * jobs refuse them with an InputError naming the file, line and field
 * (`standingMapLabels`), the tree view lists them.
 */
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { appendLogLines, readLogLines } from './append-only-log';

/** The newest entry version this reads. */
export const MAP_LABELS_SCHEMA_VERSION = 2;
/** The version label entries are written with (unchanged since the first map labels). */
export const MAP_LABEL_ENTRY_VERSION = 1;
/** The version clear entries (`label: null`) are written with; the first that has them. */
export const MAP_LABEL_CLEAR_VERSION = 2;
export const MAP_LABELS_FILE = 'labels.jsonl';

export interface MapLabelEntry {
  schemaVersion: number;
  dataset: string;
  id: string;
  /** The label given on the map, or null: the map label was cleared. */
  label: string | null;
  /** ISO 8601. */
  time: string;
}

export interface MapLabelProblem {
  line: number;
  field?: string;
  reason: string;
}

export interface MapLabelLog {
  file: string;
  entries: MapLabelEntry[];
  problems: MapLabelProblem[];
  /** True when the last line was cut off (a crash mid-write); it was ignored. */
  truncatedTail: boolean;
  /** Lines cut off by a crash and ended by a later append; skipped. */
  cutLines: number[];
}

/** <project>/labels.jsonl. */
export function mapLabelsPath(projectDir: string): string {
  return path.join(path.resolve(projectDir), MAP_LABELS_FILE);
}

/**
 * Checks one entry; returns the problem naming the field, or undefined. Entries written
 * before the log had a schemaVersion (the first map integration) read as version 1.
 */
export function checkMapLabel(v: unknown): { field?: string; reason: string } | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { reason: 'not a JSON object' };
  const e = v as Record<string, unknown>;
  if (e.schemaVersion !== undefined) {
    if (typeof e.schemaVersion !== 'number') return { field: 'schemaVersion', reason: 'must be a number' };
    if (e.schemaVersion > MAP_LABELS_SCHEMA_VERSION) return { field: 'schemaVersion', reason: `${e.schemaVersion} is newer than this Embedding Lab reads` };
  }
  for (const f of ['dataset', 'id', 'time'] as const)
    if (typeof e[f] !== 'string' || e[f] === '') return { field: f, reason: 'must be a non-empty string' };
  if (e.label === null) {
    if (typeof e.schemaVersion !== 'number' || e.schemaVersion < MAP_LABEL_CLEAR_VERSION)
      return { field: 'label', reason: `null (a cleared label) needs schemaVersion ${MAP_LABEL_CLEAR_VERSION}` };
    return undefined;
  }
  if (typeof e.label !== 'string' || e.label.trim() === '') return { field: 'label', reason: 'must be a non-empty string' };
  return undefined;
}

/**
 * Gives every id the label: one entry per id, appended in one fsynced write. Returns the
 * entries written.
 */
export async function appendMapLabels(file: string, dataset: string, ids: readonly string[], label: string, time = new Date().toISOString()): Promise<MapLabelEntry[]> {
  const entries = ids.map((id): MapLabelEntry => ({ schemaVersion: MAP_LABEL_ENTRY_VERSION, dataset, id, label: label.trim(), time }));
  return appendEntries(file, entries);
}

/**
 * Clears the map label of every id that has one (one `label: null` entry each, appended
 * in one fsynced write); the records fall back to their own labels from the data. Ids
 * without a map label are left alone (nothing to take back). Returns the entries written.
 */
export async function clearMapLabels(file: string, dataset: string, ids: readonly string[], time = new Date().toISOString()): Promise<MapLabelEntry[]> {
  const standing = currentMapLabels((await readMapLabels(file)).entries, dataset);
  const labelled = [...new Set(ids)].filter((id) => standing.has(id));
  const entries = labelled.map((id): MapLabelEntry => ({ schemaVersion: MAP_LABEL_CLEAR_VERSION, dataset, id, label: null, time }));
  return appendEntries(file, entries);
}

async function appendEntries(file: string, entries: MapLabelEntry[]): Promise<MapLabelEntry[]> {
  for (const e of entries) {
    const problem = checkMapLabel(e);
    if (problem) throw new InputError(problem.reason, { file, field: problem.field });
  }
  if (entries.length === 0) return entries;
  await appendLogLines(file, entries.map((e) => JSON.stringify(e) + '\n').join(''));
  return entries;
}

/** Reads the log; a missing file is an empty log. */
export async function readMapLabels(file: string): Promise<MapLabelLog> {
  const read = await readLogLines(file, checkMapLabel, (v): MapLabelEntry => {
    const e = v as MapLabelEntry;
    return { schemaVersion: e.schemaVersion ?? MAP_LABEL_ENTRY_VERSION, dataset: e.dataset, id: e.id, label: e.label === null ? null : e.label.trim(), time: e.time };
  });
  return { file, ...read };
}

/**
 * The standing map label per record id of one dataset: entries apply in order, the last
 * one wins, and a clear (label null) removes the record's map label.
 */
export function currentMapLabels(entries: readonly MapLabelEntry[], dataset: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) {
    if (e.dataset !== dataset) continue;
    if (e.label === null) out.delete(e.id);
    else out.set(e.id, e.label);
  }
  return out;
}

/**
 * The standing map labels of a dataset, for jobs that act on them (map colours,
 * training): a bad line is an InputError naming the file, line and field.
 */
export async function standingMapLabels(projectDir: string, dataset: string): Promise<Map<string, string>> {
  const log = await readMapLabels(mapLabelsPath(projectDir));
  const bad = log.problems[0];
  if (bad) throw new InputError(bad.reason, { file: log.file, line: bad.line, field: bad.field });
  return currentMapLabels(log.entries, dataset);
}

/** A record's label with the map's label (if any) overriding the dataset's. */
export function effectiveLabel(record: { id: string; label?: string }, mapLabels: ReadonlyMap<string, string>): string | undefined {
  return mapLabels.get(record.id) ?? record.label;
}
