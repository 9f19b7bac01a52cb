/**
 * Batches of tokenized texts, and the int64 tensors ONNX Runtime takes. "Smart batching" sorts the
 * texts by token count so that each batch pads to a similar length (sentence-transformers sorts by
 * character length, which pads more); results are written back in the original order.
 */

/** One batch: the indices (in the caller's order) of the texts it holds. */
export interface Batch {
  indices: number[];
}

/** Splits `lengths.length` texts into batches, longest first when `sorted` (stable for ties). */
export function planBatches(lengths: readonly number[], batchSize: number, sorted = true): Batch[] {
  const order = lengths.map((_, i) => i);
  if (sorted) order.sort((a, b) => lengths[b] - lengths[a] || a - b);
  const out: Batch[] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push({ indices: order.slice(i, i + batchSize) });
  return out;
}

/** The padded int64 inputs of one batch (right padding). */
export interface PaddedBatch {
  batch: number;
  sequence: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** All zeros (single-sequence inputs). */
  tokenTypeIds: BigInt64Array;
  lengths: Int32Array;
}

/** Pads the given token id lists to the longest one with `padId`. */
export function padBatch(ids: readonly ArrayLike<number>[], padId: number): PaddedBatch {
  const batch = ids.length;
  let sequence = 1;
  for (const t of ids) if (t.length > sequence) sequence = t.length;
  const inputIds = new BigInt64Array(batch * sequence).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batch * sequence);
  const lengths = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const t = ids[b];
    lengths[b] = t.length;
    const o = b * sequence;
    for (let s = 0; s < t.length; s++) {
      inputIds[o + s] = BigInt(t[s]);
      attentionMask[o + s] = 1n;
    }
  }
  return { batch, sequence, inputIds, attentionMask, tokenTypeIds: new BigInt64Array(batch * sequence), lengths };
}
