/**
 * Splits texts into request batches of at most `batchSize` texts and about `maxChars`
 * characters (a single longer text gets a batch of its own). Returns [start, end) ranges.
 */
export function planBatches(texts: readonly string[], batchSize: number, maxChars: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  let chars = 0;
  for (let i = 0; i < texts.length; i++) {
    const n = texts[i].length;
    if (i > start && (i - start >= batchSize || chars + n > maxChars)) {
      out.push([start, i]);
      start = i;
      chars = 0;
    }
    chars += n;
  }
  if (start < texts.length) out.push([start, texts.length]);
  return out;
}
