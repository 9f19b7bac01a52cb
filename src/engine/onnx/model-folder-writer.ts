import * as fs from 'node:fs';
import * as path from 'node:path';
import { bertConfigToHf, type BertConfig } from './bert-config';
import type { BertWeights } from './bert-weights';
import { bertWeightShapes, canonicalTensorName } from './bert-weights';
import { writeBertOnnx, type BertGraphOptions } from './bert-graph';
import { writeSafetensors, type RawSafeTensor } from './safetensors';
import { writeFileAtomicSync } from '../util/fs';

export type PoolingModeName = 'mean' | 'cls' | 'max' | 'lasttoken' | 'mean_sqrt_len_tokens';

export interface WriteModelFolderOptions {
  config: BertConfig;
  weights: BertWeights;
  /** A Hugging Face `tokenizer.json`; `tokenizer_config.json` and `special_tokens_map.json` next to it are copied too. */
  tokenizerJsonPath: string;
  pooling?: PoolingModeName;
  /** Leave the prompt's tokens out of the pooling (sentence-transformers `include_prompt: false`). */
  includePrompt?: boolean;
  normalize?: boolean;
  maxSeqLength?: number;
  /** 'classic': the Hub layout (sentence_bert_config.json max_seq_length, boolean pooling flags, no 2_Normalize folder).
   *  'st6': what sentence-transformers 6 `save()` writes (pooling_mode string, max length in tokenizer_config.json). */
  layout?: 'classic' | 'st6';
  /** Also write `model.safetensors` so that transformers / sentence-transformers can load the folder (default true). */
  safetensors?: boolean;
  /** Prefixes by role, written to config_sentence_transformers.json `prompts`. */
  prompts?: { query?: string; passage?: string };
  graph?: BertGraphOptions;
  /**
   * The base model's tensors as stored (`readSafetensorsRaw`): model.safetensors then has exactly
   * their names. A tensor the encoder uses (under its prefixed or old name too) gets the values of
   * `weights`; the others (the pooler, position_ids buffers, heads) are copied unchanged.
   */
  baseTensors?: Map<string, RawSafeTensor>;
}

/**
 * Writes a complete sentence-transformers model folder: config.json, tokenizer files, modules.json,
 * sentence_bert_config.json, 1_Pooling/config.json, the Normalize module, onnx/model.onnx (our graph)
 * and model.safetensors. Each file is written atomically. Returns the ONNX path.
 */
export function writeModelFolder(dir: string, o: WriteModelFolderOptions): string {
  const layout = o.layout ?? 'classic';
  const pooling = o.pooling ?? 'mean';
  const normalize = o.normalize ?? true;
  const maxSeqLength = o.maxSeqLength ?? Math.min(512, o.config.maxPositionEmbeddings - (o.config.modelType === 'roberta' ? 2 : 0));
  const h = o.config.hiddenSize;
  const json = (rel: string, value: unknown): void => writeFileAtomicSync(path.join(dir, rel), JSON.stringify(value, null, 2) + '\n');
  fs.mkdirSync(dir, { recursive: true });

  json('config.json', bertConfigToHf(o.config));

  const tokDir = path.dirname(o.tokenizerJsonPath);
  writeFileAtomicSync(path.join(dir, 'tokenizer.json'), [fs.readFileSync(o.tokenizerJsonPath)]);
  const tokConfigPath = path.join(tokDir, 'tokenizer_config.json');
  const tokConfig: Record<string, unknown> = fs.existsSync(tokConfigPath) ? JSON.parse(fs.readFileSync(tokConfigPath, 'utf8')) : {};
  if (layout === 'st6') tokConfig.model_max_length = maxSeqLength;
  json('tokenizer_config.json', tokConfig);
  const mapPath = path.join(tokDir, 'special_tokens_map.json');
  if (layout === 'classic' && fs.existsSync(mapPath)) writeFileAtomicSync(path.join(dir, 'special_tokens_map.json'), [fs.readFileSync(mapPath)]);

  const modules: { idx: number; name: string; path: string; type: string }[] = [];
  if (layout === 'classic') {
    modules.push({ idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' });
    modules.push({ idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' });
    if (normalize) modules.push({ idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' });
    json('sentence_bert_config.json', { max_seq_length: maxSeqLength, do_lower_case: false });
    json('1_Pooling/config.json', {
      word_embedding_dimension: h,
      pooling_mode_cls_token: pooling === 'cls',
      pooling_mode_mean_tokens: pooling === 'mean',
      pooling_mode_max_tokens: pooling === 'max',
      pooling_mode_mean_sqrt_len_tokens: pooling === 'mean_sqrt_len_tokens',
      pooling_mode_weightedmean_tokens: false,
      pooling_mode_lasttoken: pooling === 'lasttoken',
      include_prompt: o.includePrompt ?? true,
    });
  } else {
    modules.push({ idx: 0, name: '0', path: '', type: 'sentence_transformers.base.modules.transformer.Transformer' });
    modules.push({ idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.sentence_transformer.modules.pooling.Pooling' });
    if (normalize) {
      modules.push({ idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.base.modules.normalize.Normalize' });
      json('2_Normalize/config.json', { module_input_name: 'sentence_embedding', module_output_name: 'sentence_embedding' });
    }
    json('sentence_bert_config.json', {
      transformer_task: 'feature-extraction',
      modality_config: { text: { method: 'forward', method_output_name: 'last_hidden_state' } },
      module_output_name: 'token_embeddings',
    });
    json('1_Pooling/config.json', { embedding_dimension: h, pooling_mode: pooling, include_prompt: o.includePrompt ?? true });
  }
  json('modules.json', modules);
  json('config_sentence_transformers.json', {
    __version__: { sentence_transformers: layout === 'st6' ? '6.0.1' : '2.2.2', embedding_lab: '0.1.0' },
    prompts: { query: o.prompts?.query ?? '', document: o.prompts?.passage ?? '' },
    default_prompt_name: null,
    similarity_fn_name: 'cosine',
  });

  if (o.safetensors ?? true) writeSafetensors(path.join(dir, 'model.safetensors'), modelTensors(o.config, o.weights, o.baseTensors));
  const onnxFile = path.join(dir, 'onnx', 'model.onnx');
  writeBertOnnx(o.config, o.weights, onnxFile, o.graph);
  return onnxFile;
}

/** The tensors of model.safetensors: the encoder's weights, under the base file's names when there is one, plus its other tensors unchanged. */
function modelTensors(
  config: BertConfig,
  weights: BertWeights,
  base: Map<string, RawSafeTensor> | undefined,
): Map<string, { shape: number[]; data: Float32Array } | RawSafeTensor> {
  const shapes = bertWeightShapes(config);
  const out = new Map<string, { shape: number[]; data: Float32Array } | RawSafeTensor>();
  const written = new Set<string>();
  for (const [name, t] of base ?? []) {
    const canonical = canonicalTensorName(name);
    const shape = shapes.get(canonical);
    if (shape && !written.has(canonical)) {
      out.set(name, { shape, data: weights.get(canonical)! });
      written.add(canonical);
    } else out.set(name, t);
  }
  for (const [name, shape] of shapes) if (!written.has(name)) out.set(name, { shape, data: weights.get(name)! });
  return out;
}
