/**
 * Saves a fine-tuned model as a sentence-transformers folder that Python's
 * `SentenceTransformer(path)` and our ONNX encoder both load: config.json, model.safetensors
 * (the base's tensor names: trained weights, and the base's other tensors such as the pooler
 * copied unchanged), the tokenizer files, modules.json, sentence_bert_config.json,
 * 1_Pooling/config.json, Normalize when the model has it, and onnx/model.onnx from our ONNX
 * writer. The folder is written beside the target and swapped in, so a crash never leaves a
 * half-written model in place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import { bertConfigToHf } from '../../onnx/bert-config';
import { bertWeightShapes, canonicalTensorName, type BertWeights } from '../../onnx/bert-weights';
import { readSafetensorsRaw } from '../../onnx/safetensors';
import { writeFileAtomicSync } from '../../util/fs';
import { writeModelFolder } from '../../onnx/model-folder-writer';
import { readJsonObject } from '../../encoders/tokenizer/text-tokenizer';
import type { TrainableFolder } from './model-source';

/** Throws before training when the folder's modules cannot be written back (several pooling modes at once). */
export function checkExportable(folder: TrainableFolder): void {
  if (folder.pooling.modes.length !== 1)
    throw new InputError(`full mode exports one pooling mode; this model concatenates ${folder.pooling.modes.join(' + ')}`, {
      file: path.join(folder.dir, 'modules.json'),
    });
}

/**
 * What the export carries of the base beyond the trained encoder weights: the names of the base's
 * other tensors (the pooler, buffers, heads), copied unchanged with their dtype, or why there are none.
 */
export function untrainedBaseTensors(folder: TrainableFolder): { copied: string[] } | { none: string } {
  if (folder.weightsFrom !== 'safetensors')
    return { none: 'the base is an ONNX export: it holds only the encoder weights (no pooler or other tensors to copy)' };
  const shapes = bertWeightShapes(folder.config);
  const copied = [...readSafetensorsRaw(folder.weightsFile).keys()].filter((n) => !shapes.has(canonicalTensorName(n)));
  return copied.length ? { copied } : { none: 'the base model.safetensors holds only the encoder weights' };
}

/**
 * Writes the model folder to `target` (replacing what is there). Its model.safetensors has the
 * tensor names of the base's: the trained weights, and the base's other tensors copied unchanged.
 */
export function exportSentenceModel(target: string, folder: TrainableFolder, weights: BertWeights): void {
  checkExportable(folder);
  const next = `${target}.next-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  fs.rmSync(next, { recursive: true, force: true });
  writeModelFolder(next, {
    config: folder.config,
    weights,
    tokenizerJsonPath: path.join(folder.dir, 'tokenizer.json'),
    pooling: folder.pooling.modes[0],
    includePrompt: folder.pooling.includePrompt,
    normalize: folder.normalize,
    maxSeqLength: folder.maxSeqLength,
    layout: 'classic',
    prompts: folder.prompts,
    graph: { tokenTypeIds: folder.config.modelType === 'bert' },
    baseTensors: folder.weightsFrom === 'safetensors' ? readSafetensorsRaw(folder.weightsFile) : undefined,
  });
  // Keep the base config's other fields (dropout, model_type such as camembert, token ids).
  const base = readJsonObject(path.join(folder.dir, 'config.json'));
  const merged: Record<string, unknown> = { ...base, ...bertConfigToHf(folder.config), model_type: base.model_type ?? folder.config.modelType };
  for (const k of ['hidden_dropout_prob', 'attention_probs_dropout_prob'] as const) if (k in base) merged[k] = base[k];
  delete merged._name_or_path;
  writeFileAtomicSync(path.join(next, 'config.json'), JSON.stringify(merged, null, 2) + '\n');

  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(next, target);
  fs.rmSync(old, { recursive: true, force: true });
}
