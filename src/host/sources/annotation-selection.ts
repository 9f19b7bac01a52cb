/**
 * A selection of records sent from the cluster map to pair annotation. The ids are kept
 * in <project>/.cache/selections/<key>.json (written atomically), so an annotation panel
 * on a selection is restored after a restart; its restore key is
 * "<projectDir>#<dataset>@<key>" ("@" cannot occur in a dataset name). No `vscode` import.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../engine/util/fs';

export const SELECTION_SCHEMA_VERSION = 1;

export interface RecordSelection {
  /** Content key: the same ids give the same key (and so the same panel). */
  key: string;
  dataset: string;
  ids: string[];
}

/** A short content hash of the dataset and the (sorted, distinct) ids. */
export function selectionKey(dataset: string, ids: readonly string[]): string {
  const hash = createHash('sha256').update(dataset).update('\u0000');
  for (const id of [...new Set(ids)].sort()) hash.update(id).update('\u0000');
  return hash.digest('hex').slice(0, 16);
}

export function selectionFile(projectDir: string, key: string): string {
  return path.join(projectDir, '.cache', 'selections', `${key}.json`);
}

/** Saves the selection (distinct ids, in the given order) and returns it with its key. */
export async function saveSelection(projectDir: string, dataset: string, ids: readonly string[]): Promise<RecordSelection> {
  const distinct = [...new Set(ids)];
  const key = selectionKey(dataset, distinct);
  await writeFileAtomic(selectionFile(projectDir, key), JSON.stringify({ schemaVersion: SELECTION_SCHEMA_VERSION, dataset, ids: distinct }) + '\n');
  return { key, dataset, ids: distinct };
}

/** The saved selection, or undefined when it is gone (caches may be deleted) or not for this dataset. */
export async function loadSelection(projectDir: string, dataset: string, key: string): Promise<RecordSelection | undefined> {
  if (!/^[0-9a-f]{16}$/.test(key)) return undefined;
  try {
    const raw: unknown = JSON.parse(await fs.readFile(selectionFile(projectDir, key), 'utf8'));
    if (typeof raw !== 'object' || raw === null) return undefined;
    const v = raw as { dataset?: unknown; ids?: unknown };
    if (v.dataset !== dataset || !Array.isArray(v.ids) || !v.ids.every((id) => typeof id === 'string')) return undefined;
    return { key, dataset, ids: v.ids as string[] };
  } catch {
    return undefined;
  }
}

/** The annotation panel's restore key: one panel per dataset, or per dataset and selection. */
export function annotateRestoreKey(projectDir: string, dataset: string, selection?: { key: string }): string {
  return `${projectDir}#${dataset}${selection ? `@${selection.key}` : ''}`;
}

/** Splits the dataset part of a restore key ("news" or "news@<key>"). */
export function parseDatasetPart(part: string): { dataset: string; selectionKey?: string } {
  const at = part.indexOf('@');
  return at > 0 ? { dataset: part.slice(0, at), selectionKey: part.slice(at + 1) } : { dataset: part };
}
