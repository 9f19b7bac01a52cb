/**
 * Search state kept in the engine process between map requests: for one dataset and
 * encoder, the encoder itself (to embed queries), a vector index over the dataset's
 * embeddings (exact up to 50k records, IVF beyond) and the texts. Built on the first
 * search of a map, reused until the dataset file changes; at most two are kept.
 */
import { promises as fs } from 'node:fs';
import type { Encoder } from '../encoders/encoder';
import { openProject, findDataset, datasetPath } from '../project/store';
import { createVectorIndex, type VectorIndex } from '../search/vector-index';
import { getCachedEmbeddings } from '../project/embedding-cache';
import { datasetEncoder, readDataset, type DatasetEncoderParams, type EngineJobOptions } from './dataset-embeddings';

export interface MapSession {
  encoder: Encoder;
  index: VectorIndex;
  ids: string[];
  texts: string[];
  /** Lower-cased texts, for substring search. */
  lowered: string[];
  /** When the session was built: texts found in the project's embedding cache, and texts embedded then. */
  cache: { hits: number; embedded: number };
}

/** A session and whether it was reused (built by an earlier search of this dataset and encoder). */
export interface OpenedMapSession {
  session: MapSession;
  reused: boolean;
}

interface Entry {
  key: string;
  stamp: string;
  session: Promise<MapSession>;
}

const MAX_SESSIONS = 2;
const entries: Entry[] = [];

async function fileStamp(file: string): Promise<string> {
  const st = await fs.stat(file);
  return `${st.size}:${st.mtimeMs}`;
}

async function build(params: DatasetEncoderParams, options: EngineJobOptions): Promise<MapSession> {
  const data = await readDataset(params.projectDir, params.dataset, options);
  const texts = data.records.map((r) => r.text);
  // The session outlives this job: the encoder must not be tied to its cancel signal.
  const encoder = await datasetEncoder(params, texts, { secrets: options.secrets });
  try {
    const cached = await getCachedEmbeddings(params.projectDir, encoder, texts, { signal: options.signal, onProgress: options.onProgress });
    const index = await createVectorIndex(cached.matrix, { seed: params.seed, signal: options.signal });
    return {
      encoder,
      index,
      ids: data.records.map((r) => r.id),
      texts,
      lowered: texts.map((t) => t.toLowerCase()),
      cache: { hits: cached.hits, embedded: cached.embedded },
    };
  } catch (err) {
    await encoder.dispose();
    throw err;
  }
}

function drop(entry: Entry): void {
  void entry.session.then((s) => s.encoder.dispose()).catch(() => undefined);
}

/** The search session of a dataset and encoder (built or reused). */
export async function mapSession(params: DatasetEncoderParams, options: EngineJobOptions): Promise<MapSession> {
  return (await openMapSession(params, options)).session;
}

/** The search session of a dataset and encoder, saying whether it was reused. */
export async function openMapSession(params: DatasetEncoderParams, options: EngineJobOptions): Promise<OpenedMapSession> {
  const key = JSON.stringify([params.projectDir, params.dataset, params.encoder, params.seed ?? null]);
  const project = await openProject(params.projectDir);
  const stamp = await fileStamp(datasetPath(project, findDataset(project, params.dataset)));
  const at = entries.findIndex((e) => e.key === key);
  if (at >= 0) {
    const entry = entries[at];
    if (entry.stamp === stamp) {
      entries.splice(at, 1);
      entries.unshift(entry);
      return { session: await entry.session, reused: true };
    }
    entries.splice(at, 1);
    drop(entry);
  }
  const entry: Entry = { key, stamp, session: build(params, options) };
  entries.unshift(entry);
  entry.session.catch(() => {
    const i = entries.indexOf(entry);
    if (i >= 0) entries.splice(i, 1);
  });
  while (entries.length > MAX_SESSIONS) drop(entries.pop()!);
  return { session: await entry.session, reused: false };
}

/** Forgets every session (tests; a project deleted). */
export function clearMapSessions(): void {
  while (entries.length) drop(entries.pop()!);
}
