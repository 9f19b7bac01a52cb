/**
 * Texts → the padded integer inputs of the tfjs BERT: token ids from the model folder's
 * tokenizer (special tokens added, truncated at max_seq_length as sentence-transformers does),
 * right padding to the longest text of the batch, the attention mask and the position ids
 * (0…n−1 for BERT; RoBERTa counts from padding_idx + 1 over the non-pad tokens).
 */
import type { TextTokenizer } from '../../encoders/tokenizer/text-tokenizer';
import type { BertConfig } from '../../onnx/bert-config';

export interface TokenBatch {
  batch: number;
  sequence: number;
  /** [batch · sequence] token ids. */
  ids: Int32Array;
  /** [batch · sequence] 1 for tokens, 0 for padding. */
  mask: Float32Array;
  /** [batch · sequence] position ids. */
  positions: Int32Array;
  /** Tokens per text (special tokens included). */
  lengths: Int32Array;
}

/** Pads token id lists (already truncated) into one batch. */
export function padTokenBatch(tokens: readonly (readonly number[])[], padId: number, config: BertConfig): TokenBatch {
  const batch = tokens.length;
  let sequence = 1;
  for (const t of tokens) sequence = Math.max(sequence, t.length);
  const ids = new Int32Array(batch * sequence).fill(padId);
  const mask = new Float32Array(batch * sequence);
  const positions = new Int32Array(batch * sequence);
  const lengths = new Int32Array(batch);
  const roberta = config.modelType === 'roberta';
  for (let b = 0; b < batch; b++) {
    const t = tokens[b];
    lengths[b] = t.length;
    const o = b * sequence;
    for (let s = 0; s < t.length; s++) {
      ids[o + s] = t[s];
      mask[o + s] = 1;
    }
    if (roberta) {
      // transformers' create_position_ids_from_input_ids: cumsum(id != pad) · (id != pad) + pad
      let count = 0;
      for (let s = 0; s < sequence; s++) {
        const real = ids[o + s] !== config.padTokenId;
        if (real) count++;
        positions[o + s] = (real ? count : 0) + config.padTokenId;
      }
    } else for (let s = 0; s < sequence; s++) positions[o + s] = s;
  }
  return { batch, sequence, ids, mask, positions, lengths };
}

/** Tokenizes and pads texts (see `padTokenBatch`). */
export function tokenizeBatch(tokenizer: TextTokenizer, texts: readonly string[], maxSeqLength: number, config: BertConfig): TokenBatch {
  return padTokenBatch(
    texts.map((t) => tokenizer.encode(t, maxSeqLength)),
    tokenizer.padId,
    config,
  );
}
