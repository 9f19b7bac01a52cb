/**
 * The model a full-mode run starts from: a BERT-family model folder (given as a path, a Hub id
 * downloaded to the shared cache, or an earlier full-mode run), its shape from config.json,
 * the sentence-transformers modules (pooling, Normalize, max_seq_length) and its weights from
 * `model.safetensors`, else from the initializers of its ONNX export.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import type { EncoderContext } from '../../encoders/provider';
import { defaultCacheDir } from '../../encoders/cache-dir';
import { readJsonObject } from '../../encoders/tokenizer/text-tokenizer';
import { findOnnxFile, listOnnxFiles, readModelFolder, type PoolingConfig } from '../../encoders/onnx/model-folder';
import { bertConfigFromHf, type BertConfig } from '../../onnx/bert-config';
import { bertWeightsFromTensors, type BertWeights } from '../../onnx/bert-weights';
import { bertWeightsFromOnnx } from '../../onnx/bert-onnx-weights';
import { readSafetensors } from '../../onnx/safetensors';
import { locateRun } from '../runs';
import type { DropoutRates } from './bert-model';

/** config.json model types whose architecture the tfjs BERT implements. */
export const TRAINABLE_MODEL_TYPES = ['bert', 'roberta', 'camembert', 'xlm-roberta'] as const;

export interface TrainableFolder {
  dir: string;
  config: BertConfig;
  /** config.json's model_type as written (camembert, xlm-roberta, …). */
  modelType: string;
  dropout: DropoutRates;
  pooling: PoolingConfig;
  normalize: boolean;
  maxSeqLength: number;
  prompts: { query?: string; passage?: string };
  /** Where the weights come from: model.safetensors, else the ONNX file. */
  weightsFile: string;
  weightsFrom: 'safetensors' | 'onnx';
}

/** Reads a model folder for full fine-tuning; throws `InputError` naming the file for anything it cannot train. */
export function readTrainableFolder(dir: string): TrainableFolder {
  const configFile = path.join(dir, 'config.json');
  if (!fs.existsSync(configFile)) throw new InputError('missing file: full mode needs the model folder\'s config.json', { file: configFile });
  const hf = readJsonObject(configFile);
  const modelType = String(hf.model_type ?? '');
  if (!(TRAINABLE_MODEL_TYPES as readonly string[]).includes(modelType))
    throw new InputError(`full mode trains ${TRAINABLE_MODEL_TYPES.join(', ')} models, not "${modelType || '(none)'}"`, {
      file: configFile,
      field: 'model_type',
    });
  if (hf.position_embedding_type !== undefined && hf.position_embedding_type !== 'absolute')
    throw new InputError(`only absolute position embeddings are supported, not "${String(hf.position_embedding_type)}"`, {
      file: configFile,
      field: 'position_embedding_type',
    });
  const config = bertConfigFromHf(hf, configFile);
  const prob = (key: string): number => {
    const v = hf[key];
    if (v === undefined) return 0.1;
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new InputError(`expected a probability in [0, 1), got ${JSON.stringify(v)}`, { file: configFile, field: key });
    return v;
  };
  const dropout: DropoutRates = { hidden: prob('hidden_dropout_prob'), attention: prob('attention_probs_dropout_prob') };

  const safetensors = path.join(dir, 'model.safetensors');
  let weightsFile: string;
  let weightsFrom: TrainableFolder['weightsFrom'];
  if (fs.existsSync(safetensors)) {
    weightsFile = safetensors;
    weightsFrom = 'safetensors';
  } else {
    const onnx = listOnnxFiles(dir).length ? findOnnxFile(dir) : undefined;
    if (!onnx)
      throw new InputError('no weights: full mode needs model.safetensors or an ONNX export (onnx/model.onnx or model.onnx)', { file: safetensors });
    weightsFile = onnx;
    weightsFrom = 'onnx';
  }
  // The modules (pooling, Normalize, max length) as the ONNX encoder reads them.
  const folder = readModelFolder(dir, { onnxFile: weightsFile });
  return {
    dir,
    config,
    modelType,
    dropout,
    pooling: folder.pooling,
    normalize: folder.normalize,
    maxSeqLength: Math.min(folder.maxSeqLength, config.maxPositionEmbeddings - (config.modelType === 'roberta' ? config.padTokenId + 1 : 0)),
    prompts: folder.prompts,
    weightsFile,
    weightsFrom,
  };
}

/** The folder's weights in the Hugging Face layout. */
export function loadFolderWeights(folder: TrainableFolder): BertWeights {
  if (folder.weightsFrom === 'safetensors') return bertWeightsFromTensors(folder.config, readSafetensors(folder.weightsFile), folder.weightsFile);
  return bertWeightsFromOnnx(folder.config, folder.weightsFile);
}

/**
 * The model folder an encoder spec names, for full mode: a folder path, a full-mode run
 * ("run:<id>" or its folder → its model/), or a Hub id (downloaded to the shared cache).
 */
export async function locateTrainableFolder(spec: string | undefined, context: EncoderContext): Promise<string> {
  if (!spec || spec === 'builtin' || spec.startsWith('builtin:') || spec.startsWith('builtin?'))
    throw new InputError('full mode trains a BERT-family model: give its folder, Hub id or full-mode run with --encoder (the built-in encoder trains in head mode)', {
      field: 'encoder',
    });
  const s = spec.trim();
  if (/^https?:\/\//.test(s)) throw new InputError('an embeddings endpoint cannot be fine-tuned in full mode; use --mode head', { field: 'encoder' });
  const run = await locateRun(s, context.projectDir, path.join('model', 'config.json'));
  if (run) return path.join(run, 'model');
  if (s.startsWith('run:') || (await locateRun(s, context.projectDir))) {
    throw new InputError(`"${spec}" is not a full-mode run (a head-mode run is a head on another encoder; fine-tune that encoder instead)`, {
      field: 'encoder',
    });
  }
  if (fs.existsSync(s) && fs.statSync(s).isDirectory()) return path.resolve(s);
  const { looksLikeHubSpec, parseHubSpec } = await import('../../encoders/hub/hub-spec');
  if (looksLikeHubSpec(s)) {
    const { downloadModel } = await import('../../encoders/hub/download-model');
    const ref = parseHubSpec(s);
    const model = await downloadModel(ref.repoId, {
      revision: ref.revision,
      cacheDir: context.cacheDir ?? defaultCacheDir(),
      token: context.hfToken,
      offline: context.offline,
      signal: context.signal,
      onProgress: context.onProgress,
    });
    return model.dir;
  }
  throw new InputError(`full mode trains a BERT-family model: "${spec}" is not a model folder, a Hub id or a full-mode run`, { field: 'encoder' });
}
