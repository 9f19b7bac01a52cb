import { HubError } from './hub-errors';
import type { HubFile } from './hub-api';

/** Tokenizer and config files a sentence-transformers ONNX encoder reads, when present at the root. */
const ROOT_FILES = new Set([
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'vocab.txt',
  'vocab.json',
  'merges.txt',
  'sentencepiece.bpe.model',
  'spiece.model',
  'modules.json',
  'sentence_bert_config.json',
  'config_sentence_transformers.json',
]);

/** Default ONNX files, in order of preference. */
const DEFAULT_ONNX = ['onnx/model.onnx', 'model.onnx'];

/** Module folders such as `1_Pooling/config.json`, `2_Normalize/config.json`, `2_Dense/config.json`. */
const MODULE_CONFIG = /^\d+_[A-Za-z]+\/config\.json$/;

export interface FileSelection {
  /** The files to download (configs, tokenizer, the chosen ONNX file and its external data). */
  files: HubFile[];
  onnxFile: string;
}

/**
 * Picks the files an ONNX encoder needs and skips the other weights (safetensors, bin,
 * other ONNX variants, OpenVINO). Throws when the model has no ONNX export or lacks the named one.
 */
export function selectModelFiles(repoId: string, all: readonly HubFile[], onnxFile?: string): FileSelection {
  const byPath = new Map(all.map((f) => [f.path, f]));
  const onnxFiles = all.filter((f) => f.path.endsWith('.onnx')).map((f) => f.path);
  let chosen = onnxFile;
  if (chosen) {
    if (!byPath.has(chosen)) {
      throw new HubError(`${repoId}: has no file "${chosen}". Its ONNX files: ${onnxFiles.join(', ') || 'none'}`, 404);
    }
  } else {
    chosen = DEFAULT_ONNX.find((p) => byPath.has(p));
    if (!chosen) {
      throw new HubError(
        onnxFiles.length
          ? `${repoId}: no onnx/model.onnx; choose one of: ${onnxFiles.join(', ')} (--onnx-file, or <id>#<file> in --encoder)`
          : `${repoId}: has no ONNX export. Export one with \`optimum-cli export onnx --model ${repoId} <dir>\` or sentence-transformers backend="onnx", and use the folder`,
      );
    }
  }
  // External weights of a large graph: model.onnx_data / model.onnx.data, possibly model.onnx_data_1 …
  const external = all.filter((f) => f.path.startsWith(`${chosen}_data`) || f.path.startsWith(`${chosen}.data`));
  const files = all.filter((f) => (!f.path.includes('/') && ROOT_FILES.has(f.path)) || MODULE_CONFIG.test(f.path));
  files.push(byPath.get(chosen)!, ...external);
  return { files, onnxFile: chosen };
}
