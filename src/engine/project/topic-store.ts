/**
 * <project>/topics.json: topic names and cluster judgments from a language model, cached so that
 * re-opening a map costs nothing, and the names the user gave with "Rename Topic" (which win).
 *
 *   {"schemaVersion": 1,
 *    "names":     [{membersHash, model, promptVersion, name, description, keywords, createdAt}],
 *    "judgments": [{membersHash, model, promptVersion, coherence, reason, misfits: [record ids], sampled, createdAt}],
 *    "renames":   [{membersHash, name, description?, createdAt}]}
 *
 * An LLM answer is keyed by the cluster's members (ids and texts: `membersHash`), the model and
 * the prompt version: the same cluster asked again with another model or prompt is asked anew. A
 * rename is keyed by the members only. The file is kept in the project (not .cache/): names cost
 * requests, and renames are the user's work. Writes are atomic and under a lock; entries that do
 * not have the expected shape (a hand edit) are skipped and counted, never shown half-read.
 */
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { readJson, writeJsonAtomic } from '../util/fs';
import { withFileLock } from '../util/file-lock';
import { recordsHash } from './cluster-cache';

export const TOPIC_STORE_SCHEMA_VERSION = 1;

export interface TopicNameEntry {
  membersHash: string;
  model: string;
  promptVersion: number;
  name: string;
  description: string;
  keywords: string[];
  createdAt: string;
}

export interface ClusterJudgmentEntry {
  membersHash: string;
  model: string;
  promptVersion: number;
  /** 1 (unrelated texts) to 5 (one clear topic). */
  coherence: number;
  reason: string;
  /** Record ids of sampled members that do not fit. */
  misfits: string[];
  /** How many members the model saw. */
  sampled: number;
  createdAt: string;
}

export interface TopicRenameEntry {
  membersHash: string;
  name: string;
  description?: string;
  createdAt: string;
}

export interface TopicStore {
  schemaVersion: number;
  names: TopicNameEntry[];
  judgments: ClusterJudgmentEntry[];
  renames: TopicRenameEntry[];
}

export interface LoadedTopicStore {
  store: TopicStore;
  /** Entries skipped because they do not have the expected shape. */
  skipped: number;
}

const emptyStore = (): TopicStore => ({ schemaVersion: TOPIC_STORE_SCHEMA_VERSION, names: [], judgments: [], renames: [] });

/** The hash a cluster is known by: its members' ids and texts, in dataset order. */
export function membersHash(members: readonly { id: string; text: string }[]): string {
  return recordsHash(members);
}

const isText = (v: unknown, max = 2000): v is string => typeof v === 'string' && v.length <= max;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => isText(x, 500));

function validName(e: Partial<TopicNameEntry>): e is TopicNameEntry {
  return isText(e.membersHash, 100) && isText(e.model, 300) && Number.isInteger(e.promptVersion) && isText(e.name, 200) && isText(e.description) && isStringList(e.keywords) && isText(e.createdAt, 40);
}

function validJudgment(e: Partial<ClusterJudgmentEntry>): e is ClusterJudgmentEntry {
  return (
    isText(e.membersHash, 100) && isText(e.model, 300) && Number.isInteger(e.promptVersion) && Number.isInteger(e.coherence) && e.coherence! >= 1 && e.coherence! <= 5 &&
    isText(e.reason) && isStringList(e.misfits) && Number.isInteger(e.sampled) && isText(e.createdAt, 40)
  );
}

function validRename(e: Partial<TopicRenameEntry>): e is TopicRenameEntry {
  return isText(e.membersHash, 100) && isText(e.name, 200) && (e.description === undefined || isText(e.description)) && isText(e.createdAt, 40);
}

