import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import { readJsonObject } from '../tokenizer/text-tokenizer';
import { findKnownModel } from './known-models';

/** Pooling modes of sentence-transformers' Pooling module that we implement. */
export type PoolingMode = 'cls' | 'max' | 'mean' | 'mean_sqrt_len_tokens' | 'lasttoken';

/** Pooling as configured by `1_Pooling/config.json`; several modes are concatenated in this order. */
export interface PoolingConfig {
  modes: PoolingMode[];
  /** When false, the prompt's tokens (e.g. "query: ") are left out of the pooling. */
  includePrompt: boolean;
}

export type FolderLayout = 'classic' | 'st6' | 'transformers';

/** Everything needed to run a sentence-transformers model folder with ONNX Runtime. */
export interface ModelFolder {
  dir: string;
  /** A readable name: the registry id when known, else the folder name. */
  name: string;
  layout: FolderLayout;
  /** The ONNX file that will run. */
  onnxFile: string;
  /** `hidden_size` from config.json (undefined when config.json lacks it). */
  hiddenSize?: number;
  modelType?: string;
  /** Tokens per text, special tokens included; longer texts are truncated. */
  maxSeqLength: number;
  pooling: PoolingConfig;
  normalize: boolean;
  /** Prefixes by role, from config_sentence_transformers.json `prompts`, else the registry (e5's "query: "/"passage: "). */
  prompts: { query?: string; passage?: string };
}

export interface ReadModelFolderOptions {
  /**
   * Which ONNX file: undefined for `onnx/model.onnx` then `model.onnx`; a variant name such as
   * "qint8_avx512" for `onnx/model_qint8_avx512.onnx`; or a relative path such as "onnx/model_O4.onnx".
   */
  variant?: string;
  /** Use this ONNX file instead of looking in the folder (e.g. one converted from model.safetensors). */
  onnxFile?: string;
}

const POOLING_ORDER: PoolingMode[] = ['cls', 'max', 'mean', 'mean_sqrt_len_tokens', 'lasttoken'];
const CLASSIC_POOLING_KEYS: Record<string, PoolingMode | 'weightedmean'> = {
  pooling_mode_cls_token: 'cls',
  pooling_mode_max_tokens: 'max',
  pooling_mode_mean_tokens: 'mean',
  pooling_mode_mean_sqrt_len_tokens: 'mean_sqrt_len_tokens',
  pooling_mode_weightedmean_tokens: 'weightedmean',
  pooling_mode_lasttoken: 'lasttoken',
};

interface ModuleEntry {
  type: string;
  path: string;
}

/**
 * Reads a model folder in either sentence-transformers layout (the classic Hub one, or the one
 * sentence-transformers 6 writes) or a bare transformers folder (mean pooling, as sentence-transformers
 * assumes). Throws `InputError` naming the file for anything missing or malformed.
 */
export function readModelFolder(dir: string, options: ReadModelFolderOptions = {}): ModelFolder {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InputError('not a model folder', { file: dir });
  const configFile = path.join(dir, 'config.json');
  const config = fs.existsSync(configFile) ? readJsonObject(configFile) : {};
  const hiddenSize = typeof config.hidden_size === 'number' ? config.hidden_size : undefined;

  const modulesFile = path.join(dir, 'modules.json');
  const modules = fs.existsSync(modulesFile) ? readModules(modulesFile) : undefined;
  const st6 = modules?.some((m) => m.type.startsWith('sentence_transformers.base.') || m.type.includes('.modules.')) ?? false;

  let pooling: PoolingConfig = { modes: ['mean'], includePrompt: true };
  let normalize = false;
  for (const m of modules ?? []) {
    const kind = m.type.split('.').pop()!;
    if (kind === 'Transformer' || kind === 'StaticEmbedding') continue;
    if (kind === 'Pooling') pooling = readPooling(path.join(dir, m.path, 'config.json'), hiddenSize);
    else if (kind === 'Normalize') normalize = true; // the folder may not exist: Normalize has no config
    else {
      throw new InputError(`unsupported module "${m.type}" (supported: Transformer, Pooling, Normalize)`, { file: modulesFile });
    }
  }

  const tokenizerConfigFile = path.join(dir, 'tokenizer_config.json');
  const tokenizerConfig = fs.existsSync(tokenizerConfigFile) ? readJsonObject(tokenizerConfigFile) : {};
  const maxSeqLength = readMaxSeqLength(dir, config, tokenizerConfig);

  const known =
    findKnownModel(dir) ?? (typeof config._name_or_path === 'string' ? findKnownModel(config._name_or_path) : undefined);
  const prompts = readPrompts(dir) ?? { ...(known?.prefixes ?? {}) };

  return {
    dir,
    name: known?.id ?? path.basename(path.resolve(dir)),
    layout: modules ? (st6 ? 'st6' : 'classic') : 'transformers',
    onnxFile: options.onnxFile ?? findOnnxFile(dir, options.variant),
    hiddenSize,
    modelType: typeof config.model_type === 'string' ? config.model_type : undefined,
    maxSeqLength,
    pooling,
    normalize,
    prompts,
  };
}

