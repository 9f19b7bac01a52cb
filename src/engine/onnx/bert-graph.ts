import type { BertConfig } from './bert-config';
import { validateBertConfig } from './bert-config';
import { checkBertWeights, type BertWeights } from './bert-weights';
import { GraphBuilder, transpose2d } from './graph-builder';
import { encodeOnnxModel, OnnxDataType, type OnnxValueInfo } from './onnx-model';
import { writeFileAtomicSync } from '../util/fs';
import type { ProtoWriter } from './protobuf';

export interface BertGraphOptions {
  /** Add a `token_type_ids` input (default: true for BERT, false for RoBERTa). Without it, type 0 is used. */
  tokenTypeIds?: boolean;
}

/** Opset 17 is the first with LayerNormalization. */
export const BERT_OPSET = 17;

/**
 * Builds a BERT-architecture encoder as an ONNX graph (opset 17, standard ops only):
 * inputs `input_ids`, `attention_mask` [, `token_type_ids`] (int64, [batch, sequence]); output
 * `last_hidden_state` (float32, [batch, sequence, hidden]). It computes exactly what transformers'
 * BertModel / RobertaModel do in eval mode: embeddings (word + position + token type) → LayerNorm →
 * N × (multi-head self-attention with the additive attention mask → dense → residual → LayerNorm →
 * erf GELU FFN → residual → LayerNorm).
 */
