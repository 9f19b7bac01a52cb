/**
 * Full mode as a model for the training loop: every weight of a BERT-family encoder trains.
 * Each step runs the texts of its batch through the transformer (with dropout), in one pass
 * or with the gradient cache; the kept model is a sentence-transformers folder
 * (model.safetensors + onnx/model.onnx).
 */
import { tf } from '../backend';
import { InputError } from '../../util/errors';
import { normalizeRows, selectRows } from '../../util/matrix';
import type { LossBatch } from '../losses/index';
import type { TrainingSet } from '../training-data';
import { AdamW } from '../adamw';
import { evalLabelGroups, evalPairs, evalScoredPairs, labelIds, type EvalMetrics } from '../evaluate';
import { writeTensors } from '../tensor-file';
import type { HeadWeights } from '../heads/index';
import type { BertWeights } from '../../onnx/bert-weights';
import { bertWeightShapes } from '../../onnx/bert-weights';
import type { PlanRows, SavedCheckpoint, StepBatch, StepResult, TrainableModel } from '../loop';
import type { Resolved, TrainOptions } from '../settings';
import { stepGradients } from './step-gradients';
import { loadFolderWeights, type TrainableFolder } from './model-source';
import { SentenceModel } from './sentence-model';
import { exportSentenceModel } from './export';

/** Texts of a set as ids into one list of distinct texts (the no-duplicate batch keys). */
export interface TextIndex {
  texts: string[];
  a: Int32Array;
  b?: Int32Array;
}

export function indexTexts(set: TrainingSet): TextIndex {
  const ids = new Map<string, number>();
  const texts: string[] = [];
  const idOf = (t: string) => {
    let i = ids.get(t);
    if (i === undefined) {
      ids.set(t, (i = texts.length));
      texts.push(t);
    }
    return i;
  };
  if (set.kind === 'scored') return { texts, a: Int32Array.from(set.text1, idOf), b: Int32Array.from(set.text2, idOf) };
  if (set.kind === 'pairs') return { texts, a: Int32Array.from(set.anchors, idOf), b: Int32Array.from(set.positives, idOf) };
  return { texts, a: Int32Array.from(set.texts, idOf) };
}

/** The second side of a paired set's text ids (scored and pairs sets always have one). */
function secondIds(index: TextIndex): Int32Array {
  if (!index.b) throw new Error('a paired set without its second texts');
  return index.b;
}

/** The texts of one batch, all sides joined (one forward pass), and how to cut the embeddings back into the loss batch. */
function batchTexts(
  set: TrainingSet,
  index: TextIndex,
  idx: readonly number[],
  positives: Int32Array | undefined,
  labels: Int32Array | undefined,
): { texts: string[]; batch: (y: tf.Tensor2D) => LossBatch } {
  const n = idx.length;
  const pick = (rows: Int32Array, at: readonly number[]) => at.map((i) => index.texts[rows[i]]);
  const split = (y: tf.Tensor2D) => ({ a: tf.slice(y, [0, 0], [n, -1]) as tf.Tensor2D, b: tf.slice(y, [n, 0], [n, -1]) as tf.Tensor2D });
  if (set.kind === 'scored') {
    const scores = Float32Array.from(idx, (i) => set.scores[i]);
    return { texts: [...pick(index.a, idx), ...pick(secondIds(index), idx)], batch: (y) => ({ kind: 'scored', ...split(y), scores: tf.tensor1d(scores) }) };
  }
  if (set.kind === 'pairs') return { texts: [...pick(index.a, idx), ...pick(secondIds(index), idx)], batch: (y) => ({ kind: 'pairs', ...split(y) }) };
  if (set.kind === 'labelled') {
    if (!labels) throw new Error('a labelled set without label ids');
    const lab = Int32Array.from(idx, (i) => labels[i]);
    if (!positives) return { texts: pick(index.a, idx), batch: (y) => ({ kind: 'labelled', a: y, labels: tf.tensor1d(lab, 'int32') }) };
    const mask = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && lab[i] === lab[j]) mask[i * n + j] = 1;
    return {
      texts: [...pick(index.a, idx), ...pick(index.a, idx.map((i) => positives[i]))],
      batch: (y) => ({ kind: 'pairs', ...split(y), falseNegatives: tf.tensor2d(mask, [n, n]) }),
    };
  }
  throw new InputError('full mode does not train on plain texts (the dec loss trains in head mode)', { field: 'loss' });
}

