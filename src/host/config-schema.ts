/**
 * The extension's settings (`embeddingLab.*`): names, types, defaults and descriptions
 * in one place; the defaults come from engine/defaults.ts (shared with the CLI and the jobs). Pure data: `config.ts` reads them through VS Code, the manifest sync
 * script writes `contributes.configuration` from them, and the tests compare both.
 */
import { ACTIVE_LOOP_DEFAULTS, ANNOTATE_DEFAULTS, CLUSTER_DEFAULTS, DEFAULT_ENCODER, DEFAULT_SEED, LLM_DEFAULTS, TRAIN_DEFAULTS } from '../engine/defaults';

/** The `train.epochs` setting's value for TRAIN_DEFAULTS.epochs ("auto"). */
export const AUTO_EPOCHS = 0;

export type SettingType = 'string' | 'number' | 'boolean';

export interface SettingInfo<T extends string | number | boolean = string | number | boolean> {
  type: SettingType;
  default: T;
  description: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  scope?: 'application' | 'machine' | 'window' | 'resource';
}

export const settingsSchema = {
  'defaultEncoder': {
    type: 'string',
    default: DEFAULT_ENCODER,
    description: 'Encoder used when a project names none: "builtin" (offline TF-IDF/LSA), a local model folder, a Hugging Face model id, or an OpenAI-compatible endpoint URL.',
    scope: 'resource',
  },
  'offline': {
    type: 'boolean',
    default: false,
    description: 'Never download models; only use cached or local ones.',
    scope: 'machine',
  },
  'cacheDirectory': {
    type: 'string',
    default: '',
    description: 'Where downloaded models are cached. Empty: the extension\'s global storage.',
    scope: 'machine',
  },
  'annotator': {
    type: 'string',
    default: '',
    description: 'Name recorded with each annotation. Empty: the operating system user name.',
    scope: 'application',
  },
  'annotate.disagreementThreshold': {
    type: 'number',
    default: ANNOTATE_DEFAULTS.disagreementThreshold,
    minimum: 0,
    maximum: 1,
    description: 'The Disagreements queue of Annotate Pairs serves the pairs whose annotators\' scores (0–1) differ by more than this, widest first.',
    scope: 'resource',
  },
  'annotate.showLlmHint': {
    type: 'boolean',
    default: false,
    description: 'Show a language model\'s pre-score of a pair as a hint while annotating. Off by default so that it does not anchor your score; each saved score records whether the hint was shown.',
    scope: 'application',
  },
  'cluster.algorithm': {
    type: 'string',
    default: CLUSTER_DEFAULTS.algorithm,
    enum: ['hdbscan', 'kmeans'],
    description: 'Clustering algorithm for the Cluster command and the map: HDBSCAN on a 5-d UMAP layout (finds the number of clusters, leaves outliers) or k-means on the embeddings.',
    scope: 'resource',
  },
  'cluster.minClusterSize': {
    type: 'number',
    default: CLUSTER_DEFAULTS.minClusterSize,
    minimum: 2,
    description: 'HDBSCAN minimum cluster size.',
    scope: 'resource',
  },
  'cluster.k': {
    type: 'string',
    default: CLUSTER_DEFAULTS.k,
    description: 'k-means: the number of clusters, or "auto" (the k with the best silhouette, 2–20).',
    scope: 'resource',
  },
  'cluster.reassignOutliers': {
    type: 'boolean',
    default: CLUSTER_DEFAULTS.reassignOutliers,
    description: 'HDBSCAN: give each outlier the cluster of the nearest centroid instead of leaving it grey.',
    scope: 'resource',
  },
  'cluster.seed': {
    type: 'number',
    default: DEFAULT_SEED,
    description: 'Seed for UMAP and k-means; the same seed gives the same clusters.',
    scope: 'resource',
  },
  'train.loss': {
    type: 'string',
    default: TRAIN_DEFAULTS.loss,
    enum: ['auto', 'mnr', 'cosent', 'cosine', 'triplet', 'megabatch', 'dec'],
    description: 'Default loss for Fine-tune…. "auto": the loss follows the data (scored pairs: a score-aware loss; labels: MNR on same-label pairs).',
    scope: 'resource',
  },
  'train.batchSize': {
    type: 'number',
    default: TRAIN_DEFAULTS.batchSize,
    minimum: 1,
    description: 'Default batch size for Fine-tune….',
    scope: 'resource',
  },
  'train.epochs': {
    type: 'number',
    default: AUTO_EPOCHS,
    minimum: 0,
    description: `Default number of epochs for Fine-tune…. 0: automatic (with held-out data, up to ${TRAIN_DEFAULTS.maxEpochs} epochs, stopping early when the held-out metric stops improving; without, from the data size).`,
    scope: 'resource',
  },
  'train.mnrMinScore': {
    type: 'number',
    default: TRAIN_DEFAULTS.mnrMinScore,
    minimum: 0,
    maximum: 1,
    description: 'MNR (and MegaBatch) on annotated pairs treat every pair as a match: only the pairs scored at or above this train.',
    scope: 'resource',
  },
  'train.learningRate': {
    type: 'number',
    default: TRAIN_DEFAULTS.fullLearningRate,
    minimum: 0,
    description: 'Default learning rate for full-model fine-tunes.',
    scope: 'resource',
  },
  'train.headLearningRate': {
    type: 'number',
    default: TRAIN_DEFAULTS.headLearningRate,
    minimum: 0,
    description: 'Default learning rate for head-only fine-tunes (a small projection trained from scratch learns faster than a full model).',
    scope: 'resource',
  },
  'train.llmWeakLabels': {
    type: 'boolean',
    default: false,
    description: 'Fine-tune… on annotations also trains on pairs a language model pre-scored and no person scored, as weak labels. Off by default; the run records it, and it is evaluated on human scores only.',
    scope: 'resource',
  },
  'activeLoop.every': {
    type: 'number',
    default: ACTIVE_LOOP_DEFAULTS.every,
    minimum: 0,
    description: 'Active loop: after every this many new annotations, a head-mode run trains in the background on the annotated pairs (minus a fixed held-out part, on which the status bar shows Spearman), and the "Most uncertain" suggestions then prefer the pairs where it and the base encoder disagree or where it is least sure. 0 turns it off.',
    scope: 'resource',
  },
  'python': {
    type: 'string',
    default: '',
    description: 'The Python interpreter of the python training runner (sentence-transformers and torch; see python/requirements.txt). Empty: $EMBEDLAB_PYTHON, else python3 on PATH.',
    scope: 'machine',
  },
  'ray.address': {
    type: 'string',
    default: '',
    description:
      'A Ray cluster for fine-tunes: http://host:8265 submits through its Ray Jobs API (the run survives an editor restart); host:6379, ray://host:10001 or auto run the driver here. When set, Fine-tune… offers the ray runner for full fine-tunes.',
    scope: 'machine',
  },
  'ray.storage': {
    type: 'string',
    default: '',
    description:
      'With a Ray Jobs API address (http://host:8265): a folder this machine and the cluster\'s nodes mount at the same path (NFS…). The job writes its run there and the fine-tuned model is copied into the project at the end. Empty: the model stays on the cluster (the run keeps its curves).',
    scope: 'machine',
  },
  'engine.cancelGraceMs': {
    type: 'number',
    default: 3000,
    minimum: 0,
    description: 'How long a cancelled job may take to stop before the engine process is restarted (ms).',
    scope: 'application',
  },
  'endpoint.url': {
    type: 'string',
    default: '',
    description: 'Default OpenAI-compatible embeddings endpoint (…/v1/embeddings). The API key is kept in VS Code\'s secret storage (command "Set Endpoint API Key"), never in settings.',
    scope: 'machine',
  },
  'llm.endpoint': {
    type: 'string',
    default: LLM_DEFAULTS.endpoint,
    description:
      'OpenAI-compatible chat endpoint for LLM assist (topic names, cluster judgments): e.g. https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM). The API key is kept in VS Code\'s secret storage (command "Set LLM API Key"), never in settings.',
    scope: 'machine',
  },
  'llm.model': {
    type: 'string',
    default: LLM_DEFAULTS.model,
    description: 'Model for LLM assist, e.g. gpt-4o-mini, llama3.1, Qwen/Qwen2.5-7B-Instruct. Empty: the endpoint URL\'s (…#model) or the server\'s default.',
    scope: 'machine',
  },
  'llm.concurrency': {
    type: 'number',
    default: LLM_DEFAULTS.concurrency,
    minimum: 1,
    description: 'LLM assist: requests in flight at most (halved on each HTTP 429, then raised again).',
    scope: 'machine',
  },
} as const satisfies Record<string, SettingInfo>;

export type SettingKey = keyof typeof settingsSchema;
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : never;
export type SettingValues = { -readonly [K in SettingKey]: Widen<(typeof settingsSchema)[K]['default']> };

/** The configuration section: settings are `embeddingLab.<key>`. */
export const CONFIG_SECTION = 'embeddingLab';

/**
 * Reads every setting through `get`, falling back to the default when the value is
 * missing or of the wrong type (or outside an enum / below a minimum).
 */
export function readSettings(get: (key: SettingKey) => unknown): SettingValues {
  const out: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(settingsSchema) as SettingKey[]) {
    const info: SettingInfo = settingsSchema[key];
    const value = get(key);
    let ok = typeof value === info.type;
    if (ok && info.enum && !info.enum.includes(value as string)) ok = false;
    if (ok && typeof value === 'number' && (!Number.isFinite(value) || (info.minimum !== undefined && value < info.minimum))) ok = false;
    out[key] = ok ? (value as string | number | boolean) : info.default;
  }
  return out as SettingValues;
}
