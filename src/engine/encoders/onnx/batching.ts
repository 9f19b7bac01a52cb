/**
 * Batches of tokenized texts, and the int64 tensors ONNX Runtime takes. "Smart batching" sorts the
 * texts by token count so that each batch pads to a similar length (sentence-transformers sorts by
 * character length, which pads more); results are written back in the original order.
 */

/** One batch: the indices (in the caller's order) of the texts it holds. */
export interface Batch {
  indices: number[];
}

/**
 * How big one session.run may be: at most `maxTexts` texts, and at most `maxTokens` tokens once padded
 * (texts × the longest text's tokens). The token bound keeps the batches of long texts small and those
 * of short texts full. On this repository's 2-core bench machine (MiniLM-L6 shape, 2,000 AG News
 * texts), batches bounded by 768–1,024 padded tokens ran 5–7% faster than fixed batches of 32 (the
 * attention's cost grows with the square of the padded length, and the longest texts no longer pad a
 * batch of 32), and they bound the memory of one run: 32 texts of 256 tokens pad to 8,192 tokens.
 * A text longer than `maxTokens` still gets a batch of its own.
 */
export interface BatchLimits {
  maxTexts: number;
  maxTokens: number;
}

/** 32 texts, as sentence-transformers' encode, and 1,024 padded tokens (see `BatchLimits`). */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxTexts: 32, maxTokens: 1024 };

/**
 * Splits `lengths.length` texts (token counts) into batches within `limits`, longest first when
 * `sorted` (stable for ties), else in the given order. A batch grows while it has fewer than
 * `maxTexts` texts and its padded size (texts × longest) stays within `maxTokens`.
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits, sorted = true): Batch[] {
  const maxTexts = Math.max(1, Math.floor(limits.maxTexts));
  const order = lengths.map((_, i) => i);
  if (sorted) order.sort((a, b) => lengths[b] - lengths[a] || a - b);
  const out: Batch[] = [];
  let indices: number[] = [];
  let longest = 0;
  for (const i of order) {
    const widest = Math.max(longest, lengths[i], 1);
    if (indices.length > 0 && (indices.length >= maxTexts || (indices.length + 1) * widest > limits.maxTokens)) {
      out.push({ indices });
      indices = [];
      longest = 0;
    }
    indices.push(i);
    longest = Math.max(longest, lengths[i], 1);
  }
  if (indices.length > 0) out.push({ indices });
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

/**
 * Pads the given token id lists to the longest one with `padId`. The int64 values are written as two
 * 32-bit words (low word = the id, high word = 0) instead of one `BigInt` per token: no heap object
 * per token, no GC work per batch.
 */
export function padBatch(ids: readonly ArrayLike<number>[], padId: number): PaddedBatch {
  const batch = ids.length;
  let sequence = 1;
  for (const t of ids) if (t.length > sequence) sequence = t.length;
  const inputIds = new BigInt64Array(batch * sequence);
  const attentionMask = new BigInt64Array(batch * sequence);
  const idWords = new Int32Array(inputIds.buffer);
  const maskWords = new Int32Array(attentionMask.buffer);
  const lengths = new Int32Array(batch);
  const pad = checkedId(padId);
  for (let b = 0; b < batch; b++) {
    const t = ids[b];
    lengths[b] = t.length;
    let w = 2 * b * sequence + LOW_WORD;
    for (let s = 0; s < t.length; s++, w += 2) {
      idWords[w] = checkedId(t[s]);
      maskWords[w] = 1;
    }
    if (pad !== 0) for (let s = t.length; s < sequence; s++, w += 2) idWords[w] = pad;
  }
  return { batch, sequence, inputIds, attentionMask, tokenTypeIds: new BigInt64Array(batch * sequence), lengths };
}

/** Index of the low 32-bit word of an int64 in an Int32Array view (0 on little-endian machines). */
const LOW_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

/** A token id as the low word of an int64: a non-negative 31-bit integer (vocabularies are far smaller). */
function checkedId(id: number): number {
  if (!(id >= 0 && id <= 0x7fffffff) || !Number.isInteger(id)) throw new RangeError(`token id out of range: ${id}`);
  return id;
}
