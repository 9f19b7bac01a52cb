/**
 * Head mode as a model for the training loop: the encoder is frozen, its embeddings are
 * computed once, and a small head (skip-connection linear or MLP) trains on top with AdamW.
 * With the DEC loss the cluster centroids train too (started from k-means), against a target
 * distribution refreshed at the start of each epoch.
 */
import { tf } from '../backend';
import { resolveEncoder } from '../../encoders/resolve';
import { selectRows, type Matrix } from '../../util/matrix';
import { kmeans } from '../../cluster/kmeans';
import { computeBatchLoss, type LossBatch } from '../losses/index';
import { decSoftAssignment, decTargetDistribution } from '../losses/dec';
import { setTexts, type TrainingSet } from '../training-data';
import { embedDistinct, rowsOf, type EmbeddingTable } from '../embedding-table';
import { createHead, disposeHead, initHeadWeights, readHeadWeights, type HeadWeights, type TrainableHead } from '../heads/index';
import { AdamW } from '../adamw';
import { evalClusters, evalLabelGroups, evalPairs, evalScoredPairs, labelIds, type EvalMetrics } from '../evaluate';
import { writeTensors } from '../tensor-file';
import { isCorpusFitted, saveHeadModel } from '../head-model';
import { saveBaseEncoder } from '../base-encoder-fit';
import type { SavedCheckpoint, PlanRows, StepBatch, StepResult, TrainableModel } from '../loop';
import type { Resolved, TrainOptions } from '../settings';

export interface HeadTrainingInput {
  options: TrainOptions;
  resolved: Resolved;
  data: { train: TrainingSet; eval?: TrainingSet };
  /** The run's model/ folder. */
  modelDir: string;
  runId: string;
}

/** Rows of a set's texts in the embedding table: text1/anchors/texts, and text2/positives. */
interface SetRows {
  a: Int32Array;
  b?: Int32Array;
}

function rowIndex(set: TrainingSet, table: EmbeddingTable): SetRows {
  if (set.kind === 'scored') return { a: rowsOf(table, set.text1), b: rowsOf(table, set.text2) };
  if (set.kind === 'pairs') return { a: rowsOf(table, set.anchors), b: rowsOf(table, set.positives) };
  return { a: rowsOf(table, set.texts) };
}

/** The second side of a paired set's rows (scored and pairs sets always have one). */
function secondRows(rows: SetRows): Int32Array {
  if (!rows.b) throw new Error('a paired set without its second texts');
  return rows.b;
}

function gatherRows(x: tf.Tensor2D, rows: ArrayLike<number>): tf.Tensor2D {
  return tf.gather(x, tf.tensor1d(Int32Array.from(rows), 'int32')) as tf.Tensor2D;
}

/** The embeddings of table rows through a head (or raw when head is undefined). */
class Projector {
  constructor(
    private readonly x: tf.Tensor2D,
    private readonly table: EmbeddingTable,
  ) {}

  project(rows: Int32Array, head: TrainableHead | undefined): Matrix {
    if (!head) return selectRows(this.table.matrix, rows);
    const dim = head.config.outputDim;
    const out = new Float32Array(rows.length * dim);
    const chunk = 2048;
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.subarray(i, i + chunk);
      const y = tf.tidy(() => head.apply(tf.gather(this.x, tf.tensor1d(part, 'int32')) as tf.Tensor2D));
      out.set(y.dataSync(), i * dim);
      y.dispose();
    }
    return { rows: rows.length, cols: dim, data: out };
  }
}

function pickPrefix(t: HeadWeights, prefix: string, exclude: string[] = []): HeadWeights {
  const out: HeadWeights = {};
  for (const [k, v] of Object.entries(t)) {
    if (exclude.some((e) => k.startsWith(e))) continue;
    if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  }
  return out;
}

const toTensor2d = (t: { shape: number[]; data: Float32Array }) => tf.tensor2d(t.data, t.shape as [number, number]);

