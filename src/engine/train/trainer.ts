/**
 * Fine-tuning in head mode: the encoder is frozen, its embeddings are computed once, and a
 * small head (skip-connection linear or MLP) is trained on top with AdamW, warm-up then
 * linear decay. Evaluates on a held-out split every N steps, keeps the best checkpoint,
 * writes the run folder as it goes, stops within one step when cancelled, and resumes
 * from its last checkpoint.
 */
import * as path from 'node:path';
import { tf, useTrainingBackend, type TrainingBackend } from './backend';
import { resolveEncoder, type EncoderContext } from '../encoders/resolve';
import { checkpoint, isCancelledError, throttleProgress, type JobOptions } from '../util/job';
import { InputError } from '../util/errors';
import { createRng, shuffle } from '../util/random';
import { selectRows, type Matrix } from '../util/matrix';
import { kmeans } from '../cluster/kmeans';
import { computeLoss, type LossBatch, type LossName, type LossOptions } from './losses/index';
import { decSoftAssignment, decTargetDistribution } from './losses/dec';
import {
  checkLabelGroups,
  dataKindFor,
  hashFile,
  loadTrainingSet,
  setSize,
  setTexts,
  subset,
  type DataFields,
  type TrainingSet,
} from './training-data';
import { embedDistinct, rowsOf, type EmbeddingTable } from './embedding-table';
import { createHead, disposeHead, initHeadWeights, readHeadWeights, type HeadKind, type HeadWeights, type TrainableHead } from './heads/index';
import { AdamW, linearWarmupDecay } from './adamw';
import { evalClusters, evalLabelGroups, evalPairs, evalScoredPairs, labelIds, type EvalMetrics } from './evaluate';
import {
  appendMetric,
  readSummary,
  runFiles,
  runsDir,
  type RunStatus,
  type RunSummary,
} from './runs';
import { readJson, writeJsonAtomic } from './atomic';
import { readTensors, writeTensors } from './tensor-file';
import { isCorpusFitted, saveBaseCorpus, saveHeadModel } from './head-model';
import { versions } from './versions';
import { checkpointState, endStoppedRun, epochOfStep, loopResult, newRunSummary, openRunFolder, recordEvaluation, runDataRecord, runIdFor, stepSchedule, summaryHeartbeat } from './run-record';

export type TrainMode = 'head' | 'full';

export interface DataSource {
  file: string;
  fields?: DataFields;
}

/** Everything that defines a run; saved in config.json (`options`) so it can be repeated. */
export interface TrainSettings {
  train: DataSource;
  /** Held-out data (same fields as train unless given). Without it, `evalFraction` of train is held out. */
  eval?: DataSource;
  /** Default 0.1 (0 = no evaluation). DEC evaluates on its training texts instead. */
  evalFraction?: number;
  /** Train on at most this many examples (≤ 1: this fraction), after the held-out split. */
  trainLimit?: number;
  loss: LossName;
  lossOptions?: LossOptions;
  mode?: TrainMode;
  /** Encoder spec for resolveEncoder. Default "builtin". */
  encoder?: string;
  head?: { kind?: HeadKind; hidden?: number };
  /** Full mode: dropout probability for hidden states and attention (default: the model's config.json). */
  dropout?: number;
  /**
   * Full mode: texts per forward pass with a gradient cache (as CachedMNRL), so that the batch,
   * and its in-batch negatives, can exceed what fits in memory. Default: the whole batch at once.
   */
  miniBatch?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  /** Fraction of the steps spent warming up. Default 0.1. */
  warmupRatio?: number;
  weightDecay?: number;
  maxSteps?: number;
  /** Evaluate every N steps (default: at the end of each epoch). */
  evalEvery?: number;
  /** Save a resumable checkpoint every N steps (default: at each evaluation, at least every 200). */
  checkpointEvery?: number;
  seed?: number;
  backend?: TrainingBackend | 'auto';
  sweep?: { id: string; index: number; params: Record<string, unknown> };
}

export interface TrainOptions extends TrainSettings, JobOptions {
  /** The folder holding runs/ (a project folder or --out). */
  root: string;
  runId?: string;
  /** Passed to resolveEncoder (its secrets are never written to the run). */
  encoderContext?: EncoderContext;
}

