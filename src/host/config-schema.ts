/**
 * The extension's settings (`embeddingLab.*`): names, types, defaults and descriptions
 * in one place; the defaults come from engine/defaults.ts (shared with the CLI and the jobs). Pure data: `config.ts` reads them through VS Code, the manifest sync
 * script writes `contributes.configuration` from them, and the tests compare both.
 */
import { ACTIVE_LOOP_DEFAULTS, CLUSTER_DEFAULTS, DEFAULT_ENCODER, DEFAULT_SEED, TRAIN_DEFAULTS } from '../engine/defaults';

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
    enum: ['mnr', 'cosent', 'cosine', 'triplet', 'megabatch', 'dec'],
    description: 'Default loss for Fine-tune… (MNR: multiple negatives ranking).',
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
    default: TRAIN_DEFAULTS.epochs,
    minimum: 1,
    description: 'Default number of epochs for Fine-tune….',
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
