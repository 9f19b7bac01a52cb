/**
 * Peak wasm memory of one full-mode training step, estimated before a run starts, and the
 * gradient-cache mini-batch that makes a step fit. The tfjs wasm backend has one linear memory
 * of at most 4 GB; past it a step dies with "memory access out of bounds".
 *
 * What the estimate counts (float32 values, see bert-model.ts and layers.ts):
 *  - the weights and their gradients (about 2 × parameters), plus one more copy with the
 *    gradient cache (the running sum of the mini-batches' gradients); AdamW's moments live in
 *    JavaScript arrays, outside the wasm memory;
 *  - the forward pass's tensors, which the gradient tape keeps until the backward pass: per
 *    token and layer, 37·hidden (Q/K/V and their head transposes, the attention output,
 *    two dropouts of 5 tensors each, two residual adds, two LayerNorms of 5 tensors) +
 *    7·intermediate (FFN dense + bias, exact GELU's 5 tensors) + 9·heads·sequence (scores,
 *    scale, mask, softmax, dropout's 5 tensors); 14·hidden per token for the embeddings;
 *  - the backward pass, as fitted multiples of the forward tensors;
 *  - a small fixed base (the runtime, the tokenised batch, the loss).
 * The factors were fitted to the wasm memory measured after one real step on eight shapes (two
 * to six layers, hidden 64 to 384, 512 to 8,192 tokens per step, one pass and the gradient
 * cache, MNR and CoSENT), then raised by 8 % to err on the safe side: the estimates are 0.93 to
 * 1.18 times the measured memory (MiniLM-L6, 32 texts × 64 tokens: 4,241 MB estimated, 4,010 MB
 * measured). Emscripten grows the memory by up to 20 % more than it asks
 * for, so the measured size is itself between 1 and 1.2 times the true peak.
 * memory-estimate.test.ts re-measures three shapes and checks the estimate within 20 %.
 * Measured with the single-threaded build; the threaded build's per-thread stacks add little.
 */
import type { BertConfig } from '../../onnx/bert-config';
import { bertWeightShapes } from '../../onnx/bert-weights';

/** The wasm backend's memory limit: 4 GB less one 64 KiB page (Emscripten's getHeapMax). */
export const WASM_MEMORY_LIMIT_BYTES = 4_294_901_760;
/** The share of the limit a step may plan to use (the estimate is ±25 %, fragmentation varies). */
export const WASM_MEMORY_SAFETY = 0.8;

const FLOAT = 4;
/**
 * Fitted multiples of the forward tensors' bytes, covering the backward pass's tensors and the
 * allocator: the per-token tensors (dense layers, LayerNorm, GELU, dropout) and the attention
 * tensors (heads × sequence per token) differ because tfjs keeps more per-token temporaries
 * in the backward pass (the transposes of ops.ts's matMul gradient).
 */
export const TOKEN_TENSOR_FACTOR = 2.8;
export const ATTENTION_TENSOR_FACTOR = 1.4;
/** The weights and their gradients, with the tensors made while loading and updating them (fitted). */
export const PARAMETER_FACTOR = 2.2;
/** Bytes not proportional to the model or the batch: runtime, batch, loss. */
export const BASE_BYTES = 8e6;

/** The model's shape as the estimate needs it. */
export type ModelShape = Pick<BertConfig, 'numHiddenLayers' | 'hiddenSize' | 'numAttentionHeads' | 'intermediateSize' | 'vocabSize' | 'maxPositionEmbeddings' | 'typeVocabSize'>;

export interface StepShape {
  /** Texts per step (two per pair for the pair losses). */
  texts: number;
  /** Tokens per text after padding (the longest text of the batch, special tokens included). */
  sequence: number;
  /** Texts per forward pass with the gradient cache (undefined or ≥ texts: one pass). */
  miniBatch?: number;
}

export interface MemoryEstimate {
  bytes: number;
  parameterBytes: number;
  activationBytes: number;
  /** Texts per forward pass the estimate assumed. */
  passTexts: number;
}