export interface TrainResult {
  run: string;
  id: string;
  status: RunStatus;
  before: EvalMetrics;
  after: EvalMetrics;
  best?: RunSummary['best'];
  steps: number;
  totalSteps: number;
  durationMs: number;
  backend: TrainingBackend;
  /** The runner that trained it (builtin when absent) and, for python, the torch device. */
  runner?: 'builtin' | 'python';
  device?: string;
}

export interface Resolved {
  loss: LossName;
  lossOptions: LossOptions;
  epochs: number;
  batchSize: number;
  lr: number;
  warmupRatio: number;
  weightDecay: number;
  seed: number;
  evalFraction: number;
}

export interface CheckpointState {
  step: number;
  epoch: number;
  optimizerStep: number;
  best?: RunSummary['best'];
  bestMetrics?: EvalMetrics;
  last?: EvalMetrics;
  before: EvalMetrics;
  startedAt: string;
  elapsedMs: number;
}

const DEFAULT_LR = 1e-3;

export function resolveSettings(s: TrainSettings): Resolved {
  const r: Resolved = {
    loss: s.loss,
    lossOptions: { ...(s.lossOptions ?? {}) },
    epochs: s.epochs ?? 1,
    batchSize: s.batchSize ?? 32,
    lr: s.lr ?? DEFAULT_LR,
    warmupRatio: s.warmupRatio ?? 0.1,
    weightDecay: s.weightDecay ?? 0.01,
    seed: s.seed ?? 42,
    evalFraction: s.evalFraction ?? 0.1,
  };
  const bad = (field: string, why: string) => new InputError(why, { field });
  if (!Number.isInteger(r.epochs) || r.epochs < 1) throw bad('epochs', `epochs must be a positive integer, got ${r.epochs}`);
  if (!Number.isInteger(r.batchSize) || r.batchSize < 2) throw bad('batch-size', `the batch size must be an integer ≥ 2, got ${r.batchSize}`);
  if (!(r.lr > 0)) throw bad('lr', `the learning rate must be positive, got ${r.lr}`);
  if (!(r.evalFraction >= 0 && r.evalFraction < 1)) throw bad('eval-fraction', `the held-out fraction must be in [0, 1), got ${r.evalFraction}`);
  if (s.miniBatch !== undefined) {
    if ((s.mode ?? 'head') !== 'full') throw bad('mini-batch', 'the gradient cache (--mini-batch) is for full mode: head mode trains on cached embeddings already');
    if (!Number.isInteger(s.miniBatch) || s.miniBatch < 1) throw bad('mini-batch', `the mini-batch must be a positive integer, got ${s.miniBatch}`);
  }
  return r;
}

/** Train (or resume) in head mode. Resolves when the run completes or is cancelled. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  if ((options.mode ?? 'head') === 'full') return trainFullMode(options);
  const root = path.resolve(options.root);
  const dir = path.join(runsDir(root), runIdFor(options));
  return runHeadTraining(options, dir, undefined);
}

/** Resumes a cancelled or interrupted run from its last checkpoint (a completed run is returned as is). */
export async function resumeRun(runDir: string, options: JobOptions & { encoderContext?: EncoderContext } = {}): Promise<TrainResult> {
  const files = runFiles(runDir);
  const config = await readJson<{ options: TrainSettings; root: string; id: string }>(files.config);
  if (!config) throw new InputError('not a run folder (no config.json)', { file: runDir });
  const state = await readJson<CheckpointState>(files.checkpointState);
  const summary = await readSummary(runDir);
  if (summary?.status === 'completed') {
    return {
      run: runDir,
      id: config.id,
      status: 'completed',
      before: summary.before ?? {},
      after: summary.after ?? {},
      best: summary.best,
      steps: summary.step,
      totalSteps: summary.totalSteps,
      durationMs: summary.durationMs,
      backend: (tf.getBackend() as TrainingBackend) ?? 'cpu',
    };
  }
  const full: TrainOptions = { ...config.options, ...options, root: path.dirname(path.dirname(runDir)), runId: config.id };
  if (config.options.mode === 'full') return trainFullMode(full, { dir: runDir, state });
  return runHeadTraining(full, runDir, state);
}

/** Full mode lives in ./transformer (loaded on first use; a literal require so bundlers include it). */
function trainFullMode(options: TrainOptions, resume?: { dir: string; state?: CheckpointState }): Promise<TrainResult> {
  const { trainFull } = require('./transformer/index') as typeof import('./transformer/index');
  return trainFull(options, resume);
}

