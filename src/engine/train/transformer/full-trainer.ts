/**
 * Fine-tuning in full mode: every weight of a BERT-family encoder trains in TensorFlow.js.
 * The run machinery is head mode's (trainer.ts): the same settings, data checks, batch plan,
 * losses, AdamW with warm-up then linear decay, evaluation every N steps, best checkpoint,
 * cancel within one step and resume. What differs: each step runs the texts of its batch
 * through the transformer (with dropout), and the kept model is a sentence-transformers folder
 * (model.safetensors + onnx/model.onnx) under runs/<id>/model/.
 */
import * as path from 'node:path';
import { tf, useTrainingBackend } from '../backend';
import { checkpoint, isCancelledError, throttleProgress } from '../../util/job';
import { InputError } from '../../util/errors';
import { normalizeRows, selectRows } from '../../util/matrix';
import type { LossBatch } from '../losses/index';
import type { TrainingSet } from '../training-data';
import { sha256File } from '../../util/hash-file';
import { AdamW, linearWarmupDecay } from '../adamw';
import { evalLabelGroups, evalPairs, evalScoredPairs, labelIds, type EvalMetrics } from '../evaluate';
import { appendMetric, newRunDir, runFiles } from '../runs';
import { writeJsonAtomic } from '../../util/fs';
import { readTensors, writeTensors } from '../tensor-file';
import type { HeadWeights } from '../heads/index';
import { versions } from '../versions';
import { checkpointState, dataSkips, endStoppedRun, epochOfStep, loopResult, newRunSummary, openRunFolder, recordEvaluation, runDataRecord, runIdFor, stepSchedule, summaryHeartbeat } from '../run-record';
import { resolveSettings, stripJob, type CheckpointState, type TrainOptions, type TrainResult } from '../settings';
import { prepareData } from '../prepare-data';
import type { BertWeights } from '../../onnx/bert-weights';
import { bertWeightShapes } from '../../onnx/bert-weights';
import { stepGradients } from './step-gradients';
import { locateTrainableFolder, loadFolderWeights, readTrainableFolder, type TrainableFolder } from './model-source';
import { SentenceModel } from './sentence-model';
import { checkExportable, exportSentenceModel, untrainedBaseTensors } from './export';
import { TRAIN_DEFAULTS } from '../../defaults';

/** The default peak learning rate in full mode (head mode's 1e-3 would wreck a pretrained transformer). */
export const FULL_DEFAULT_LR = TRAIN_DEFAULTS.fullLearningRate;

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

/** The texts of one batch, all sides joined (one forward pass), and how to cut the embeddings back into the loss batch. */
function batchTexts(
  set: TrainingSet,
  index: TextIndex,
  idx: readonly number[],
  positives: Int32Array | undefined,
  labels: Int32Array | undefined,
): { texts: string[]; build: (y: tf.Tensor2D) => LossBatch } {
  const n = idx.length;
  const pick = (rows: Int32Array, at: readonly number[]) => at.map((i) => index.texts[rows[i]]);
  const split = (y: tf.Tensor2D) => ({ a: tf.slice(y, [0, 0], [n, -1]) as tf.Tensor2D, b: tf.slice(y, [n, 0], [n, -1]) as tf.Tensor2D });
  if (set.kind === 'scored') {
    const scores = Float32Array.from(idx, (i) => set.scores[i]);
    return { texts: [...pick(index.a, idx), ...pick(index.b!, idx)], build: (y) => ({ ...split(y), scores: tf.tensor1d(scores) }) };
  }
  if (set.kind === 'pairs') return { texts: [...pick(index.a, idx), ...pick(index.b!, idx)], build: split };
  if (set.kind === 'labelled' && positives) {
    const lab = idx.map((i) => labels![i]);
    const mask = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && lab[i] === lab[j]) mask[i * n + j] = 1;
    return {
      texts: [...pick(index.a, idx), ...pick(index.a, idx.map((i) => positives[i]))],
      build: (y) => ({ ...split(y), falseNegatives: tf.tensor2d(mask, [n, n]) }),
    };
  }
  if (set.kind === 'labelled') {
    const lab = Int32Array.from(idx, (i) => labels![i]);
    return { texts: pick(index.a, idx), build: (y) => ({ a: y, labels: tf.tensor1d(lab, 'int32') }) };
  }
  throw new InputError('full mode does not train on plain texts (the dec loss trains in head mode)', { field: 'loss' });
}