/** Reads topics.json (missing: empty). Unparseable JSON is an InputError naming the file. */
export async function readTopicStore(file: string): Promise<LoadedTopicStore> {
  let raw: Partial<TopicStore> | undefined;
  try {
    raw = await readJson<Partial<TopicStore>>(file);
  } catch (err) {
    throw new InputError(`is not valid JSON (${(err as Error).message}); fix or remove it`, { file });
  }
  if (raw === undefined) return { store: emptyStore(), skipped: 0 };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError('must hold a JSON object', { file });
  if (raw.schemaVersion !== TOPIC_STORE_SCHEMA_VERSION) throw new InputError(`has schemaVersion ${String(raw.schemaVersion)}, expected ${TOPIC_STORE_SCHEMA_VERSION}`, { file, field: 'schemaVersion' });
  let skipped = 0;
  const keep = <T>(list: unknown, ok: (e: Partial<T>) => e is T): T[] => {
    if (!Array.isArray(list)) return [];
    const out = list.filter((e): e is T => typeof e === 'object' && e !== null && ok(e as Partial<T>));
    skipped += list.length - out.length;
    return out;
  };
  return {
    store: {
      schemaVersion: TOPIC_STORE_SCHEMA_VERSION,
      names: keep<TopicNameEntry>(raw.names, validName),
      judgments: keep<ClusterJudgmentEntry>(raw.judgments, validJudgment),
      renames: keep<TopicRenameEntry>(raw.renames, validRename),
    },
    skipped,
  };
}

const lockOf = (file: string): string => path.join(path.dirname(file), `.${path.basename(file)}.lock`);

/** Read-modify-write of topics.json under its lock, written atomically. */
export async function updateTopicStore(file: string, change: (store: TopicStore) => void): Promise<TopicStore> {
  return withFileLock(lockOf(file), async () => {
    const { store } = await readTopicStore(file);
    change(store);
    await writeJsonAtomic(file, store);
    return store;
  });
}

const sameKey = (a: { membersHash: string; model: string; promptVersion: number }, b: typeof a): boolean =>
  a.membersHash === b.membersHash && a.model === b.model && a.promptVersion === b.promptVersion;

/** Adds or replaces (same members, model and prompt version) names and judgments. */
export function upsertAnswers(store: TopicStore, names: readonly TopicNameEntry[], judgments: readonly ClusterJudgmentEntry[]): void {
  for (const n of names) store.names = [...store.names.filter((e) => !sameKey(e, n)), n];
  for (const j of judgments) store.judgments = [...store.judgments.filter((e) => !sameKey(e, j)), j];
}

/** The cached name of these members from this model and prompt version. */
export function cachedName(store: TopicStore, key: { membersHash: string; model: string; promptVersion: number }): TopicNameEntry | undefined {
  return store.names.find((e) => sameKey(e, key));
}

export function cachedJudgment(store: TopicStore, key: { membersHash: string; model: string; promptVersion: number }): ClusterJudgmentEntry | undefined {
  return store.judgments.find((e) => sameKey(e, key));
}

const newest = <T extends { createdAt: string }>(list: readonly T[]): T | undefined =>
  list.reduce<T | undefined>((best, e) => (!best || e.createdAt >= best.createdAt ? e : best), undefined);

/** What the map shows for a cluster: the user's rename, else the newest LLM name; the newest judgment. */
export interface ShownTopic {
  name?: string;
  description?: string;
  nameSource?: 'llm' | 'user';
  coherence?: number;
}

export function shownTopic(store: TopicStore, hash: string): ShownTopic {
  const rename = newest(store.renames.filter((e) => e.membersHash === hash));
  const named = newest(store.names.filter((e) => e.membersHash === hash));
  const judged = newest(store.judgments.filter((e) => e.membersHash === hash));
  const out: ShownTopic = {};
  if (rename) Object.assign(out, { name: rename.name, nameSource: 'user' as const, ...(rename.description ? { description: rename.description } : {}) });
  else if (named) Object.assign(out, { name: named.name, description: named.description, nameSource: 'llm' as const });
  if (judged) out.coherence = judged.coherence;
  return out;
}

/** Sets (or, with an empty name, removes) the user's name for a cluster. */
export async function renameTopic(file: string, hash: string, name: string, description?: string): Promise<TopicRenameEntry | undefined> {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (clean.length > 200) throw new InputError(`a topic name has at most 200 characters, this one ${clean.length}`, { field: 'name' });
  let entry: TopicRenameEntry | undefined;
  await updateTopicStore(file, (store) => {
    store.renames = store.renames.filter((e) => e.membersHash !== hash);
    if (clean) {
      entry = { membersHash: hash, name: clean, ...(description?.trim() ? { description: description.trim() } : {}), createdAt: new Date().toISOString() };
      store.renames.push(entry);
    }
  });
  return entry;
}

export { emptyStore as emptyTopicStore };