interface Prepared {
  train: TrainingSet;
  eval?: TrainingSet;
  table: EmbeddingTable;
  encoderId: string;
  trainHash: string;
  evalHash?: string;
}

export async function prepareData(options: TrainOptions, r: Resolved): Promise<{ train: TrainingSet; eval?: TrainingSet }> {
  const fields = options.train.fields ?? {};
  const kind = dataKindFor(r.loss, fields);
  const needGroups = kind === 'labelled';
  let train = await loadTrainingSet(options.train.file, kind, fields, { ...options, requireTwoLabels: needGroups });
  let evalSet: TrainingSet | undefined;
  if (options.eval) {
    evalSet = await loadTrainingSet(options.eval.file, kind, { ...fields, ...(options.eval.fields ?? {}) }, options);
  } else if (kind === 'texts') {
    evalSet = train.kind === 'texts' && train.labels ? train : undefined;
  } else if (r.evalFraction > 0) {
    const n = setSize(train);
    const order = shuffle(
      Array.from({ length: n }, (_, i) => i),
      createRng(r.seed + 17),
    );
    const nEval = Math.min(n - 2, Math.max(2, Math.round(n * r.evalFraction)));
    if (nEval >= 2) {
      evalSet = subset(train, order.slice(0, nEval).sort((a, b) => a - b));
      train = subset(train, order.slice(nEval).sort((a, b) => a - b));
    }
  }
  if (options.trainLimit !== undefined) {
    const n = setSize(train);
    const limit = options.trainLimit <= 1 ? Math.round(n * options.trainLimit) : Math.floor(options.trainLimit);
    if (limit < n) {
      const order = shuffle(
        Array.from({ length: n }, (_, i) => i),
        createRng(r.seed + 29),
      );
      train = subset(train, order.slice(0, Math.max(2, limit)).sort((a, b) => a - b));
    }
  }
  if (train.kind === 'labelled') checkLabelGroups(train.labels, train.file, fields.label ?? 'label');
  return { train, eval: evalSet };
}

/** The embeddings of an evaluation set through a head (or raw when head is undefined). */
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

