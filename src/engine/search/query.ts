import type { Encoder } from '../encoders/encoder';
import { InputError } from '../util/errors';
import type { JobOptions } from '../util/job';
import type { SearchHit, VectorIndex } from './vector-index';

/** The k records most similar to a free-text query, encoded with role 'query'. */
export async function searchText(
  index: VectorIndex,
  encoder: Encoder,
  query: string,
  k: number,
  options: JobOptions = {},
): Promise<SearchHit[]> {
  const q = await encoder.encode([query], { role: 'query', signal: options.signal });
  const vector = q.data.subarray(0, q.cols);
  // A zero vector is as close to every record as to any other: the ranking would be arbitrary.
  if (vector.every((v) => v === 0))
    throw new InputError(`the query "${query}" has no word or character n-gram the encoder (${encoder.id}) knows; try other words`, {
      field: 'query',
    });
  return index.search(vector, k);
}

/** The k records most similar to record i (itself excluded). */
export function searchRecord(index: VectorIndex, i: number, k: number): SearchHit[] {
  if (!Number.isInteger(i) || i < 0 || i >= index.size) throw new Error(`search: no record ${i} (index has ${index.size})`);
  return index.neighbours(i, k);
}