export function buildBertOnnx(config: BertConfig, weights: BertWeights, options: BertGraphOptions = {}): ProtoWriter {
  validateBertConfig(config);
  checkBertWeights(config, weights);
  const useTypes = options.tokenTypeIds ?? config.modelType === 'bert';
  const h = config.hiddenSize;
  const nh = config.numAttentionHeads;
  const hd = h / nh;
  const g = new GraphBuilder();
  const w = (name: string): Float32Array => weights.get(name)!;

  // --- embeddings
  const wordEmb = g.weight('embeddings.word_embeddings.weight', [config.vocabSize, h], w('embeddings.word_embeddings.weight'));
  const posEmb = g.weight(
    'embeddings.position_embeddings.weight',
    [config.maxPositionEmbeddings, h],
    w('embeddings.position_embeddings.weight'),
  );
  let x = g.op('Gather', [wordEmb, 'input_ids'], { axis: 0 });

  let positions: string;
  if (config.modelType === 'roberta') {
    // position = cumsum(id != pad) * (id != pad) + pad
    const isPad = g.op('Equal', ['input_ids', g.int64([config.padTokenId], [])]);
    const notPad = g.op('Cast', [g.op('Not', [isPad])], { to: OnnxDataType.INT64 });
    const cum = g.op('CumSum', [notPad, g.int64([1], [])]);
    positions = g.op('Add', [g.op('Mul', [cum, notPad]), g.int64([config.padTokenId], [])]);
    x = g.op('Add', [x, g.op('Gather', [posEmb, positions], { axis: 0 })]);
  } else {
    // the first `sequence` rows of the position table
    const seqLen = g.op('Slice', [g.op('Shape', ['input_ids']), g.int64([1]), g.int64([2])]);
    positions = g.op('Slice', [posEmb, g.int64([0]), seqLen, g.int64([0])]);
    x = g.op('Add', [x, positions]);
  }
  const typeTable = w('embeddings.token_type_embeddings.weight');
  if (useTypes) {
    const typeEmb = g.weight('embeddings.token_type_embeddings.weight', [config.typeVocabSize, h], typeTable);
    x = g.op('Add', [x, g.op('Gather', [typeEmb, 'token_type_ids'], { axis: 0 })]);
  } else {
    x = g.op('Add', [x, g.weight('embeddings.token_type_embeddings.row0', [h], typeTable.slice(0, h))]);
  }
  x = layerNorm(g, x, w, 'embeddings.LayerNorm', h, config.layerNormEps);

  // --- additive attention mask: (1 - mask) * float32 min, shaped [batch, 1, 1, sequence]
  const maskF = g.op('Cast', ['attention_mask'], { to: OnnxDataType.FLOAT });
  const inverted = g.op('Sub', [g.float([1]), maskF]);
  const additive = g.op('Mul', [inverted, g.float([-3.4028234663852886e38])]);
  const mask4 = g.op('Unsqueeze', [additive, g.int64([1, 2])]);

  const splitHeads = g.int64([0, 0, nh, hd]);
  const mergeHeads = g.int64([0, 0, h]);
  const scale = g.float([1 / Math.sqrt(hd)]);

  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `encoder.layer.${i}.`;
    const q = linear(g, x, w, `${p}attention.self.query`, h, h);
    const k = linear(g, x, w, `${p}attention.self.key`, h, h);
    const v = linear(g, x, w, `${p}attention.self.value`, h, h);
    const qh = g.op('Transpose', [g.op('Reshape', [q, splitHeads])], { perm: [0, 2, 1, 3] });
    const kh = g.op('Transpose', [g.op('Reshape', [k, splitHeads])], { perm: [0, 2, 3, 1] });
    const vh = g.op('Transpose', [g.op('Reshape', [v, splitHeads])], { perm: [0, 2, 1, 3] });
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [qh, kh]), scale]), mask4]);
    const probs = g.op('Softmax', [scores], { axis: -1 });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, vh])], { perm: [0, 2, 1, 3] }), mergeHeads]);
    const attnOut = linear(g, ctx, w, `${p}attention.output.dense`, h, h);
    x = layerNorm(g, g.op('Add', [attnOut, x]), w, `${p}attention.output.LayerNorm`, h, config.layerNormEps);

    const inter = linear(g, x, w, `${p}intermediate.dense`, h, config.intermediateSize);
    // exact GELU: 0.5 · x · (1 + erf(x / √2))
    const erf = g.op('Erf', [g.op('Div', [inter, g.float([Math.SQRT2])])]);
    const gelu = g.op('Mul', [g.op('Mul', [inter, g.op('Add', [erf, g.float([1])])]), g.float([0.5])]);
    const out = linear(g, gelu, w, `${p}output.dense`, config.intermediateSize, h);
    const isLast = i === config.numHiddenLayers - 1;
    x = layerNorm(g, g.op('Add', [out, x]), w, `${p}output.LayerNorm`, h, config.layerNormEps, isLast ? 'last_hidden_state' : undefined);
  }
  if (config.numHiddenLayers === 0) x = g.op('Identity', [x], undefined, 'last_hidden_state');

  const io = (name: string): OnnxValueInfo => ({ name, type: OnnxDataType.INT64, shape: ['batch_size', 'sequence_length'] });
  const inputs = [io('input_ids'), io('attention_mask')];
  if (useTypes) inputs.push(io('token_type_ids'));
  return encodeOnnxModel({
    graphName: config.modelType === 'roberta' ? 'roberta_encoder' : 'bert_encoder',
    nodes: g.nodes,
    initializers: g.initializers,
    inputs,
    outputs: [{ name: 'last_hidden_state', type: OnnxDataType.FLOAT, shape: ['batch_size', 'sequence_length', h] }],
    opset: BERT_OPSET,
    docString: `${config.modelType} encoder: ${config.numHiddenLayers} layers, hidden ${h}, ${nh} heads, FFN ${config.intermediateSize}`,
  });
}

/** Builds the graph (see `buildBertOnnx`) and writes it to `file` atomically. */
export function writeBertOnnx(config: BertConfig, weights: BertWeights, file: string, options: BertGraphOptions = {}): void {
  writeFileAtomicSync(file, buildBertOnnx(config, weights, options).chunks);
}

function linear(
  g: GraphBuilder,
  x: string,
  w: (name: string) => Float32Array,
  prefix: string,
  inDim: number,
  outDim: number,
): string {
  const weight = g.weight(`${prefix}.weight.T`, [inDim, outDim], transpose2d(w(`${prefix}.weight`), outDim, inDim));
  const bias = g.weight(`${prefix}.bias`, [outDim], w(`${prefix}.bias`));
  return g.op('Add', [g.op('MatMul', [x, weight]), bias]);
}

function layerNorm(
  g: GraphBuilder,
  x: string,
  w: (name: string) => Float32Array,
  prefix: string,
  h: number,
  eps: number,
  outputName?: string,
): string {
  const scale = g.weight(`${prefix}.weight`, [h], w(`${prefix}.weight`));
  const bias = g.weight(`${prefix}.bias`, [h], w(`${prefix}.bias`));
  return g.op('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: { float: eps } }, outputName);
}
