/**
 * A full-mode run: every weight of a BERT-family encoder trains in TensorFlow.js. The base
 * model and the data are checked before anything is written; the run's config.json records
 * the model's shape and weights; the transformer (transformer-trainable.ts) is handed to the
 * training loop shared with head mode (../loop.ts): the same batch plan, losses, AdamW with
 * warm-up then linear decay, evaluation every N steps, best checkpoint, cancel within one
 * step and resume. The kept model is a sentence-transformers folder under runs/<id>/model/.
 */
import * as path from 'node:path';
import { useTrainingBackend, wasmBuildInfo } from '../backend';
import { InputError } from '../../util/errors';
import { sha256File } from '../../util/hash-file';
import { newRunDir, runFiles } from '../runs';
import { versions } from '../versions';
import { dataSkips, runDataRecord, runIdFor } from '../run-record';
import { resolveSettings, stripJob, type CheckpointState, type TrainOptions, type TrainResult } from '../settings';
import { prepareData } from '../prepare-data';
import { runTrainingLoop } from '../loop';
import { locateTrainableFolder, readTrainableFolder, type TrainableFolder } from './model-source';
import { checkExportable, untrainedBaseTensors } from './export';
import { openTransformerTrainable } from './transformer-trainable';
import { checkStepMemory, type MemoryRecord } from './memory-check';
import { TRAIN_DEFAULTS } from '../../defaults';

/** The default peak learning rate in full mode (head mode's 1e-3 would wreck a pretrained transformer). */
export const FULL_DEFAULT_LR = TRAIN_DEFAULTS.fullLearningRate;

/** Train (or resume, given the run folder and its checkpoint state) in full mode. */
export async function trainFull(options: TrainOptions, resumeFrom?: { dir: string; state?: CheckpointState }): Promise<TrainResult> {
  const t0 = Date.now();
  if (options.loss === 'dec') throw new InputError('the dec loss trains in head mode only (--mode head)', { field: 'loss' });
  const asked = resolveSettings({ ...options, lr: options.lr ?? FULL_DEFAULT_LR });
  const resume = resumeFrom?.state;
  const root = path.resolve(options.root);
  const dir = resumeFrom?.dir ?? (await newRunDir(root, runIdFor(options), options.overwrite));
  const files = runFiles(dir);

  // The base model and the data, checked before anything is written.
  const context = { projectDir: root, ...(options.encoderContext ?? {}), signal: options.signal, onProgress: options.onProgress };
  const baseDir = await locateTrainableFolder(options.encoder, context);
  const folder: TrainableFolder = readTrainableFolder(baseDir);
  if (options.dropout !== undefined) {
    if (!(options.dropout >= 0 && options.dropout < 1)) throw new InputError(`dropout must be in [0, 1), got ${options.dropout}`, { field: 'dropout' });
    folder.dropout = { hidden: options.dropout, attention: options.dropout };
  }
  checkExportable(folder);
  const data = await prepareData(options, asked);
  const r = data.resolved;
  const train = data.train;
  if (train.kind === 'texts') throw new InputError('full mode does not train on plain texts', { field: 'loss' });
  const backend = await useTrainingBackend(options.backend ?? 'auto');
  // The wasm backend has 4 GB: check a step fits before anything trains (a resumed run keeps its recorded choice).
  let memory: MemoryRecord | undefined;
  let runOptions = options;
  if (backend === 'wasm' && !resume) {
    const decision = checkStepMemory(folder, train, { loss: r.loss, batchSize: r.batchSize, miniBatch: options.miniBatch }, options.memoryBudgetBytes);
    memory = decision.record;
    if (decision.message) {
      options.onProgress?.({ stage: 'warning', done: 0, total: 0, message: decision.message });
      runOptions = { ...options, miniBatch: decision.record.miniBatch };
    }
  }
  const trainHash = await sha256File(options.train.file);
  const evalHash = options.eval ? await sha256File(options.eval.file) : undefined;

  return runTrainingLoop({
    dir,
    mode: 'full',
    options: runOptions,
    resolved: r,
    resume,
    backend,
    t0,
    skipped: dataSkips(options, data),
    notes: data.notes,
    config: async ({ id, startedAt }) => ({
      schemaVersion: 1,
      id,
      root: path.dirname(path.dirname(dir)),
      createdAt: startedAt,
      mode: 'full',
      options: stripJob(runOptions),
      resolved: r,
      ...(memory ? { memory } : {}),
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
      // The wasm build (threaded or not, and why not) says how the steps ran.
      versions: { ...versions(), backend, ...(backend === 'wasm' ? { wasm: wasmBuildInfo() } : {}) },
    }),
    open: async (saved) =>
      openTransformerTrainable({ options: runOptions, resolved: r, train, eval: data.eval, folder, modelDir: files.model, checkpointFile: files.checkpointWeights }, saved),
  });
}
