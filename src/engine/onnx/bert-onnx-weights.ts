/**
 * BERT weights recovered from an ONNX export of the encoder, for model folders that ship an
 * ONNX file but no `model.safetensors`.
 *
 * Exporters keep most parameters under their PyTorch names, sometimes behind a module prefix
 * ("m.", "bert.", "0.auto_model."): embeddings, LayerNorm weights and biases, linear biases.
 * Linear weights, which the graph multiplies as [in, out], often lose their names
 * ("onnx::MatMul_330", or our writer's "<name>.weight.T"). Those are found through the graph:
 * MatMul(x, W) feeding an Add whose other input is the bias "<layer>.bias" makes W the
 * transposed "<layer>.weight" (Gemm with transB=1 holds it untransposed).
 */
import { InputError } from '../util/errors';
import type { BertConfig } from './bert-config';
import { bertWeightsFromTensors, type BertWeights } from './bert-weights';
import { transpose2d } from './graph-builder';
import { readOnnxWeights, type OnnxTensor, type OnnxWeightsGraph } from './onnx-reader';

/** The HF-style name inside a possibly prefixed ONNX name ("m.embeddings.x" → "embeddings.x"), or undefined. */
export function canonicalBertName(name: string): string | undefined {
  const m = /(?:^|\.)((?:embeddings|encoder\.layer)\..*)$/.exec(name);
  if (!m) return undefined;
  return m[1].replace(/LayerNorm\.gamma$/, 'LayerNorm.weight').replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
}

/** The named float tensors of a graph under HF names, with the linear weights recovered from MatMul/Gemm → Add. */
export function bertTensorsFromGraph(graph: OnnxWeightsGraph): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  const put = (name: string, t: OnnxTensor): void => {
    if (!out.has(name)) out.set(name, { shape: t.dims, data: t.data });
  };
  for (const [raw, t] of graph.tensors) {
    const name = canonicalBertName(raw);
    if (!name) continue;
    if (name.endsWith('.weight.T') && t.dims.length === 2) {
      const [inDim, outDim] = t.dims;
      put(name.slice(0, -2), { dims: [outDim, inDim], data: transpose2d(t.data, inDim, outDim) });
    } else put(name, t);
  }
  // Linear weights through the graph: MatMul/Gemm output → Add with a named bias.
  const consumers = new Map<string, { opType: string; inputs: string[] }[]>();
  for (const n of graph.nodes) for (const i of n.inputs) (consumers.get(i) ?? consumers.set(i, []).get(i)!).push(n);
  for (const n of graph.nodes) {
    if (n.opType !== 'MatMul' && n.opType !== 'Gemm') continue;
    const w = graph.tensors.get(n.inputs[1]);
    if (!w || w.dims.length !== 2) continue;
    let biasName: string | undefined;
    if (n.opType === 'Gemm' && n.inputs[2]) biasName = n.inputs[2];
    else
      for (const c of consumers.get(n.outputs[0]) ?? []) {
        if (c.opType !== 'Add') continue;
        const other = c.inputs.find((i) => i !== n.outputs[0]);
        if (other && graph.tensors.has(other)) biasName = other;
      }
    const bias = biasName ? canonicalBertName(biasName) : undefined;
    if (!bias?.endsWith('.bias')) continue;
    const name = bias.slice(0, -'.bias'.length) + '.weight';
    const transposed = n.opType === 'Gemm' && n.ints.transB === 1;
    if (transposed) put(name, w);
    else {
      const [inDim, outDim] = w.dims;
      put(name, { dims: [outDim, inDim], data: transpose2d(w.data, inDim, outDim) });
    }
  }
  return out;
}

/**
 * Reads the encoder weights of `config` from an ONNX file. A token-type table kept as its first
 * row only (our graphs without a `token_type_ids` input) is completed with zero rows, which no
 * single-sequence input reads.
 */
export function bertWeightsFromOnnx(config: BertConfig, file: string): BertWeights {
  const graph = readOnnxWeights(file);
  const tensors = bertTensorsFromGraph(graph);
  const typeName = 'embeddings.token_type_embeddings.weight';
  const row0 = tensors.get('embeddings.token_type_embeddings.row0');
  if (!tensors.has(typeName) && row0) {
    const table = new Float32Array(config.typeVocabSize * config.hiddenSize);
    table.set(row0.data.subarray(0, config.hiddenSize));
    tensors.set(typeName, { shape: [config.typeVocabSize, config.hiddenSize], data: table });
  }
  try {
    return bertWeightsFromTensors(config, tensors, file);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const quantized = [...graph.otherTypes.values()].some((t) => t === 2 || t === 3);
    const hint = quantized
      ? ' (the graph holds 8-bit weights: a quantized export cannot be fine-tuned; use the float model.onnx)'
      : ' (an optimized export with fused attention cannot be read; use a plain export or model.safetensors)';
    throw new InputError(`${err.message.replace(/^.*?: /, '')}${hint}`, { file });
  }
}