/** Embeddings of an evaluation set's texts with the current weights (rows L2-normalised for cosine metrics). */
async function evaluateModel(model: SentenceModel, set: TrainingSet | undefined, seed: number, signal?: AbortSignal): Promise<EvalMetrics> {
  if (!set) return {};
  const index = indexTexts(set);
  const m = normalizeRows(await model.encode(index.texts, { signal }));
  const rows = (r: Int32Array) => selectRows(m, r);
  if (set.kind === 'scored') return evalScoredPairs(rows(index.a), rows(index.b!), set.scores);
  if (set.kind === 'pairs') return evalPairs(rows(index.a), rows(index.b!));
  if (set.kind === 'labelled') return evalLabelGroups(rows(index.a), labelIds(set.labels).ids, seed);
  return {};
}

function weightsToTensors(weights: BertWeights, shapes: Map<string, number[]>, prefix: string): HeadWeights {
  const out: HeadWeights = {};
  for (const [name, data] of weights) out[prefix + name] = { shape: shapes.get(name)!, data };
  return out;
}

/** Train (or resume, given the run folder and its checkpoint state) in full mode. */
export async function trainFull(options: TrainOptions, resumeFrom?: { dir: string; state?: CheckpointState }): Promise<TrainResult> {
  const t0 = Date.now();
  if (options.loss === 'dec') throw new InputError('the dec loss trains in head mode only (--mode head)', { field: 'loss' });
  const r = resolveSettings({ ...options, lr: options.lr ?? FULL_DEFAULT_LR });
  const resume = resumeFrom?.state;
  const root = path.resolve(options.root);
  const dir = resumeFrom?.dir ?? (await newRunDir(root, runIdFor(options), options.overwrite));
  const progress = throttleProgress(options.onProgress);
  const signal = options.signal;
  const files = runFiles(dir);

  // 1. The base model and the data, checked before anything is written.
  const context = { projectDir: root, ...(options.encoderContext ?? {}), signal, onProgress: options.onProgress };
  const baseDir = await locateTrainableFolder(options.encoder, context);
  const folder: TrainableFolder = readTrainableFolder(baseDir);
  if (options.dropout !== undefined) {
    if (!(options.dropout >= 0 && options.dropout < 1)) throw new InputError(`dropout must be in [0, 1), got ${options.dropout}`, { field: 'dropout' });
    folder.dropout = { hidden: options.dropout, attention: options.dropout };
  }
  checkExportable(folder);
  const data = await prepareData(options, r);
  if (data.train.kind === 'texts') throw new InputError('full mode does not train on plain texts', { field: 'loss' });
  const backend = await useTrainingBackend(options.backend ?? 'auto');
  const trainHash = await sha256File(options.train.file);
  const evalHash = options.eval ? await sha256File(options.eval.file) : undefined;

  // 2. The run folder.
  const startedAt = resume?.startedAt ?? new Date().toISOString();
  const summary = newRunSummary(dir, 'full', r.loss, startedAt, resume, dataSkips(options, data));
  const shapes = bertWeightShapes(folder.config);
  await openRunFolder(dir, summary, resume, async () => ({
    schemaVersion: 1,
    id: summary.id,
    root: path.dirname(path.dirname(dir)),
    createdAt: startedAt,
    mode: 'full',
    options: stripJob(options),
    resolved: r,
    encoder: options.encoder,
    model: {
      folder: baseDir,
      modelType: folder.modelType,
      weightsFrom: folder.weightsFrom,
      weightsFile: folder.weightsFile,
      weightsSha256: await sha256File(folder.weightsFile),
      untrainedTensors: untrainedBaseTensors(folder),
      layers: folder.config.numHiddenLayers,
      hidden: folder.config.hiddenSize,
      heads: folder.config.numAttentionHeads,
      intermediate: folder.config.intermediateSize,
      vocab: folder.config.vocabSize,
      pooling: folder.pooling.modes,
      normalize: folder.normalize,
      maxSeqLength: folder.maxSeqLength,
      dropout: folder.dropout,
    },
    data: runDataRecord(options, data, { train: trainHash, eval: evalHash }, r.evalFraction),
    versions: { ...versions(), backend },
  }), options.overwrite);

  let model: SentenceModel | undefined;
  let optimizer: AdamW | undefined;
  const heartbeat = summaryHeartbeat(dir, summary, t0, resume?.elapsedMs ?? 0);

  try {
    // 3. The model and the optimizer (from the checkpoint when resuming).
    const saved = resume ? await readTensors(files.checkpointWeights) : undefined;
    let weights: BertWeights;
    if (saved) {
      weights = new Map();
      for (const name of shapes.keys()) {
        const t = saved[`w.${name}`];
        if (!t) throw new InputError(`the checkpoint lacks the weight ${name}`, { file: files.checkpointWeights });
        weights.set(name, t.data);
      }
    } else weights = loadFolderWeights(folder);
    model = SentenceModel.fromWeights(folder, weights);
    const bert = model.bert;
    optimizer = new AdamW({ weightDecay: r.weightDecay });
    if (saved && resume) {
      const moments: HeadWeights = {};
      for (const [k, v] of Object.entries(saved)) if (k.startsWith('opt.')) moments[k.slice(4)] = v;
      optimizer.restore(moments, resume.optimizerStep);
    }
    const variables = bert.variables;

    const train = data.train;
    const index = indexTexts(train);
    const trainLabels = train.kind === 'labelled' ? labelIds(train.labels) : undefined;
    const evaluate = () => evaluateModel(model!, data.eval, r.seed, signal);

    if (!resume) {
      progress({ stage: 'evaluate', done: 0, total: 1, message: 'before training' });
      summary.before = await evaluate();
      appendMetric(dir, { step: 0, eval: summary.before, before: true });
    }

    // 4. The plan (the same batches as head mode for the same data and seed).
    const { plan, epochStart, totalSteps, warmup, evalEvery, checkpointEvery } = stepSchedule({ set: train, rowsA: index.a, rowsB: index.b, labelIds: trainLabels?.ids }, r, options);
    summary.totalSteps = totalSteps;

    let step = resume?.step ?? 0;
    let epoch = epochOfStep(epochStart, step);
    let lastEvalStep = resume?.best?.step ?? 0;
    let modelSaved = resume?.best !== undefined;

    const saveModel = () => {
      exportSentenceModel(files.model, folder, bert.readWeights());
      modelSaved = true;
    };
    const saveCheckpoint = async () => {
      const tensors: HeadWeights = weightsToTensors(bert.readWeights(), shapes, 'w.');
      for (const [k, v] of Object.entries(optimizer!.state())) tensors[`opt.${k}`] = v;
      await writeTensors(files.checkpointWeights, tensors, { format: 'embedlab-full-checkpoint' });
      const elapsedMs = (resume?.elapsedMs ?? 0) + (Date.now() - t0);
      await writeJsonAtomic(files.checkpointState, checkpointState(summary, { step, epoch, optimizerStep: optimizer!.step, startedAt, elapsedMs }));
    };
    const runEval = async () => {
      progress({ stage: 'evaluate', done: step, total: totalSteps });
      const m = await evaluate();
      lastEvalStep = step;
      if (recordEvaluation(dir, summary, step, epoch, m)) saveModel();
      await heartbeat(true);
    };

    const trainTime = Date.now();
    try {
      for (; epoch < plan.length && step < totalSteps; epoch++) {
        const { batches, positives } = plan[epoch];
        for (let bi = Math.max(0, step - epochStart[epoch]); bi < batches.length && step < totalSteps; bi++) {
          await checkpoint(signal);
          const lr = linearWarmupDecay(step, totalSteps, warmup, r.lr);
          const { texts, build } = batchTexts(train, index, batches[bi], positives, trainLabels?.ids);
          const { loss, grads } = stepGradients({
            model,
            texts,
            build,
            loss: r.loss,
            lossOptions: r.lossOptions,
            dropoutSeed: r.seed * 7919 + step + 1,
            miniBatch: options.miniBatch,
          });
          if (!Number.isFinite(loss)) {
            tf.dispose(Object.values(grads));
            throw new Error(`the loss became ${loss} at step ${step + 1}; lower --lr`);
          }
          optimizer.apply(variables, grads, lr, bert.decayed);
          tf.dispose(Object.values(grads));
          const longest = Math.max(...texts.map((t) => model!.tokens(t).length));
          step++;
          summary.step = step;
          summary.lastLoss = loss;
          appendMetric(dir, { step, epoch, loss, lr, texts: texts.length, sequence: longest, ms: Date.now() - trainTime });
          progress({ stage: 'train', done: step, total: totalSteps, message: `epoch ${epoch + 1}/${r.epochs} loss ${loss.toFixed(4)}` });
          if (step % evalEvery === 0 || step === totalSteps) await runEval();
          if (step % checkpointEvery === 0 || step === totalSteps) await saveCheckpoint();
          await heartbeat();
        }
      }
      if (lastEvalStep !== step) await runEval();
      if (!modelSaved) saveModel();
      summary.status = 'completed';
    } catch (e) {
      if (!isCancelledError(e)) throw e;
      await saveCheckpoint();
      if (!modelSaved) saveModel();
      summary.status = 'cancelled';
    }
    summary.finishedAt = new Date().toISOString();
    await heartbeat(true);
    return loopResult(dir, summary, step, totalSteps, backend);
  } catch (e) {
    return await endStoppedRun(e, dir, summary, heartbeat, backend);
  } finally {
    model?.dispose();
    optimizer?.dispose();
  }
}
