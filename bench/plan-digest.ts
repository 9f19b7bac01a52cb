import * as crypto from 'node:crypto';

/**
 * Digest of a batch plan: the text indices in batch order, as compact JSON, sha256, 16 hex digits.
 * bench/peers/ort_encode.py computes the same (json.dumps with separators (",", ":")), so the bench
 * can check which batches each side ran.
 */
export function planDigest(order: readonly number[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(order)).digest('hex').slice(0, 16);
}
