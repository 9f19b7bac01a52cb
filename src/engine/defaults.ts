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
  /** The loss follows the data (engine/train/choose-loss.ts): scored pairs a score-aware loss, labels MNR on same-label pairs. */
  loss: 'auto',
  mode: 'head',
  /** Epochs: "auto" is up to maxEpochs with early stopping when there is evaluation data, else from the data size. */
  epochs: 'auto',
  /** The most epochs a run with evaluation data trains (it stops early, keeping its best evaluation). */
  maxEpochs: 10,
  /** Evaluations (one per epoch by default) without improvement before a run stops early. */
  patience: 2,
  /** Without evaluation data: the epochs that make about this many training examples seen (1 to maxEpochs). */
  examplesPerRun: 20000,
  /** MNR and MegaBatch on scored pairs train only the pairs scored at or above this (the rubric's "same topic and same country"). */
  mnrMinScore: 0.75,
  /** Fewer held-out examples than this: the run warns that its evaluation means little. */
  minEvalExamples: 30,
  batchSize: 32,
  /** Peak AdamW learning rate in head mode (a small head trained from scratch learns fast). */
  headLearningRate: 1e-3,
  /** Peak AdamW learning rate in full mode. */
  fullLearningRate: 2e-5,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  /**
   * The python and ray runners: the least training time between two checkpoints of the step cadence
   * (a checkpoint holds the model and its optimizer state; cancel, early stop and the last step
   * always save one). 0 when a run asks for its own cadence (`checkpointEvery`).
   */
  scriptCheckpointMinSeconds: 300,
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

export const ANNOTATE_DEFAULTS = {
  /** The disagreement queue serves pairs whose annotators' scores differ by more than this (one rubric step). */
  disagreementThreshold: 0.25,
} as const;

export const CLEAN_DEFAULTS = { examples: 3 } as const;

export const SEARCH_DEFAULTS = { k: 10 } as const;

/**
 * The jobs that read a data file only to embed, cluster or search it (`embedlab cluster`, `embed`,
 * `search`, `eval topk`) keep each field's first `maxFieldChars` characters: far beyond what any
 * encoder reads (ONNX models stop at max_seq_length tokens, the built-in encoder at 20,000
 * characters), and a 10 MB text then costs about what a hundred ordinary ones do. Importing into a
 * project keeps texts whole.
 */
export const FILE_TEXT_DEFAULTS = { maxFieldChars: 1_000_000 } as const;

export const EVAL_TOPK_DEFAULTS = { k: 25 } as const;

/** LLM assist (topic names, cluster judgments) through an OpenAI-compatible chat endpoint. */
export const LLM_DEFAULTS = {
  /** The chat endpoint ("" = none set: the commands ask for one). */
  endpoint: '',
  /** The model sent with each request ("" = the endpoint URL's, or the server's default). */
  model: '',
  /** Requests in flight at most (halved on each 429, then raised again). */
  concurrency: 4,
  /** Representative texts per topic-name prompt (nearest the centroid, diversified with MMR). */
  representatives: 5,
  /** Members shown to the judge per cluster (a seeded sample). */
  judgeSample: 12,
  /** Characters kept of each text in a prompt. */
  textChars: 300,
  /** Keywords per prompt. */
  keywords: 10,
} as const;
