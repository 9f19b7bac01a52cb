/**
 * Readable names for run config keys ("Learning rate", not "lr") and readable values
 * ("CoSENT", not "cosent"), for the config diff, exports and default run names. Flattened
 * keys ("head.kind", "train.fields.text") are read part by part. Pure.
 */

const KEY_LABELS: Readonly<Record<string, string>> = {
  loss: 'Loss',
  lossOptions: 'Loss option',
  mode: 'Training mode',
  runner: 'Runner',
  encoder: 'Base encoder',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  lr: 'Learning rate',
  learningRate: 'Learning rate',
  warmupRatio: 'Warm-up share',
  weightDecay: 'Weight decay',
  seed: 'Seed',
  evalFraction: 'Held-out share',
  evalEvery: 'Evaluate every (steps)',
  checkpointEvery: 'Checkpoint every (steps)',
  maxSteps: 'Step limit',
  trainLimit: 'Training examples limit',
  miniBatch: 'Mini-batch (gradient cache)',
  dropout: 'Dropout',
  backend: 'Backend',
  head: 'Head',
  kind: 'kind',
  hidden: 'hidden size',
  train: 'Training data',
  eval: 'Held-out data',
  file: 'file',
  fields: 'fields',
  margin: 'margin',
  scale: 'scale',
  threshold: 'threshold',
  temperature: 'temperature',
  sweep: 'Sweep',
  activeLoop: 'Active loop',
  heldOutPercent: 'held-out %',
};

const LOSS_LABELS: Readonly<Record<string, string>> = {
  mnr: 'MNR',
  cosent: 'CoSENT',
  cosine: 'Cosine',
  triplet: 'Triplet',
  megabatch: 'MegaBatch',
  dec: 'DEC',
};

function words(part: string): string {
  const known = KEY_LABELS[part];
  if (known) return known;
  const spaced = part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return spaced;
}

/** "Learning rate", "Head › kind", "Training data › fields › text". */
export function configLabel(key: string): string {
  const parts = key.split('.');
  const out = parts.map(words);
  out[0] = out[0].charAt(0).toUpperCase() + out[0].slice(1);
  return out.join(' › ');
}

/** "CoSENT" for a loss key; other names unchanged. */
export function lossLabel(loss: string): string {
  return LOSS_LABELS[loss] ?? loss;
}

/** A compact number: 0.001 → "1e-3", 0.00002 → "2e-5", 16 → "16", 0.1 → "0.1". */
export function compactNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n !== 0 && Math.abs(n) < 0.01) {
    const [mant, exp] = n.toExponential().split('e');
    return `${Number(Number(mant).toPrecision(3))}e${Number(exp)}`;
  }
  return String(Number(n.toPrecision(6)));
}

/** A config value for display: losses by their names, small numbers compact, booleans as yes/no. */
export function configValue(key: string, value: string | number | boolean | null | undefined): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return compactNumber(value);
  if (key === 'loss') return lossLabel(value);
  return value;
}