function readModules(file: string): ModuleEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`invalid JSON: ${(err as Error).message}`, { file });
  }
  if (!Array.isArray(raw)) throw new InputError('expected a list of modules', { file });
  return raw.map((m, i) => {
    const e = m as { type?: unknown; path?: unknown };
    if (typeof e.type !== 'string') throw new InputError('module without a "type"', { file, field: `[${i}].type` });
    return { type: e.type, path: typeof e.path === 'string' ? e.path : '' };
  });
}

function readPooling(file: string, hiddenSize: number | undefined): PoolingConfig {
  if (!fs.existsSync(file)) throw new InputError('missing file: modules.json names a Pooling module', { file });
  const c = readJsonObject(file);
  const modes = new Set<PoolingMode>();
  if (typeof c.pooling_mode === 'string') {
    const m = c.pooling_mode === 'mean_sqrt_len' ? 'mean_sqrt_len_tokens' : c.pooling_mode;
    if (!(POOLING_ORDER as string[]).includes(m)) {
      throw new InputError(`unsupported pooling mode "${c.pooling_mode}"`, { file, field: 'pooling_mode' });
    }
    modes.add(m as PoolingMode);
  } else if (Array.isArray(c.pooling_mode)) {
    for (const m of c.pooling_mode) {
      if (!(POOLING_ORDER as unknown[]).includes(m)) throw new InputError(`unsupported pooling mode "${String(m)}"`, { file, field: 'pooling_mode' });
      modes.add(m as PoolingMode);
    }
  } else {
    for (const [key, mode] of Object.entries(CLASSIC_POOLING_KEYS)) {
      if (c[key] !== true) continue;
      if (mode === 'weightedmean') throw new InputError('unsupported pooling mode "weightedmean"', { file, field: key });
      modes.add(mode);
    }
  }
  if (modes.size === 0) throw new InputError('no pooling mode is enabled', { file });
  const dim = c.embedding_dimension ?? c.word_embedding_dimension;
  if (typeof dim === 'number' && hiddenSize !== undefined && dim !== hiddenSize) {
    throw new InputError(`the pooling dimension ${dim} does not match config.json hidden_size ${hiddenSize}`, {
      file,
      field: c.embedding_dimension !== undefined ? 'embedding_dimension' : 'word_embedding_dimension',
    });
  }
  return { modes: POOLING_ORDER.filter((m) => modes.has(m)), includePrompt: c.include_prompt !== false };
}

const HUGE = 1e12;

function readMaxSeqLength(dir: string, config: Record<string, unknown>, tokenizerConfig: Record<string, unknown>): number {
  const sbFile = path.join(dir, 'sentence_bert_config.json');
  let max: number | undefined;
  if (fs.existsSync(sbFile)) {
    const sb = readJsonObject(sbFile);
    if (typeof sb.max_seq_length === 'number') max = sb.max_seq_length;
  }
  if (max === undefined && typeof tokenizerConfig.model_max_length === 'number' && tokenizerConfig.model_max_length < HUGE) {
    max = tokenizerConfig.model_max_length;
  }
  // as sentence-transformers: never more than the position table allows
  const positions = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : undefined;
  if (positions !== undefined) {
    const usable = config.model_type && /roberta|camembert/.test(String(config.model_type)) ? positions - 2 : positions;
    max = max === undefined ? usable : Math.min(max, usable);
  }
  return max ?? 512;
}

function readPrompts(dir: string): { query?: string; passage?: string } | undefined {
  const file = path.join(dir, 'config_sentence_transformers.json');
  if (!fs.existsSync(file)) return undefined;
  const c = readJsonObject(file);
  const p = c.prompts as Record<string, unknown> | undefined;
  if (!p || typeof p !== 'object') return undefined;
  const pick = (...keys: string[]): string | undefined => {
    for (const k of keys) if (typeof p[k] === 'string' && p[k] !== '') return p[k] as string;
    return undefined;
  };
  const out = { query: pick('query'), passage: pick('passage', 'document', 'corpus') };
  return out.query === undefined && out.passage === undefined ? undefined : out;
}

/** The ONNX file of a folder, honouring a variant. Throws `InputError` listing where it looked. */
export function findOnnxFile(dir: string, variant?: string): string {
  const candidates: string[] = [];
  if (variant) {
    if (variant.endsWith('.onnx')) candidates.push(path.join(dir, variant));
    else candidates.push(path.join(dir, 'onnx', `model_${variant}.onnx`), path.join(dir, `model_${variant}.onnx`));
  } else {
    candidates.push(path.join(dir, 'onnx', 'model.onnx'), path.join(dir, 'model.onnx'));
  }
  const found = candidates.find((f) => fs.existsSync(f));
  if (found) return found;
  const available = listOnnxFiles(dir);
  const hint = available.length
    ? ` Available: ${available.join(', ')}.`
    : ' Export one with `optimum-cli export onnx --model <id> <dir>` or sentence-transformers `SentenceTransformer(id, backend="onnx").save(dir)`.';
  throw new InputError(`missing file: no ONNX model (looked for ${candidates.map((c) => path.relative(dir, c)).join(', ')}).${hint}`, {
    file: candidates[0],
  });
}

/** Relative paths of the .onnx files in `dir` and `dir/onnx`. */
export function listOnnxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const sub of ['', 'onnx']) {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d)) if (f.endsWith('.onnx')) out.push(path.join(sub, f));
  }
  return out.sort();
}