/** Number of trainable values of the model. */
export function parameterCount(shape: ModelShape): number {
  let n = 0;
  for (const dims of bertWeightShapes(shape as BertConfig).values()) n += dims.reduce((a, b) => a * b, 1);
  return n;
}

/** Forward-pass float32 values the tape keeps for `texts` texts of `sequence` tokens: per-token tensors and attention tensors. */
export function forwardValues(shape: ModelShape, texts: number, sequence: number): { token: number; attention: number } {
  const tokens = texts * sequence;
  const h = shape.hiddenSize;
  const layers = shape.numHiddenLayers;
  return {
    token: tokens * (14 * h + layers * (37 * h + 7 * shape.intermediateSize)),
    attention: tokens * layers * 9 * shape.numAttentionHeads * sequence,
  };
}

/** Peak wasm memory of one training step (bytes). */
export function estimateStepMemory(shape: ModelShape, step: StepShape): MemoryEstimate {
  const cached = step.miniBatch !== undefined && step.miniBatch < step.texts;
  const passTexts = cached ? step.miniBatch! : step.texts;
  const params = parameterCount(shape) * FLOAT;
  // The gradient cache also holds the running sum of the mini-batches' gradients.
  const parameterBytes = params * (PARAMETER_FACTOR + (cached ? 1 : 0));
  const f = forwardValues(shape, passTexts, step.sequence);
  const activationBytes = (TOKEN_TENSOR_FACTOR * f.token + ATTENTION_TENSOR_FACTOR * f.attention) * FLOAT;
  return { bytes: BASE_BYTES + parameterBytes + activationBytes, parameterBytes, activationBytes, passTexts };
}

export type MemoryPlan =
  | { kind: 'fits'; estimate: MemoryEstimate }
  /** The step fits with the gradient cache at this mini-batch (the largest that fits). */
  | { kind: 'mini-batch'; miniBatch: number; estimate: MemoryEstimate; whole: MemoryEstimate }
  | { kind: 'too-large'; estimate: MemoryEstimate; smallest: MemoryEstimate; advice: string };

const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;

/**
 * Whether a step fits in `budget` bytes: as asked; else (when the user gave no mini-batch) with
 * the largest gradient-cache mini-batch that fits; else what to change.
 */
export function planStepMemory(shape: ModelShape, step: StepShape, budget = WASM_MEMORY_LIMIT_BYTES * WASM_MEMORY_SAFETY, userMiniBatch = step.miniBatch !== undefined): MemoryPlan {
  const estimate = estimateStepMemory(shape, step);
  if (estimate.bytes <= budget) return { kind: 'fits', estimate };
  if (!userMiniBatch) {
    // The estimate grows with the mini-batch: the largest that fits, by bisection over 1…texts−1.
    let lo = 0;
    let hi = step.texts - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (estimateStepMemory(shape, { ...step, miniBatch: mid }).bytes <= budget) lo = mid;
      else hi = mid - 1;
    }
    if (lo >= 1) return { kind: 'mini-batch', miniBatch: lo, estimate: estimateStepMemory(shape, { ...step, miniBatch: lo }), whole: estimate };
  }
  const smallest = estimateStepMemory(shape, { ...step, miniBatch: 1 });
  const advice =
    smallest.bytes <= budget
      ? `set a smaller --mini-batch (the largest that fits is ${largestFitting(shape, step, budget)})`
      : `even one text per pass needs ${mb(smallest.bytes)}: lower the sequence length (max_seq_length of the model, now ${step.sequence} tokens in the longest text), use a smaller model, or train on the python runner (--runner python)`;
  return { kind: 'too-large', estimate, smallest, advice };
}

function largestFitting(shape: ModelShape, step: StepShape, budget: number): number {
  let best = 1;
  for (let m = 1; m < step.texts; m++) if (estimateStepMemory(shape, { ...step, miniBatch: m }).bytes <= budget) best = m;
  return best;
}

/** One line for the run's output: the estimate against the budget. */
export function describeEstimate(e: MemoryEstimate, budget: number): string {
  return `${mb(e.bytes)} of wasm memory estimated for a step (${e.passTexts} texts per pass; budget ${mb(budget)})`;
}