/** Embeds the data with the base encoder and builds the head (from the checkpoint's tensors when resuming). */
export async function openHeadTrainable(input: HeadTrainingInput, saved: SavedCheckpoint | undefined): Promise<TrainableModel> {
  const { options, resolved: r, data } = input;
  const signal = options.signal;
  const encoderSpec = options.encoder ?? 'builtin';

  // Embeddings, once.
  const texts = [...setTexts(data.train), ...(data.eval ? setTexts(data.eval) : [])];
  const corpus = options.encoderContext?.corpus ?? [...new Set(texts)];
  const encoder = await resolveEncoder(encoderSpec, {
    ...(options.encoderContext ?? {}),
    corpus,
    seed: options.encoderContext?.seed ?? r.seed,
    signal,
    onProgress: options.onProgress,
  });
  let table: EmbeddingTable;
  let encoderId: string;
  try {
    // An encoder fitted on the corpus (the built-in one) is only reproducible from the same
    // corpus: the model keeps the fit (not the texts), so the run serves as an encoder anywhere.
    if (isCorpusFitted(encoderSpec)) await saveBaseEncoder(input.modelDir, encoder);
    table = await embedDistinct(encoder, texts, { signal, onProgress: options.onProgress });
    encoderId = encoder.id;
  } finally {
    await encoder.dispose();
  }

  // The tensors: the embeddings, the head and the optimizer (from the checkpoint when resuming), DEC's centroids.
  const dim = table.matrix.cols;
  const headConfig = { kind: options.head?.kind ?? 'skip-linear', inputDim: dim, outputDim: dim, hidden: options.head?.hidden } as const;
  const x = tf.tensor2d(table.matrix.data, [table.matrix.rows, dim]);
  let head: TrainableHead | undefined;
  let optimizer: AdamW | undefined;
  try {
    head = createHead(headConfig, saved ? pickPrefix(saved.tensors, '', ['opt.', 'dec.']) : initHeadWeights(headConfig, r.seed));
    optimizer = new AdamW({ weightDecay: r.weightDecay });
    if (saved) optimizer.restore(pickPrefix(saved.tensors, 'opt.'), saved.optimizerStep);
    const model = new HeadTrainable(input, table, x, head, optimizer, encoderId);
    await model.initCentroids(saved);
    return model;
  } catch (e) {
    if (head) disposeHead(head);
    optimizer?.dispose();
    x.dispose();
    throw e;
  }
}

class HeadTrainable implements TrainableModel {
  readonly planRows: PlanRows;
  private readonly projector: Projector;
  private readonly trainRows: SetRows;
  private readonly trainLabels?: { ids: Int32Array; names: string[] };
  private readonly evalRows?: SetRows;
  private readonly evalLabelIds?: Int32Array;
  private readonly variables: Record<string, tf.Variable>;
  private readonly isDec: boolean;
  private readonly clusters: number;
  private centroids?: tf.Variable<tf.Rank.R2>;
  private target?: tf.Tensor2D;

  constructor(
    private readonly input: HeadTrainingInput,
    table: EmbeddingTable,
    private readonly x: tf.Tensor2D,
    private readonly head: TrainableHead,
    private readonly optimizer: AdamW,
    private readonly encoderId: string,
  ) {
    const { resolved: r, data } = input;
    this.projector = new Projector(x, table);

    const train = data.train;
    this.trainRows = rowIndex(train, table);
    const trainLabelNames = train.kind === 'labelled' || train.kind === 'texts' ? train.labels : undefined;
    this.trainLabels = trainLabelNames ? labelIds(trainLabelNames) : undefined;
    const ev = data.eval;
    this.evalRows = ev ? rowIndex(ev, table) : undefined;
    this.evalLabelIds = ev && (ev.kind === 'labelled' || ev.kind === 'texts') && ev.labels ? labelIds(ev.labels).ids : undefined;
    this.planRows = { set: train, rowsA: this.trainRows.a, rowsB: this.trainRows.b, labelIds: this.trainLabels?.ids };

    this.variables = { ...head.variables };
    this.isDec = r.loss === 'dec';
    this.clusters = r.lossOptions.clusters ?? (this.trainLabels ? this.trainLabels.names.length : 8);
  }

  /** DEC: the centroids (k-means of the starting head's outputs, or the checkpoint's) and the checkpoint's target. */
  async initCentroids(saved: SavedCheckpoint | undefined): Promise<void> {
    if (!this.isDec) return;
    const r = this.input.resolved;
    const tensors = saved?.tensors;
    if (tensors?.['dec.centroids']) this.centroids = tf.variable(toTensor2d(tensors['dec.centroids']), true);
    else {
      const km = await kmeans(this.projector.project(this.trainRows.a, this.head), { k: this.clusters, seed: r.seed, signal: this.input.options.signal });
      this.centroids = tf.variable(tf.tensor2d(km.centroids.data, [km.centroids.rows, km.centroids.cols]), true);
    }
    this.variables['dec.centroids'] = this.centroids;
    if (tensors?.['dec.target']) this.target = toTensor2d(tensors['dec.target']);
  }

  beginEpoch(_epoch: number, fromStart: boolean): void {
    if (!this.isDec || !this.centroids || (!fromStart && this.target)) return;
    const centroids = this.centroids;
    this.target?.dispose();
    const z = this.projector.project(this.trainRows.a, this.head);
    const alpha = this.input.resolved.lossOptions.alpha;
    this.target = tf.tidy(() => decTargetDistribution(decSoftAssignment(tf.tensor2d(z.data, [z.rows, z.cols]), centroids, { alpha })));
  }

  step(batch: StepBatch, lr: number): StepResult {
    const r = this.input.resolved;
    const idx = Int32Array.from(batch.examples);
    const { value, grads } = tf.variableGrads(() => computeBatchLoss(r.loss, this.lossBatch(idx, batch.positives), r.lossOptions), Object.values(this.variables));
    const named: Record<string, tf.Tensor> = {};
    for (const [name, v] of Object.entries(this.variables)) named[name] = grads[v.name];
    const loss = value.dataSync()[0];
    if (Number.isFinite(loss)) this.optimizer.apply(this.variables, named, lr, this.head.decayed);
    tf.dispose([value, ...Object.values(grads)]);
    return { loss };
  }

