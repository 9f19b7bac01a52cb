import type { TfidfOptions } from './tfidf';

/** Every setting of the built-in encoder; see `defaultBuiltinOptions` for the tuned values. */
export interface BuiltinOptions extends TfidfOptions {
  /** Output dimension (LSA rank). */
  dimension: number;
  seed: number;
  powerIterations: number;
  /**
   * Each LSA coordinate is divided by σᵏ^exponent: 0 keeps the usual LSA scaling (U·Σ),
   * 1 whitens (U), 0.5 is in between.
   */
  singularValuePower: number;
  /** Drop this many leading components (the first one mostly encodes document length/common words). */
  dropComponents: number;
}

/** The tuned defaults (see the README: tuned on AG News clustering and checked on STSb). */
export const defaultBuiltinOptions: BuiltinOptions = {
  wordNgrams: [1, 2],
  charNgrams: [3, 5],
  minDf: 2,
  maxDf: 0.5,
  maxFeatures: 60000,
  charWeight: 1,
  dimension: 65,
  seed: 42,
  powerIterations: 3,
  singularValuePower: 0,
  dropComponents: 1,
};