/** Embeddings of an evaluation set's texts with the current weights (rows L2-normalised for cosine metrics). */
async function evaluateModel(model: SentenceModel, set: TrainingSet | undefined, seed: number, signal?: AbortSignal): Promise<EvalMetrics> {
  if (!set) return {};
  const index = indexTexts(set);
  const m = normalizeRows(await model.encode(index.texts, { signal }));
  const rows = (r: Int32Array) => selectRows(m, r);
  if (set.kind === 'scored') return evalScoredPairs(rows(index.a), rows(secondIds(index)), set.scores);
  if (set.kind === 'pairs') return evalPairs(rows(index.a), rows(secondIds(index)));
  if (set.kind === 'labelled') return evalLabelGroups(rows(index.a), labelIds(set.labels).ids, seed);
  return {};
}

function weightsToTensors(weights: BertWeights, shapes: Map<string, number[]>, prefix: string): HeadWeights {
  const out: HeadWeights = {};
  for (const [name, data] of weights) {
    const shape = shapes.get(name);
    if (!shape) throw new Error(`no shape for the weight ${name}`);
    out[prefix + name] = { shape, data };
  }
  return out;
}

export interface TransformerTrainingInput {
  options: TrainOptions;
  resolved: Resolved;
  train: TrainingSet;
  eval?: TrainingSet;
  folder: TrainableFolder;
  /** The run's model/ folder. */
  modelDir: string;
  /** The checkpoint file, named in the error when it lacks a weight. */
  checkpointFile: string;
}

/** Loads the transformer (the base folder's weights, or the checkpoint's when resuming). */
export function openTransformerTrainable(input: TransformerTrainingInput, saved: SavedCheckpoint | undefined): TrainableModel {
  const shapes = bertWeightShapes(input.folder.config);
  let weights: BertWeights;
  if (saved) {
    weights = new Map();
    for (const name of shapes.keys()) {
      const t = saved.tensors[`w.${name}`];
      if (!t) throw new InputError(`the checkpoint lacks the weight ${name}`, { file: input.checkpointFile });
      weights.set(name, t.data);
    }
  } else weights = loadFolderWeights(input.folder);
  const model = SentenceModel.fromWeights(input.folder, weights);
  try {
    return new TransformerTrainable(input, model, shapes, saved);
  } catch (e) {
    model.dispose();
    throw e;
  }
}

class TransformerTrainable implements TrainableModel {
  readonly planRows: PlanRows;
  private readonly optimizer: AdamW;
  private readonly index: TextIndex;
  private readonly trainLabels?: Int32Array;

  constructor(
    private readonly input: TransformerTrainingInput,
    private readonly model: SentenceModel,
    private readonly shapes: Map<string, number[]>,
    saved: SavedCheckpoint | undefined,
  ) {
    this.optimizer = new AdamW({ weightDecay: input.resolved.weightDecay });
    if (saved) {
      const moments: HeadWeights = {};
      for (const [k, v] of Object.entries(saved.tensors)) if (k.startsWith('opt.')) moments[k.slice(4)] = v;
      this.optimizer.restore(moments, saved.optimizerStep);
    }
    const train = input.train;
    this.index = indexTexts(train);
    this.trainLabels = train.kind === 'labelled' ? labelIds(train.labels).ids : undefined;
    this.planRows = { set: train, rowsA: this.index.a, rowsB: this.index.b, labelIds: this.trainLabels };
  }

  step(batch: StepBatch, lr: number): StepResult {
    const { options, resolved: r } = this.input;
    const model = this.model;
    const { texts, batch: cut } = batchTexts(this.input.train, this.index, batch.examples, batch.positives, this.trainLabels);
    const { loss, grads } = stepGradients({
      model,
      texts,
      batch: cut,
      loss: r.loss,
      lossOptions: r.lossOptions,
      dropoutSeed: r.seed * 7919 + batch.step + 1,
      miniBatch: options.miniBatch,
    });
    if (Number.isFinite(loss)) this.optimizer.apply(model.bert.variables, grads, lr, model.bert.decayed);
    tf.dispose(Object.values(grads));
    const longest = Math.max(...texts.map((t) => model.tokens(t).length));
    return { loss, metrics: { texts: texts.length, sequence: longest } };
  }

  evaluate(): Promise<EvalMetrics> {
    return evaluateModel(this.model, this.input.eval, this.input.resolved.seed, this.input.options.signal);
  }

  saveModel(): void {
    exportSentenceModel(this.input.modelDir, this.input.folder, this.model.bert.readWeights());
  }

  async saveCheckpoint(file: string): Promise<number> {
    const tensors: HeadWeights = weightsToTensors(this.model.bert.readWeights(), this.shapes, 'w.');
    for (const [k, v] of Object.entries(this.optimizer.state())) tensors[`opt.${k}`] = v;
    await writeTensors(file, tensors, { format: 'embedlab-full-checkpoint' });
    return this.optimizer.step;
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
  }
}