  /** The head outputs and targets of one batch (inside the gradient scope). */
  private lossBatch(idx: Int32Array, positives: Int32Array | undefined): LossBatch {
    const set = this.input.data.train;
    const rows = this.trainRows;
    const head = this.head;
    const pick = (r: Int32Array) => Int32Array.from(idx, (i) => r[i]);
    const n = idx.length;
    // Both sides of the pairs go through the head in one pass.
    const both = (a: Int32Array, b: Int32Array) => {
      const joined = new Int32Array(2 * n);
      joined.set(a, 0);
      joined.set(b, n);
      const y = head.apply(gatherRows(this.x, joined));
      return { a: tf.slice(y, [0, 0], [n, -1]) as tf.Tensor2D, b: tf.slice(y, [n, 0], [n, -1]) as tf.Tensor2D };
    };
    if (set.kind === 'scored') return { kind: 'scored', ...both(pick(rows.a), pick(secondRows(rows))), scores: tf.tensor1d(Float32Array.from(idx, (i) => set.scores[i])) };
    if (set.kind === 'pairs') return { kind: 'pairs', ...both(pick(rows.a), pick(secondRows(rows))) };
    if (set.kind === 'labelled') {
      const labels = this.labelIdsOf(idx);
      if (!positives) return { kind: 'labelled', a: head.apply(gatherRows(this.x, pick(rows.a))), labels: tf.tensor1d(labels, 'int32') };
      const mask = new Float32Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && labels[i] === labels[j]) mask[i * n + j] = 1;
      return {
        kind: 'pairs',
        ...both(pick(rows.a), Int32Array.from(idx, (i) => rows.a[positives[i]])),
        falseNegatives: tf.tensor2d(mask, [n, n]),
      };
    }
    if (!this.target || !this.centroids) throw new Error('the dec loss trains on a target distribution and centroids');
    return {
      kind: 'dec',
      a: head.apply(gatherRows(this.x, pick(rows.a))),
      target: tf.gather(this.target, tf.tensor1d(idx, 'int32')) as tf.Tensor2D,
      centroids: this.centroids,
    };
  }

  private labelIdsOf(idx: Int32Array): Int32Array {
    const ids = this.trainLabels?.ids;
    if (!ids) throw new Error('a labelled set without label ids');
    return Int32Array.from(idx, (i) => ids[i]);
  }

  async evaluate(trained: boolean): Promise<EvalMetrics> {
    const ev = this.input.data.eval;
    const rows = this.evalRows;
    if (!ev || !rows) return {};
    const { resolved: r, options } = this.input;
    const h = trained ? this.head : undefined;
    const project = (x: Int32Array) => this.projector.project(x, h);
    if (ev.kind === 'scored') return evalScoredPairs(project(rows.a), project(secondRows(rows)), ev.scores);
    if (ev.kind === 'pairs') return evalPairs(project(rows.a), project(secondRows(rows)));
    const labels = this.evalLabelIds;
    if (!labels) return {};
    if (ev.kind === 'labelled') return evalLabelGroups(project(rows.a), labels, r.seed);
    const z = project(rows.a);
    const centroids = this.centroids;
    if (!trained || !centroids) {
      const km = await kmeans(z, { k: this.clusters, seed: r.seed, signal: options.signal });
      return evalClusters(km.labels, labels);
    }
    const assign = tf.tidy(() => tf.argMax(decSoftAssignment(tf.tensor2d(z.data, [z.rows, z.cols]), centroids, { alpha: r.lossOptions.alpha }), 1));
    const assigned = Int32Array.from(assign.dataSync());
    assign.dispose();
    return evalClusters(assigned, labels);
  }

  async saveModel(step: number): Promise<void> {
    const info = { baseEncoder: this.input.options.encoder ?? 'builtin', baseEncoderId: this.encoderId, normalizeInput: true, head: this.head.config, run: this.input.runId, step };
    await saveHeadModel(this.input.modelDir, info, readHeadWeights(this.head));
  }

  async saveCheckpoint(file: string): Promise<number> {
    const tensors: HeadWeights = { ...readHeadWeights(this.head) };
    for (const [k, v] of Object.entries(this.optimizer.state())) tensors[`opt.${k}`] = v;
    if (this.centroids) tensors['dec.centroids'] = { shape: [...this.centroids.shape], data: new Float32Array(this.centroids.dataSync()) };
    if (this.target) tensors['dec.target'] = { shape: [...this.target.shape], data: new Float32Array(this.target.dataSync()) };
    await writeTensors(file, tensors);
    return this.optimizer.step;
  }

  dispose(): void {
    disposeHead(this.head);
    this.optimizer.dispose();
    this.centroids?.dispose();
    this.target?.dispose();
    this.x.dispose();
  }
}
