/**
 * Small project-level jobs: peek at a data file's fields (for the import quick picks),
 * and find the records most similar to a text (src/engine/search).
 */
import type { JobOptions } from '../util/job';
import { readRecords } from '../data/read-records';
import { resolveEncoder } from '../encoders/resolve';
import { createVectorIndex } from '../search/vector-index';
import { searchText } from '../search/query';
import type { JobSecrets } from './protocol';
import type { TextSource } from './job-types';
import { loadSource } from './text-source';
import { openMapSession } from './map-session';

export interface PeekParams {
  file: string;
  rows?: number;
}

export interface PeekResult {
  fields: string[];
  sample: Record<string, unknown>[];
}

/** The field names and first rows of a data file. */
export async function peekData(params: PeekParams): Promise<PeekResult> {
  const fields = new Set<string>();
  const sample: Record<string, unknown>[] = [];
  for await (const rec of readRecords(params.file)) {
    for (const k of Object.keys(rec.fields)) fields.add(k);
    sample.push(rec.fields);
    if (sample.length >= (params.rows ?? 20)) break;
  }
  return { fields: [...fields], sample };
}

export interface SimilarParams extends TextSource {
  query: string;
  encoder: string;
  k?: number;
  projectDir?: string;
  cacheDir?: string;
  seed?: number;
}

export interface SimilarHit {
  id: string;
  text: string;
  score: number;
  /** The record's position in the dataset (or data file): the map's point index. */
  index: number;
}

/**
 * Where a search's embeddings came from: the search session kept from an earlier search of this
 * dataset and encoder (`reused`), else built now from the project's embedding cache (`hits` texts
 * found there, `embedded` texts embedded now). Absent for a data file (always embedded now).
 */
export interface SimilarEmbeddings {
  reused: boolean;
  hits: number;
  embedded: number;
}

export interface SimilarResult {
  hits: SimilarHit[];
  encoderId: string;
  embeddings?: SimilarEmbeddings;
}

/**
 * The k records most similar (cosine) to a query text. For a project dataset the search
 * runs on the map's search session (cached embeddings, vector index and encoder, kept
 * between requests); for a data file the texts are embedded for this request.
 */
export async function findSimilar(params: SimilarParams, options: JobOptions & { secrets: JobSecrets }): Promise<SimilarResult> {
  const k = params.k ?? 10;
  if (params.projectDir && params.dataset && !params.texts && !params.file) {
    const { session, reused } = await openMapSession({ projectDir: params.projectDir, dataset: params.dataset, encoder: params.encoder, seed: params.seed, cacheDir: params.cacheDir }, options);
    const hits = await searchText(session.index, session.encoder, params.query, k, { signal: options.signal });
    return {
      hits: hits.map((h) => ({ id: session.ids[h.index], text: session.texts[h.index], score: h.score, index: h.index })),
      encoderId: session.encoder.id,
      embeddings: { reused, ...session.cache },
    };
  }
  const loaded = await loadSource(params, { signal: options.signal });
  const encoder = await resolveEncoder(params.encoder, {
    corpus: loaded.texts,
    projectDir: params.projectDir,
    cacheDir: params.cacheDir,
    seed: params.seed,
    hfToken: options.secrets.hfToken,
    apiKey: options.secrets.apiKey,
    signal: options.signal,
  });
  try {
    const docs = await encoder.encode(loaded.texts, { role: 'passage', signal: options.signal, onProgress: options.onProgress });
    const index = await createVectorIndex(docs, { seed: params.seed, signal: options.signal });
    const hits = await searchText(index, encoder, params.query, k, { signal: options.signal });
    return { hits: hits.map((h) => ({ id: loaded.ids[h.index], text: loaded.texts[h.index], score: h.score, index: h.index })), encoderId: encoder.id };
  } finally {
    await encoder.dispose();
  }
}
