/**
 * Trainable heads on frozen embeddings (head mode). A head maps n × inputDim embeddings to
 * n × outputDim L2-normalised embeddings. Its weights travel as named Float32 tensors, so the
 * same weights run in tfjs while training and in plain JS when the run serves as an encoder.
 */
import type { tf } from '../backend';

export type HeadKind = 'skip-linear' | 'mlp';

export interface HeadConfig {
  kind: HeadKind;
  inputDim: number;
  outputDim: number;
  /** MLP hidden width. */
  hidden?: number;
}

/** One named weight tensor, row-major. */
export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export type HeadWeights = Record<string, NamedTensor>;

export interface TrainableHead {
  config: HeadConfig;
  /** The trainable variables by name (the names of `HeadWeights`). */
  variables: Record<string, tf.Variable>;
  /** Names of the variables that weight decay applies to (matrices, not biases). */
  decayed: ReadonlySet<string>;
  /** n × inputDim → n × outputDim, L2-normalised; differentiable. */
  apply(x: tf.Tensor2D): tf.Tensor2D;
}
