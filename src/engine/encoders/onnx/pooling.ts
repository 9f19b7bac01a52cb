import type { PoolingMode } from './model-folder';

/** Token embeddings of one padded batch: [batch, sequence, hidden], row-major. */
export interface TokenEmbeddings {
  data: Float32Array;
  batch: number;
  sequence: number;
  hidden: number;
}

/**
 * Pools token embeddings into sentence embeddings as sentence-transformers' Pooling module does,
 * for right-padded batches: text b's tokens are positions [start[b], length[b]) where `start` is 0, or
 * the prompt length when the prompt is excluded (include_prompt = false). Several modes are concatenated
 * in the given order. Writes `batch × (modes.length · hidden)` values into `out` at row offsets `rows[b]`
 * (rows in the output matrix), `outCols` being the output row width.
 */
export function poolInto(
  t: TokenEmbeddings,
  lengths: ArrayLike<number>,
  starts: ArrayLike<number>,
  modes: readonly PoolingMode[],
  out: Float32Array,
  rows: ArrayLike<number>,
  outCols: number,
): void {
  const { data, sequence: S, hidden: H } = t;
  for (let b = 0; b < t.batch; b++) {
    const len = lengths[b];
    const start = Math.min(starts[b], len);
    const base = b * S * H;
    let o = rows[b] * outCols;
    for (const mode of modes) {
      switch (mode) {
        case 'cls':
          for (let j = 0; j < H; j++) out[o + j] = data[base + j];
          break;
        case 'lasttoken': {
          const p = base + Math.max(0, len - 1) * H;
          for (let j = 0; j < H; j++) out[o + j] = data[p + j];
          break;
        }
        case 'max':
          for (let j = 0; j < H; j++) {
            let m = -1e9; // sentence-transformers' fill value for masked tokens
            for (let s = start; s < len; s++) {
              const v = data[base + s * H + j];
              if (v > m) m = v;
            }
            out[o + j] = m;
          }
          break;
        case 'mean':
        case 'mean_sqrt_len_tokens': {
          const n = len - start;
          const sums = new Float64Array(H);
          for (let s = start; s < len; s++) {
            const p = base + s * H;
            for (let j = 0; j < H; j++) sums[j] += data[p + j];
          }
          const div = mode === 'mean' ? Math.max(n, 1e-9) : Math.sqrt(Math.max(n, 1e-9));
          for (let j = 0; j < H; j++) out[o + j] = n > 0 ? sums[j] / div : 0;
          break;
        }
      }
      o += H;
    }
  }
}

/** L2-normalises rows in place (as torch.nn.functional.normalize, eps 1e-12). */
export function normalizeRowsInPlace(data: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += data[o + j] * data[o + j];
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < cols; j++) data[o + j] *= inv;
  }
}