async function runHeadTraining(options: TrainOptions, dir: string, resume: CheckpointState | undefined): Promise<TrainResult> {
  const t0 = Date.now();
  const r = resolveSettings(options);
  const progress = throttleProgress(options.onProgress);
  const signal = options.signal;
  const backend = await useTrainingBackend(options.backend ?? 'auto');
  const files = runFiles(dir);

  // 1. Data, checked before anything is written.
  const data = await prepareData(options, r);
  const trainHash = await hashFile(options.train.file);
  const evalHash = options.eval ? await hashFile(options.eval.file) : undefined;
  const encoderSpec = options.encoder ?? 'builtin';
  const id = path.basename(dir);

  // 2. The run folder.
  const startedAt = resume?.startedAt ?? new Date().toISOString();
  const summary = newRunSummary(dir, 'head', r.loss, startedAt, resume);
  const settings: TrainSettings = stripJob(options);
  await openRunFolder(dir, summary, resume, () => ({
    schemaVersion: 1,
    id,
    root: path.dirname(path.dirname(dir)),
    createdAt: startedAt,
    mode: 'head',
    options: settings,
    resolved: r,
    head: { kind: options.head?.kind ?? 'skip-linear', hidden: options.head?.hidden },
    encoder: encoderSpec,
    data: runDataRecord(options, data, { train: trainHash, eval: evalHash }, data.train.kind === 'texts' ? 0 : r.evalFraction),
    versions: { ...versions(), backend },
  }));

  let head: TrainableHead | undefined;
  let optimizer: AdamW | undefined;
  const owned: tf.Tensor[] = [];
  const heartbeat = summaryHeartbeat(dir, summary, t0, resume?.elapsedMs ?? 0);

  try {
    // 3. Embeddings, once.
    const texts = [...setTexts(data.train), ...(data.eval ? setTexts(data.eval) : [])];
    const corpus = options.encoderContext?.corpus ?? [...new Set(texts)];
    const encoderSeed = options.encoderContext?.seed ?? r.seed;
    // An encoder fitted on the corpus (the built-in one) is only reproducible from the same
    // corpus: the model keeps it, so the run can serve as an encoder anywhere.
    if (isCorpusFitted(encoderSpec)) await saveBaseCorpus(files.model, corpus, encoderSeed);
    const encoder = await resolveEncoder(encoderSpec, {
      ...(options.encoderContext ?? {}),
      corpus,
      seed: encoderSeed,
      signal,
      onProgress: options.onProgress,
    });
    let table: EmbeddingTable;
    let encoderId: string;
    try {
      table = await embedDistinct(encoder, texts, { signal, onProgress: options.onProgress });
      encoderId = encoder.id;
    } finally {
      await encoder.dispose();
    }
    const prepared: Prepared = { ...data, table, encoderId, trainHash, evalHash };
    const X = tf.tensor2d(table.matrix.data, [table.matrix.rows, table.matrix.cols]);
    owned.push(X);
    const projector = new Projector(X, table);
    const dim = table.matrix.cols;

    // Rows of each set in the table.
    const trainRows = rowIndex(prepared.train, table);
    const trainLabelNames = prepared.train.kind === 'labelled' || prepared.train.kind === 'texts' ? prepared.train.labels : undefined;
    const trainLabels = trainLabelNames ? labelIds(trainLabelNames) : undefined;
    const evalRows = prepared.eval ? rowIndex(prepared.eval, table) : undefined;
    const evalLabelIds =
      prepared.eval && (prepared.eval.kind === 'labelled' || prepared.eval.kind === 'texts') && prepared.eval.labels ? labelIds(prepared.eval.labels).ids : undefined;

    // 4. The head, the optimizer, DEC centroids.
    const headConfig = { kind: options.head?.kind ?? 'skip-linear', inputDim: dim, outputDim: dim, hidden: options.head?.hidden } as const;
    const saved = resume ? await readTensors(files.checkpointWeights) : undefined;
    const initial: HeadWeights = saved ? pickPrefix(saved, '', ['opt.', 'dec.']) : initHeadWeights(headConfig, r.seed);
    head = createHead(headConfig, initial);
    optimizer = new AdamW({ weightDecay: r.weightDecay });
    if (saved && resume) optimizer.restore(pickPrefix(saved, 'opt.'), resume.optimizerStep);
    const variables: Record<string, tf.Variable> = { ...head.variables };
    let centroids: tf.Variable<tf.Rank.R2> | undefined;
    let target: tf.Tensor2D | undefined;
    const isDec = r.loss === 'dec';
    const clusters = r.lossOptions.clusters ?? (trainLabels ? trainLabels.names.length : 8);
    if (isDec) {
      if (saved?.['dec.centroids']) centroids = tf.variable(tf.tensor2d(saved['dec.centroids'].data, saved['dec.centroids'].shape as [number, number]), true);
      else {
        const km = await kmeans(projector.project(trainRows.a, head), { k: clusters, seed: r.seed, signal });
        centroids = tf.variable(tf.tensor2d(km.centroids.data, [km.centroids.rows, km.centroids.cols]), true);
      }
      variables['dec.centroids'] = centroids;
      if (saved?.['dec.target']) target = tf.tensor2d(saved['dec.target'].data, saved['dec.target'].shape as [number, number]);
    }

    // 5. Evaluation.
    const evaluate = async (withHead: boolean): Promise<EvalMetrics> => {
      if (!prepared.eval || !evalRows) return {};
      const h = withHead ? head : undefined;
      const ev = prepared.eval;
      if (ev.kind === 'scored') return evalScoredPairs(projector.project(evalRows.a, h), projector.project(evalRows.b!, h), ev.scores);
      if (ev.kind === 'pairs') return evalPairs(projector.project(evalRows.a, h), projector.project(evalRows.b!, h));
      if (ev.kind === 'labelled') return evalLabelGroups(projector.project(evalRows.a, h), evalLabelIds!, r.seed);
      if (!evalLabelIds) return {};
      const z = projector.project(evalRows.a, h);
      if (!withHead || !centroids) {
        const km = await kmeans(z, { k: clusters, seed: r.seed, signal });
        return evalClusters(km.labels, evalLabelIds);
      }
      const assign = tf.tidy(() => tf.argMax(decSoftAssignment(tf.tensor2d(z.data, [z.rows, z.cols]), centroids!, { alpha: r.lossOptions.alpha }), 1));
      const labels = Int32Array.from(assign.dataSync());
      assign.dispose();
      return evalClusters(labels, evalLabelIds);
    };

    if (!resume) {
      progress({ stage: 'evaluate', done: 0, total: 1, message: 'before training' });
      summary.before = await evaluate(false);
      appendMetric(dir, { step: 0, eval: summary.before, before: true });
    }

    // 6. The plan.
    const { plan, epochStart, totalSteps, warmup, evalEvery, checkpointEvery } = stepSchedule(
      { set: prepared.train, rowsA: trainRows.a, rowsB: trainRows.b, labelIds: trainLabels?.ids },
      r,
      options,
    );
    summary.totalSteps = totalSteps;

    let step = resume?.step ?? 0;
    let epoch = epochOfStep(epochStart, step);
    let lastLoss: number | undefined;
    let lastEvalStep = resume?.best?.step ?? 0;
    let modelSaved = resume?.best !== undefined;

    const saveModel = async (weights: HeadWeights, atStep: number) => {
      await saveHeadModel(files.model, { baseEncoder: encoderSpec, baseEncoderId: encoderId, normalizeInput: true, head: head!.config, run: id, step: atStep }, weights);
      modelSaved = true;
    };
    const saveCheckpoint = async () => {
      const tensors: HeadWeights = { ...readHeadWeights(head!) };
      for (const [k, v] of Object.entries(optimizer!.state())) tensors[`opt.${k}`] = v;
      if (centroids) tensors['dec.centroids'] = { shape: [...centroids.shape], data: new Float32Array(centroids.dataSync()) };
      if (target) tensors['dec.target'] = { shape: [...target.shape], data: new Float32Array(target.dataSync()) };
      await writeTensors(files.checkpointWeights, tensors);
      const elapsedMs = (resume?.elapsedMs ?? 0) + (Date.now() - t0);
      await writeJsonAtomic(files.checkpointState, checkpointState(summary, { step, epoch, optimizerStep: optimizer!.step, startedAt, elapsedMs }));
    };
    const runEval = async () => {
      progress({ stage: 'evaluate', done: step, total: totalSteps });
      const m = await evaluate(true);
      lastEvalStep = step;
      if (recordEvaluation(dir, summary, step, epoch, m)) await saveModel(readHeadWeights(head!), step);
      await heartbeat(true);
    };

    const trainTime = Date.now();
    try {
      for (; epoch < plan.length && step < totalSteps; epoch++) {
        const { batches, positives } = plan[epoch];
        const firstIndex = step - epochStart[epoch];
        if (isDec && (firstIndex === 0 || !target)) {
          target?.dispose();
          const z = projector.project(trainRows.a, head);
          target = tf.tidy(() => decTargetDistribution(decSoftAssignment(tf.tensor2d(z.data, [z.rows, z.cols]), centroids!, { alpha: r.lossOptions.alpha })));
        }
        for (let bi = Math.max(0, firstIndex); bi < batches.length && step < totalSteps; bi++) {
          await checkpoint(signal);
          const batch = batches[bi];
          const lr = linearWarmupDecay(step, totalSteps, warmup, r.lr);
          const idx = Int32Array.from(batch);
          const { value, grads } = tf.variableGrads(() => {
            const lossBatch = buildBatch(prepared.train, trainRows, idx, positives, trainLabels?.ids, X, head!, target, centroids);
            return computeLoss(r.loss, lossBatch, r.lossOptions);
          }, Object.values(variables));
          const named: Record<string, tf.Tensor> = {};
          for (const [name, v] of Object.entries(variables)) named[name] = grads[v.name];
          optimizer.apply(variables, named, lr, head.decayed);
          lastLoss = value.dataSync()[0];
          tf.dispose([value, ...Object.values(grads)]);
          if (!Number.isFinite(lastLoss)) throw new Error(`the loss became ${lastLoss} at step ${step + 1}; lower --lr`);
          step++;
          summary.step = step;
          summary.lastLoss = lastLoss;
          appendMetric(dir, { step, epoch, loss: lastLoss, lr, ms: Date.now() - trainTime });
          progress({ stage: 'train', done: step, total: totalSteps, message: `epoch ${epoch + 1}/${r.epochs} loss ${lastLoss.toFixed(4)}` });
          if (step % evalEvery === 0 || step === totalSteps) await runEval();
          if (step % checkpointEvery === 0 || step === totalSteps) await saveCheckpoint();
          await heartbeat();
        }
      }
      if (lastEvalStep !== step) await runEval();
      if (!modelSaved) await saveModel(readHeadWeights(head), step);
      summary.status = 'completed';
    } catch (e) {
      if (!isCancelledError(e)) throw e;
      await saveCheckpoint();
      if (!modelSaved) await saveModel(readHeadWeights(head), step);
      summary.status = 'cancelled';
    }
    summary.finishedAt = new Date().toISOString();
    await heartbeat(true);
    return loopResult(dir, summary, step, totalSteps, backend);
  } catch (e) {
    return await endStoppedRun(e, dir, summary, heartbeat, backend);
  } finally {
    if (head) disposeHead(head);
    optimizer?.dispose();
    tf.dispose(owned);
  }
}

