import type { TfidfOptions, TopicWeighting } from './tfidf';

const TOPIC_WEIGHTINGS: readonly TopicWeighting[] = ['auto', 'idf-entropy', 'idf'];

/** Every setting of the built-in encoder; see `defaultBuiltinOptions` for the tuned values. */
export interface BuiltinOptions extends TfidfOptions {
  /** LSA rank of the topic part, dropped components included. */
  topicRank: number;
  /** Drop this many leading LSA components (the first one mostly encodes common words and length). */
  dropComponents: number;
  /**
   * Each LSA coordinate is divided by σᵏ^exponent: 0 keeps the usual LSA scaling (U·Σ),
   * 1 whitens (U), 0.5 is in between.
   */
  singularValuePower: number;
  /** Coordinates of the lexical part (a hashed sketch of the lexical view); 0 for none. */
  lexicalDimension: number;
  /** Share of the squared norm that goes to the lexical part (the topic part gets the rest). */
  lexicalWeight: number;
  /**
   * The lexical part gets its full share when the lexical row keeps at least this share of
   * its norm outside the LSA subspace; below, its length shrinks in proportion.
   */
  lexicalFullResidual: number;
  /** Coordinates each term adds to in the sketch. */
  lexicalHashes: number;
  /** Seeds the randomized SVD's start (the sketch's hashes have their own fixed seed, SKETCH_SEED). */
  seed: number;
  /** Power iterations of the randomized SVD (see SvdOptions.powerIterations). */
  powerIterations: number;
}

/**
 * The tuned defaults (measured on AG News k-means NMI and STSb dev/test Spearman; see
 * bench/builtin.ts). The output has (topicRank − dropComponents) + lexicalDimension =
 * 64 + 320 = 384 coordinates. A larger sketch keeps the lexical cosine a little closer to
 * the exact TF-IDF cosine (STSb test, mean of three hash seeds: 0.702 at 256, 0.702 at
 * 320, 0.705 at 384) but every kNN, UMAP and search costs grow with the dimension.
 *
 * topicMinDf 3 (terms in 1 or 2 documents stay out of the LSA; the lexical view keeps them), k-means
 * on the topic part over seeds 1, 2, 3, 7, 42, against topicMinDf 2: AG News 0.551, 0.544, 0.544,
 * 0.553, 0.553 (spread 0.009) vs 0.551, 0.551, 0.547, 0.550, 0.555; News Category slice mean 0.515
 * (worst 0.510) vs 0.506 (0.497); long-text proxy 0.629 vs 0.626; long-texts unit test 0.372 vs
 * 0.292; STSb dev Spearman 0.767 vs 0.766. It takes 30% of the topic view's columns out of the
 * SVD (AG News 68k used columns instead of 97k, 2.91M non-zeros instead of 2.96M), a few % of its
 * time. What else was tried on the topic view, same measures: word n-grams only (8.5× fewer
 * non-zeros) held AG News (0.542–0.549) but not the News Category slice (0.412) nor the long
 * proxy (0.604); words + character 4-grams only (2.3× fewer) 0.491 on the slice (worst seed
 * 0.427); words + 5-grams AG News spread 0.027; the character block weighted 0.5 AG News spread
 * 0.042, slice 0.487; at most 15 character n-grams per text (the highest weighted) AG News 0.41–0.44;
 * character n-grams in more than 1% / 2% of the documents left out, AG News 0.459 / 0.529, slice
 * 0.421 / 0.458.
 *
 * powerIterations 5 (2 of the SVD's 16 sparse-product steps fewer than 6) with topicMinDf 3: AG News
 * 0.551, 0.548, 0.547, 0.551, 0.554 (spread 0.007), slice 0.522 (worst 0.513), long proxy 0.626,
 * long-texts test 0.412, STSb dev 0.767; a leading component of two seeds' fits on 2,000 AG News
 * texts keeps 0.9948 of its norm in the other's subspace (0.995 with 6). With topicMinDf 2, 5
 * iterations gave slice 0.501 (worst 0.483); 4 iterations: AG News 0.479 on seed 2.
 */
export const defaultBuiltinOptions: BuiltinOptions = {
  wordNgrams: [1, 2],
  charNgrams: [3, 5],
  minDf: 1,
  topicMinDf: 3,
  maxDf: 0.5,
  maxFeatures: 60000,
  charWeight: 1,
  topicWeighting: 'auto',
  topicRank: 65,
  dropComponents: 1,
  singularValuePower: 0,
  lexicalDimension: 320,
  lexicalWeight: 0.75,
  lexicalFullResidual: 0.9,
  lexicalHashes: 4,
  seed: 42,
  powerIterations: 5,
};

/** Checks the settings; a bad value is an Error naming the option. */
export function checkBuiltinOptions(o: BuiltinOptions): void {
  const positiveInt = (v: number, name: string): void => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`built-in encoder: ${name} must be a positive integer, got ${v}`);
  };
  positiveInt(o.topicRank, 'topicRank');
  positiveInt(o.minDf, 'minDf');
  positiveInt(o.topicMinDf, 'topicMinDf');
  positiveInt(o.maxFeatures, 'maxFeatures');
  positiveInt(o.lexicalHashes, 'lexicalHashes');
  if (!Number.isInteger(o.dropComponents) || o.dropComponents < 0) throw new Error(`built-in encoder: dropComponents must be an integer ≥ 0, got ${o.dropComponents}`);
  if (!Number.isInteger(o.lexicalDimension) || o.lexicalDimension < 0)
    throw new Error(`built-in encoder: lexicalDimension must be an integer ≥ 0, got ${o.lexicalDimension}`);
  if (!(o.lexicalWeight >= 0 && o.lexicalWeight <= 1)) throw new Error(`built-in encoder: lexicalWeight must be in [0, 1], got ${o.lexicalWeight}`);
  if (!(o.lexicalFullResidual > 0 && o.lexicalFullResidual <= 1))
    throw new Error(`built-in encoder: lexicalFullResidual must be in (0, 1], got ${o.lexicalFullResidual}`);
  if (o.lexicalWeight > 0 && o.lexicalDimension === 0) throw new Error('built-in encoder: lexicalWeight > 0 needs lexicalDimension > 0');
  if (!TOPIC_WEIGHTINGS.includes(o.topicWeighting))
    throw new Error(`built-in encoder: topicWeighting must be one of ${TOPIC_WEIGHTINGS.join(', ')}, got ${String(o.topicWeighting)}`);
  if (!(o.maxDf > 0 && o.maxDf <= 1)) throw new Error(`built-in encoder: maxDf must be in (0, 1], got ${o.maxDf}`);
}
