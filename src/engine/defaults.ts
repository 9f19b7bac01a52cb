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

/**
 * The active loop (Prodigy's "teach"): after every `every` new annotations a head-mode run
 * trains in the background on the annotated pairs, minus a fixed held-out part it never
 * trains on; Spearman on that part shows how the run moves as the user annotates.
 */
export const ACTIVE_LOOP_DEFAULTS = {
  /** New annotations between two runs (0 = off). */
  every: 20,
  /** Share of annotated pairs held out, chosen per pair by a hash of its ids (so it never changes). */
  heldOutPercent: 20,
  /** Fewer held-out pairs than this: no Spearman yet (on fewer it is mostly noise). */
  minHeldOut: 10,
  /** A score-aware loss: the annotations are scores on 0–1. */
  loss: 'cosent',
  /**
   * A few dozen pairs make a batch or two per epoch: more epochs than Fine-tune's, at its head
   * learning rate (1e-2 overfit a few dozen AG News pairs: held-out Spearman 0.61 → 0.26 at
   * n=100, where 1e-3 gave 0.61 → 0.63). The run keeps its last step; the held-out pairs only
   * measure it.
   */
  epochs: 10,
  batchSize: 16,
  lr: 1e-3,
} as const;

export const SUGGEST_DEFAULTS = { strategy: 'stratified', count: 20 } as const;

export const CLEAN_DEFAULTS = { examples: 3 } as const;

export const SEARCH_DEFAULTS = { k: 10 } as const;

export const EVAL_TOPK_DEFAULTS = { k: 25 } as const;
