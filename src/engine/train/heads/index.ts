/** Head construction and plain-JS inference, by kind. */
import type { HeadConfig, HeadWeights, TrainableHead } from './head';
import { applySkipLinear, createSkipLinearHead, initSkipLinear } from './skip-linear';
import { applyMlp, createMlpHead, initMlp } from './mlp';
import type { Matrix } from '../../util/matrix';
import { normalizeRows } from '../../util/matrix';

export type { HeadConfig, HeadKind, HeadWeights, TrainableHead, NamedTensor } from './head';

export function initHeadWeights(config: HeadConfig, seed: number): HeadWeights {
  return config.kind === 'mlp' ? initMlp(config, seed) : initSkipLinear(config.inputDim, seed);
}

/** tfjs variables for the weights (call `disposeHead` when done). */
export function createHead(config: HeadConfig, weights: HeadWeights): TrainableHead {
  return config.kind === 'mlp' ? createMlpHead(config, weights) : createSkipLinearHead(config.inputDim, weights);
}

export function disposeHead(head: TrainableHead): void {
  for (const v of Object.values(head.variables)) v.dispose();
}

/** Reads the current variable values into plain arrays. */
export function readHeadWeights(head: TrainableHead): HeadWeights {
  const out: HeadWeights = {};
  for (const [name, v] of Object.entries(head.variables)) out[name] = { shape: [...v.shape], data: new Float32Array(v.dataSync()) };
  return out;
}

/** Applies a head to embeddings in plain JS; the output rows are L2-normalised. */
export function applyHead(x: Matrix, config: HeadConfig, weights: HeadWeights): Matrix {
  if (x.cols !== config.inputDim) throw new Error(`the head expects ${config.inputDim}-dimensional embeddings, got ${x.cols}`);
  const data =
    config.kind === 'mlp' ? applyMlp(x.data, x.rows, config, weights) : applySkipLinear(x.data, x.rows, x.cols, weights);
  return normalizeRows({ rows: x.rows, cols: config.outputDim, data });
}