interface SetRows {
  a: Int32Array;
  b?: Int32Array;
}

function rowIndex(set: TrainingSet, table: EmbeddingTable): SetRows {
  if (set.kind === 'scored') return { a: rowsOf(table, set.text1), b: rowsOf(table, set.text2) };
  if (set.kind === 'pairs') return { a: rowsOf(table, set.anchors), b: rowsOf(table, set.positives) };
  return { a: rowsOf(table, set.texts) };
}

function gatherRows(x: tf.Tensor2D, rows: ArrayLike<number>): tf.Tensor2D {
  return tf.gather(x, tf.tensor1d(Int32Array.from(rows as ArrayLike<number>), 'int32')) as tf.Tensor2D;
}

/** The head outputs and targets of one batch (inside the gradient scope). */
function buildBatch(
  set: TrainingSet,
  rows: SetRows,
  idx: Int32Array,
  positives: Int32Array | undefined,
  labels: Int32Array | undefined,
  x: tf.Tensor2D,
  head: TrainableHead,
  target: tf.Tensor2D | undefined,
  centroids: tf.Variable<tf.Rank.R2> | undefined,
): LossBatch {
  const pick = (r: Int32Array) => Int32Array.from(idx, (i) => r[i]);
  const n = idx.length;
  // Both sides of the pairs go through the head in one pass.
  const both = (a: Int32Array, b: Int32Array) => {
    const joined = new Int32Array(2 * n);
    joined.set(a, 0);
    joined.set(b, n);
    const y = head.apply(gatherRows(x, joined));
    return { a: tf.slice(y, [0, 0], [n, -1]) as tf.Tensor2D, b: tf.slice(y, [n, 0], [n, -1]) as tf.Tensor2D };
  };
  if (set.kind === 'scored') return { ...both(pick(rows.a), pick(rows.b!)), scores: tf.tensor1d(Float32Array.from(idx, (i) => set.scores[i])) };
  if (set.kind === 'pairs') return both(pick(rows.a), pick(rows.b!));
  if (set.kind === 'labelled' && positives) {
    const lab = Int32Array.from(idx, (i) => labels![i]);
    const mask = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && lab[i] === lab[j]) mask[i * n + j] = 1;
    return {
      ...both(pick(rows.a), Int32Array.from(idx, (i) => rows.a[positives[i]])),
      falseNegatives: tf.tensor2d(mask, [n, n]),
    };
  }
  if (set.kind === 'labelled')
    return { a: head.apply(gatherRows(x, pick(rows.a))), labels: tf.tensor1d(Int32Array.from(idx, (i) => labels![i]), 'int32') };
  return {
    a: head.apply(gatherRows(x, pick(rows.a))),
    target: tf.gather(target!, tf.tensor1d(idx, 'int32')) as tf.Tensor2D,
    centroids,
  };
}

function pickPrefix(t: HeadWeights, prefix: string, exclude: string[] = []): HeadWeights {
  const out: HeadWeights = {};
  for (const [k, v] of Object.entries(t)) {
    if (exclude.some((e) => k.startsWith(e))) continue;
    if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  }
  return out;
}

export function stripJob(o: TrainOptions): TrainSettings {
  const { signal: _s, onProgress: _p, root: _r, runId: _i, encoderContext, ...rest } = o;
  void _s;
  void _p;
  void _r;
  void _i;
  void encoderContext;
  return JSON.parse(JSON.stringify(rest)) as TrainSettings;
}
