// A random CSR matrix shaped like TF-IDF rows, for the tests of the sparse kernels.
import type { SparseRows } from '../../../src/engine/encoders/builtin/sparse';
import { createRng } from '../../../src/engine/util/random';

/** rows × cols, up to perRow non-zeros a row in [−1, 1); every 7th row empty; columns sorted and distinct. */
export function randomSparse(rows: number, cols: number, perRow: number, seed: number): SparseRows {
  const rng = createRng(seed);
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    const count = i % 7 === 3 ? 0 : 1 + Math.floor(rng() * perRow);
    const cs = new Set<number>();
    while (cs.size < Math.min(count, cols)) cs.add(Math.floor(rng() * cols));
    for (const c of [...cs].sort((a, b) => a - b)) {
      indices.push(c);
      values.push(rng() * 2 - 1);
    }
    indptr[i + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}
