/**
 * Every default a user can see, in one place: the CLI's option help (`default:` of its option
 * specs), the extension's settings schema (src/host/config-schema.ts, from which package.json's
 * contributes.configuration is generated) and the jobs all read these. A test checks that the
 * three agree (test/unit/cli/defaults.test.ts).
 *
 * Training defaults are also what a saved run without that setting resumes with, so changing one
 * changes how old runs resume.
 */
export const DEFAULT_ENCODER = 'builtin';
export const DEFAULT_SEED = 42;

export const CLUSTER_DEFAULTS = {
  /** HDBSCAN on a 5-d UMAP layout: finds the number of clusters and leaves outliers. */
  algorithm: 'hdbscan',
  /** k-means: "auto" picks the k (2–20) with the best silhouette. */
  k: 'auto',
  /** HDBSCAN's minimum cluster size, in the extension's setting (the CLI, without --min-cluster-size: max(10, 1% of n)). */
  minClusterSize: 10,
  reassignOutliers: false,
  /** c-TF-IDF keywords per topic. */
  keywords: 10,
} as const;

export const SWEEP_DEFAULTS = {
  /** Runs of a sweep training at once on the ray runner (the others run one at a time). */
  rayConcurrency: 2,
} as const;

export const TRAIN_DEFAULTS = {
  loss: 'mnr',
  mode: 'head',
  epochs: 4,
  batchSize: 32,
  /** Peak AdamW learning rate in head mode (a small head trained from scratch learns fast). */
  headLearningRate: 1e-3,
  /** Peak AdamW learning rate in full mode. */
  fullLearningRate: 2e-5,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  /** Share of the training data held out when no evaluation file is given. */
  evalFraction: 0.1,
  head: 'skip-linear',
  backend: 'auto',
} as const;

export const SUGGEST_DEFAULTS = { strategy: 'stratified', count: 20 } as const;

export const CLEAN_DEFAULTS = { examples: 3 } as const;

export const SEARCH_DEFAULTS = { k: 10 } as const;

export const EVAL_TOPK_DEFAULTS = { k: 25 } as const;
