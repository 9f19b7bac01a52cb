/**
 * Head mode embeds every distinct text once with the frozen encoder; batches then index
 * rows of this table.
 */
import type { Encoder } from '../encoders/encoder';
import type { JobOptions } from '../util/job';
import { normalizeRows, type Matrix } from '../util/matrix';

export interface EmbeddingTable {
  index: Map<string, number>;
  matrix: Matrix;
}

/** Embeds the distinct texts among `texts` (rows L2-normalised). */
export async function embedDistinct(encoder: Encoder, texts: Iterable<string>, options: JobOptions = {}): Promise<EmbeddingTable> {
  const index = new Map<string, number>();
  const distinct: string[] = [];
  for (const t of texts)
    if (!index.has(t)) {
      index.set(t, distinct.length);
      distinct.push(t);
    }
  const matrix = await encoder.encode(distinct, { signal: options.signal, onProgress: options.onProgress });
  if (matrix.rows !== distinct.length) throw new Error(`the encoder returned ${matrix.rows} rows for ${distinct.length} texts`);
  return { index, matrix: normalizeRows({ rows: matrix.rows, cols: matrix.cols, data: new Float32Array(matrix.data) }) };
}

export function rowsOf(table: EmbeddingTable, texts: readonly string[]): Int32Array {
  return Int32Array.from(texts, (t) => {
    const i = table.index.get(t);
    if (i === undefined) throw new Error(`text not embedded: ${t.slice(0, 40)}`);
    return i;
  });
}
