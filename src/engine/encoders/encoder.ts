import type { JobOptions } from '../util/job';
import type { Matrix } from '../util/matrix';

/** What a text is, for encoders that use prefixes (e5's "query: " and "passage: "). */
export type TextRole = 'query' | 'passage';

export interface EncodeOptions extends JobOptions {
  role?: TextRole;
  /** The texts' ids, when known: errors about a text (a non-finite vector) name its id. */
  ids?: readonly string[];
}

/**
 * The one interface every encoder implements: the built-in offline encoder, ONNX models,
 * OpenAI-compatible endpoints and fine-tuned runs.
 */
export interface Encoder {
  /**
   * A stable identity of the encoder and its weights (for example "builtin:3f2a…",
   * "onnx:all-MiniLM-L6-v2@<sha>"). Embedding caches are keyed by it.
   */
  readonly id: string;
  /** The embedding dimension. */
  readonly dimension: number;
  /** True when the vectors come out L2-normalised. */
  readonly normalized: boolean;
  /**
   * When only the leading coordinates carry the topic of a text (the built-in encoder's LSA part,
   * before its lexical sketch), how many: k-means clusters on them. Absent: all of them.
   */
  readonly topicColumns?: number;
  /** What the encoder chose from the data it was fitted on (e.g. the built-in encoder's topic weighting), for a job's notes. */
  readonly notes?: readonly string[];
  /** Encodes texts to a rows=texts.length × cols=dimension matrix. */
  encode(texts: readonly string[], options?: EncodeOptions): Promise<Matrix>;
  /** Frees native sessions, sockets, workers. */
  dispose(): Promise<void>;
}
