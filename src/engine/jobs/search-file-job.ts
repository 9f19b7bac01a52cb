/**
 * The `searchFile` job (`embedlab search`): the records of a data file most similar to a
 * free-text query, or to one of its records.
 */
import { InputError } from '../util/errors';
import { createVectorIndex, searchRecord, searchText } from '../search/index';
import { DEFAULT_SEED, SEARCH_DEFAULTS } from '../defaults';
import type { JobContext } from './job-context';
import { loadFileTexts, withEmbeddedTexts, type EncoderParams, type FileTextsParams } from './file-texts';

export interface SearchFileParams extends FileTextsParams, EncoderParams {
  /** Free text to search for; or give `id`. */
  query?: string;
  /** A record whose neighbours to list. */
  id?: string;
  /** Results (default 10). */
  k?: number;
}

export interface SearchFileResult {
  query: string | null;
  id: string | null;
  k: number;
  n: number;
  approximate: boolean;
  encoder: string;
  skipped: number;
  seconds: number;
  results: { id: string; score: number; text: string }[];
}

/** The error of an `id` that no record of the file has (the CLI reports it as a usage error). */
export class UnknownRecordError extends InputError {
  override name = 'UnknownRecordError';
}

export async function searchFileJob(params: SearchFileParams, ctx: JobContext): Promise<SearchFileResult> {
  const { query, id } = params;
  if ((query === undefined) === (id === undefined)) throw new InputError('give exactly one of a query text or a record id', { field: 'query' });
  const k = params.k ?? SEARCH_DEFAULTS.k;
  if (!Number.isInteger(k) || k < 1) throw new InputError(`k must be a positive integer, got "${String(k)}"`, { field: 'k' });
  const started = performance.now();
  const loaded = await loadFileTexts(params, ctx, { purpose: 'search' });
  return withEmbeddedTexts(params, ctx, loaded.texts, { role: 'passage' }, async (x, encoder) => {
    const index = await createVectorIndex(x, { seed: params.seed ?? DEFAULT_SEED, signal: ctx.signal });
    let hits;
    if (id !== undefined) {
      const row = loaded.ids.indexOf(id);
      if (row < 0) throw new UnknownRecordError(`no record with id "${id}"`, { file: params.file });
      hits = searchRecord(index, row, k);
    } else hits = await searchText(index, encoder, query!, k, { signal: ctx.signal });
    const results = hits.map((h) => ({ id: loaded.ids[h.index], score: Number(h.score.toFixed(6)), text: loaded.texts[h.index] }));
    const seconds = Number(((performance.now() - started) / 1000).toFixed(3));
    return { query: query ?? null, id: id ?? null, k, n: loaded.texts.length, approximate: index.approximate, encoder: encoder.id, skipped: loaded.skipped.length, seconds, results };
  });
}
