/**
 * The loss and the weight gradients of one full-mode training step, computed either in one
 * pass over the whole batch or with a gradient cache (GradCache, as in sentence-transformers'
 * CachedMultipleNegativesRankingLoss), so a batch larger than memory allows still trains with
 * all its in-batch negatives:
 *   1. embed the batch in mini-batches without recording gradients;
 *   2. compute the loss on all the embeddings and its gradient with respect to them;
 *   3. embed each mini-batch again, recording, and backpropagate that mini-batch's slice of
 *      the embedding gradient into the weights; the weight gradients add up over mini-batches.
 * Each mini-batch replays the dropout masks of its first pass (same seeds), so the result is
 * the exact gradient of the loss of the mini-batched forward pass. Activations for backprop
 * are only ever held for one mini-batch.
 */
import { tf } from '../backend';
import { computeBatchLoss, computeLoss, type LossBatch, type LossInputs, type LossName, type LossOptions } from '../losses/index';
import type { SentenceModel } from './sentence-model';
import { DropoutSeeds } from './layers';

export interface StepGradients {
  loss: number;
  /** Gradient per weight name (the keys of the model's `bert.variables`); the caller disposes them. */
  grads: Record<string, tf.Tensor>;
}

/** The loss of a step and how the embeddings [texts × dim] are cut into its input. */
export type StepLoss =
  | { [L in LossName]: { loss: L; build: (embeddings: tf.Tensor2D) => LossInputs[L] } }[LossName]
  /** A batch tagged with its family (what the training loop builds); checked against the loss. */
  | { loss: LossName; batch: (embeddings: tf.Tensor2D) => LossBatch };

export type StepInput = StepLoss & {
  model: SentenceModel;
  /** All texts of the step, in the order `build` (or `batch`) expects their embeddings. */
  texts: readonly string[];
  lossOptions: LossOptions;
  /** Seeds the step's dropout masks; undefined = no dropout. */
  dropoutSeed?: number;
  /** Texts per forward pass with the gradient cache; undefined or ≥ texts.length = one pass. */
  miniBatch?: number;
};

/** The step's loss on the embeddings of its texts. */
function lossOn(input: StepInput, embeddings: tf.Tensor2D): tf.Scalar {
  if ('batch' in input) return computeBatchLoss(input.loss, input.batch(embeddings), input.lossOptions);
  return lossOfInput(input, embeddings, input.lossOptions);
}

function lossOfInput<L extends LossName>(input: { loss: L; build: (embeddings: tf.Tensor2D) => LossInputs[L] }, embeddings: tf.Tensor2D, options: LossOptions): tf.Scalar {
  return computeLoss(input.loss, input.build(embeddings), options);
}

/** Loss and gradients of one step; the gradient cache is used when `miniBatch` splits the texts. */
export function stepGradients(input: StepInput): StepGradients {
  const { miniBatch, texts } = input;
  if (miniBatch === undefined || miniBatch >= texts.length) return onePassGradients(input);
  return cachedGradients(input, miniBatch);
}

function seedsFor(input: StepInput, chunk: number): DropoutSeeds | undefined {
  return input.dropoutSeed === undefined ? undefined : new DropoutSeeds(input.dropoutSeed * 131 + chunk);
}

function byName(model: SentenceModel, grads: tf.NamedTensorMap): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(model.bert.variables)) out[name] = grads[v.name];
  return out;
}

function onePassGradients(input: StepInput): StepGradients {
  const { model } = input;
  const tokens = model.batchOf(input.texts);
  const seeds = input.dropoutSeed === undefined ? undefined : new DropoutSeeds(input.dropoutSeed);
  const { value, grads } = tf.variableGrads(
    () => lossOn(input, model.embedBatch(tokens, seeds)),
    Object.values(model.bert.variables),
  );
  const loss = value.dataSync()[0];
  value.dispose();
  return { loss, grads: byName(model, grads) };
}

function cachedGradients(input: StepInput, miniBatch: number): StepGradients {
  const { model, texts } = input;
  const chunks: { start: number; tokens: ReturnType<SentenceModel['batchOf']> }[] = [];
  for (let start = 0; start < texts.length; start += miniBatch) chunks.push({ start, tokens: model.batchOf(texts.slice(start, start + miniBatch)) });

  // 1. Embeddings of every mini-batch, no gradients recorded.
  const parts = chunks.map((c, i) => model.embedBatch(c.tokens, seedsFor(input, i)));
  const embeddings = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);

  // 2. The loss on the whole batch and its gradient with respect to the embeddings.
  const { value, grad } = tf.valueAndGrad((y: tf.Tensor) => lossOn(input, y as tf.Tensor2D))(embeddings);
  const loss = value.dataSync()[0];
  tf.dispose([value, embeddings]);

  // 3. Each mini-batch again, with the gradient tape: d(Σ y·g)/dθ is its share of dL/dθ.
  const variables = Object.values(model.bert.variables);
  let sum: tf.NamedTensorMap | undefined;
  chunks.forEach((c, i) => {
    const slice = tf.slice(grad, [c.start, 0], [c.tokens.batch, -1]) as tf.Tensor2D;
    const { value: dot, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.embedBatch(c.tokens, seedsFor(input, i)), slice)) as tf.Scalar, variables);
    tf.dispose([dot, slice]);
    if (!sum) sum = grads;
    else {
      const next: tf.NamedTensorMap = {};
      for (const k of Object.keys(sum)) next[k] = tf.add(sum[k], grads[k]);
      tf.dispose([...Object.values(sum), ...Object.values(grads)]);
      sum = next;
    }
  });
  grad.dispose();
  return { loss, grads: byName(model, sum!) };
}
