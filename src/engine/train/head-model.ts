/**
 * A trained head as saved in a run's model/ folder: model.json (base encoder spec, head
 * shape) and head.safetensors (the weights). Loading it back gives an Encoder: the base
 * encoder's embeddings, L2-normalised, through the head.
 */
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { Encoder } from '../encoders/encoder';
import type { HeadConfig, HeadWeights } from './heads/index';
import { applyHead } from './heads/index';
import { readJson, writeJsonAtomic } from '../util/fs';
import { readTensors, writeTensors } from './tensor-file';
import { normalizeRows } from '../util/matrix';
import { InputError } from '../util/errors';

export interface HeadModelInfo {
  format: 'embedlab-head';
  schemaVersion: 1;
  /** The base encoder spec, as given to resolveEncoder. */
  baseEncoder: string;
  /** The base encoder's id when trained (its weights' identity). */
  baseEncoderId: string;
  /** The base embeddings are L2-normalised before the head. */
  normalizeInput: boolean;
  head: HeadConfig;
  weights: string;
  run?: string;
  step?: number;
}

export async function saveHeadModel(modelDir: string, info: Omit<HeadModelInfo, 'format' | 'schemaVersion' | 'weights'>, weights: HeadWeights): Promise<void> {
  const head: HeadWeights = {};
  for (const [k, v] of Object.entries(weights)) if (!k.startsWith('dec.')) head[k] = v;
  await writeTensors(path.join(modelDir, 'head.safetensors'), head, { format: 'embedlab-head', kind: info.head.kind });
  const full: HeadModelInfo = { format: 'embedlab-head', schemaVersion: 1, ...info, weights: 'head.safetensors' };
  await writeJsonAtomic(path.join(modelDir, 'model.json'), full);
}

export async function loadHeadModel(modelDir: string): Promise<{ info: HeadModelInfo; weights: HeadWeights }> {
  const file = path.join(modelDir, 'model.json');
  const info = await readJson<HeadModelInfo>(file);
  if (!info) throw new InputError('no model.json: not a trained run model', { file });
  if (info.format !== 'embedlab-head') throw new InputError(`unknown model format "${String(info.format)}"`, { file, field: 'format' });
  const weights = await readTensors(path.join(modelDir, info.weights));
  return { info, weights };
}

/** Wraps a base encoder with a trained head. Disposing it disposes the base encoder. */
export function headEncoder(base: Encoder, info: HeadModelInfo, weights: HeadWeights, label: string): Encoder {
  const hash = createHash('sha256');
  for (const k of Object.keys(weights).sort()) hash.update(k).update(Buffer.from(weights[k].data.buffer, weights[k].data.byteOffset, weights[k].data.byteLength));
  const id = `run:${label}@${hash.digest('hex').slice(0, 12)}+${base.id}`;
  return {
    id,
    dimension: info.head.outputDim,
    normalized: true,
    async encode(texts, options) {
      const x = await base.encode(texts, options);
      if (info.normalizeInput) normalizeRows(x);
      return applyHead(x, info.head, weights);
    },
    dispose: () => base.dispose(),
  };
}

/** Encoders fitted on the corpus they are given (the built-in TF-IDF/LSA one). */
export function isCorpusFitted(spec: string): boolean {
  return spec === 'builtin' || spec.startsWith('builtin:') || spec.startsWith('builtin?');
}
