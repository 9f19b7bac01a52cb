/**
 * Small project-level jobs: peek at a data file's fields (for the import quick picks),
 * and find the records most similar to a text (brute-force cosine; moves to
 * src/engine/search once it exists).
 */
import type { JobOptions } from '../util/job';
import { readRecords } from '../data/read-records';
import { normalizeRows, row, dot } from '../util/matrix';
import type { JobSecrets } from './protocol';
import type { TextSource } from './job-types';

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

/** Import a data file into a project (the project store's importDataset). */
export interface ImportParams {
  projectDir: string;
  file: string;
  name?: string;
  template?: string;
  label?: string;
  idField?: string;
  mapping?: Record<string, string>;
  replace?: boolean;
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
}

/** The k records of a data file most similar (cosine) to a query text. */
export async function findSimilar(params: SimilarParams, options: JobOptions & { secrets: JobSecrets }): Promise<{ hits: SimilarHit[]; encoderId: string }> {
  const { loadSource } = await import('./handlers');
  const { resolveEncoder } = await import('../encoders/resolve');
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
    const docs = normalizeRows(await encoder.encode(loaded.texts, { role: 'passage', signal: options.signal, onProgress: options.onProgress }));
    const q = normalizeRows(await encoder.encode([params.query], { role: 'query', signal: options.signal }));
    const qv = row(q, 0);
    const scores = Array.from({ length: docs.rows }, (_, i) => ({ i, s: dot(row(docs, i), qv) }));
    scores.sort((a, b) => b.s - a.s);
    const hits = scores.slice(0, params.k ?? 10).map(({ i, s }) => ({ id: loaded.ids[i], text: loaded.texts[i], score: s }));
    return { hits, encoderId: encoder.id };
  } finally {
    await encoder.dispose();
  }
}
