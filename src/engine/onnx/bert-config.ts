import { InputError } from '../util/errors';

/**
 * The shape of a BERT-family encoder (BERT, MiniLM, RoBERTa, CamemBERT, XLM-R): the fields of a
 * Hugging Face `config.json` that the graph needs, in camelCase.
 */
export interface BertConfig {
  /** 'bert' uses positions 0…n-1; 'roberta' (also camembert, xlm-roberta) counts positions from padding_idx+1 over non-pad tokens. */
  modelType: 'bert' | 'roberta';
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  layerNormEps: number;
  /** The padding id in the vocabulary (RoBERTa position ids depend on it). */
  padTokenId: number;
  /** Only the exact (erf) GELU is supported, as in BERT/RoBERTa ("gelu"). */
  hiddenAct: 'gelu';
}

/** The MiniLM-L6 shape (all-MiniLM-L6-v2): 6 layers, 384 hidden, 12 heads, FFN 1536, vocab 30522. */
export const MINILM_L6_CONFIG: BertConfig = {
  modelType: 'bert',
  vocabSize: 30522,
  hiddenSize: 384,
  numHiddenLayers: 6,
  numAttentionHeads: 12,
  intermediateSize: 1536,
  maxPositionEmbeddings: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  padTokenId: 0,
  hiddenAct: 'gelu',
};

/** Fills the usual defaults around the given fields (BERT-base-like defaults, as transformers' BertConfig). */
export function bertConfig(partial: Partial<BertConfig> & Pick<BertConfig, 'vocabSize' | 'hiddenSize'>): BertConfig {
  const c: BertConfig = {
    modelType: 'bert',
    numHiddenLayers: 2,
    numAttentionHeads: Math.max(1, Math.floor(partial.hiddenSize / 64)),
    intermediateSize: partial.hiddenSize * 4,
    maxPositionEmbeddings: 512,
    typeVocabSize: partial.modelType === 'roberta' ? 1 : 2,
    layerNormEps: partial.modelType === 'roberta' ? 1e-5 : 1e-12,
    padTokenId: partial.modelType === 'roberta' ? 1 : 0,
    hiddenAct: 'gelu',
    ...partial,
  };
  validateBertConfig(c);
  return c;
}

export function validateBertConfig(c: BertConfig, file?: string): void {
  if (c.hiddenSize % c.numAttentionHeads !== 0) {
    throw new InputError(`hidden_size ${c.hiddenSize} is not a multiple of num_attention_heads ${c.numAttentionHeads}`, {
      file,
      field: 'hidden_size',
    });
  }
  for (const [k, v] of Object.entries(c)) {
    if (typeof v === 'number' && !(Number.isFinite(v) && v >= 0)) throw new InputError(`invalid value ${v}`, { file, field: k });
  }
}

const ROBERTA_TYPES = new Set(['roberta', 'camembert', 'xlm-roberta', 'xlm_roberta']);

/** Reads the BERT shape from a Hugging Face config.json object (BertModel, RobertaModel, CamembertModel, XLMRobertaModel). */
export function bertConfigFromHf(json: Record<string, unknown>, file?: string): BertConfig {
  const num = (key: string, fallback?: number): number => {
    const v = json[key];
    if (typeof v === 'number') return v;
    if (fallback !== undefined) return fallback;
    throw new InputError('missing number', { file, field: key });
  };
  const modelType = typeof json.model_type === 'string' && ROBERTA_TYPES.has(json.model_type) ? 'roberta' : 'bert';
  const act = json.hidden_act ?? 'gelu';
  if (act !== 'gelu') throw new InputError(`unsupported activation "${String(act)}" (only "gelu")`, { file, field: 'hidden_act' });
  const c: BertConfig = {
    modelType,
    vocabSize: num('vocab_size'),
    hiddenSize: num('hidden_size'),
    numHiddenLayers: num('num_hidden_layers'),
    numAttentionHeads: num('num_attention_heads'),
    intermediateSize: num('intermediate_size'),
    maxPositionEmbeddings: num('max_position_embeddings', 512),
    typeVocabSize: num('type_vocab_size', 2),
    layerNormEps: num('layer_norm_eps', 1e-12),
    padTokenId: num('pad_token_id', modelType === 'roberta' ? 1 : 0),
    hiddenAct: 'gelu',
  };
  validateBertConfig(c, file);
  return c;
}

/** The Hugging Face config.json for a shape (loads with transformers' AutoModel). */
export function bertConfigToHf(c: BertConfig): Record<string, unknown> {
  return {
    architectures: [c.modelType === 'roberta' ? 'RobertaModel' : 'BertModel'],
    model_type: c.modelType,
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    num_hidden_layers: c.numHiddenLayers,
    num_attention_heads: c.numAttentionHeads,
    intermediate_size: c.intermediateSize,
    hidden_act: c.hiddenAct,
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: c.maxPositionEmbeddings,
    type_vocab_size: c.typeVocabSize,
    initializer_range: 0.02,
    layer_norm_eps: c.layerNormEps,
    pad_token_id: c.padTokenId,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
  };
}
