/**
 * The training loop of every mode. A mode plugs in a TrainableModel (its step, evaluation,
 * saved model and checkpoint tensors); the loop owns the rest: the run folder and its
 * summary heartbeat, the evaluation of the starting point, the batch plan and step schedule
 * (epochs, warm-up then linear decay), a cancel that stops within one step, the non-finite
 * loss error, one metrics line per step and per evaluation, the evaluation and checkpoint
 * cadence, which model to keep (the best evaluation, or the latest for DEC), early stopping
 * (after `patience` evaluations without improvement the run ends, keeping its best model, and
 * its summary records the best epoch and that it stopped early), resuming from the last
 * checkpoint at the same step and batch, and the run's result.
 */
import * as path from 'node:path';
import type { TrainingBackend } from './backend';
import { checkpoint, isCancelledError, throttleProgress } from '../util/job';
import { writeJsonAtomic } from '../util/fs';
import { linearWarmupDecay } from './adamw';
import type { EvalMetrics } from './evaluate';
import type { HeadWeights } from './heads/index';
import type { PlanInput } from './plan';
import { appendMetric, runFiles, type DataSkips } from './runs';
import { readTensors } from './tensor-file';
import { checkpointState, endStoppedRun, epochOfStep, loopResult, newRunSummary, openRunFolder, recordEvaluation, stepSchedule, summaryHeartbeat } from './run-record';
import type { CheckpointState, Resolved, TrainMode, TrainOptions, TrainResult } from './settings';

/** The checkpoint a resumed run starts from: its tensors (as the model wrote them) and the optimizer's step count. */
export interface SavedCheckpoint {
  tensors: HeadWeights;
  optimizerStep: number;
}

/** What the batch plan is drawn from: the training set and its rows (texts as ids, for the no-duplicate batches). */
export type PlanRows = Pick<PlanInput, 'set' | 'rowsA' | 'rowsB' | 'labelIds'>;

/** One step's batch. */
export interface StepBatch {
  /** Examples of the training set. */
  examples: readonly number[];
  /** Label-grouped MNR: the example drawn as positive for each example this epoch. */
  positives?: Int32Array;
  /** Steps done before this one. */
  step: number;
  epoch: number;
}

export interface StepResult {
  /** The batch's loss (not finite: the loop stops the run with an error). */
  loss: number;
  /** More fields for the step's metrics line, after `lr`. */
  metrics?: Record<string, number>;
}

/** A model the loop trains. */
export interface TrainableModel {
  readonly planRows: PlanRows;
  /** One optimisation step on the batch at learning rate `lr`; a non-finite loss leaves the weights as they were. */
  step(batch: StepBatch, lr: number): StepResult | Promise<StepResult>;
  /** Metrics on the evaluation data; `trained` false for the starting point (head mode: the base embeddings). */
  evaluate(trained: boolean): Promise<EvalMetrics>;
  /** An epoch starts (`fromStart`) or resumes part-way. DEC refreshes its target distribution here. */
  beginEpoch?(epoch: number, fromStart: boolean): Promise<void> | void;
  /** Writes the model the run keeps (runs/<id>/model/), as of `step`. */
  saveModel(step: number): Promise<void> | void;
  /** Writes the weights and optimizer state to resume from; returns the optimizer's step count. */
  saveCheckpoint(file: string): Promise<number>;
  dispose(): void;
}

export interface LoopRun {
  dir: string;
  mode: TrainMode;
  options: TrainOptions;
  resolved: Resolved;
  /** The state of the checkpoint to resume from. */
  resume?: CheckpointState;
  backend: TrainingBackend;
  /** When this session started (Date.now()). */
  t0: number;
  skipped?: DataSkips;
  /** What the run chose and warned about (the summary's notes). */
  notes?: string[];
  /** The config.json of a new run (called only then). */
  config: (run: { id: string; startedAt: string }) => Promise<object> | object;
  /** Builds the model once the run folder is open, from the checkpoint when resuming. */
  open: (saved: SavedCheckpoint | undefined) => Promise<TrainableModel>;
}

/** Runs (or resumes) a training run to completion or cancel; a failure is recorded in the summary and thrown. */
export async function runTrainingLoop(run: LoopRun): Promise<TrainResult> {
  const { dir, options, resolved: r, resume, backend, t0 } = run;
  const progress = throttleProgress(options.onProgress);
  const signal = options.signal;
  const files = runFiles(dir);

  const startedAt = resume?.startedAt ?? new Date().toISOString();
  const summary = newRunSummary(dir, run.mode, r.loss, startedAt, resume, run.skipped);
  summary.epochs = r.epochs;
  if (run.notes?.length) summary.notes = run.notes;
  await openRunFolder(dir, summary, resume, () => run.config({ id: path.basename(dir), startedAt }), options.overwrite);
  const heartbeat = summaryHeartbeat(dir, summary, t0, resume?.elapsedMs ?? 0);

  let model: TrainableModel | undefined;
  try {
    const saved = resume ? { tensors: await readTensors(files.checkpointWeights), optimizerStep: resume.optimizerStep } : undefined;
    const m = (model = await run.open(saved));

    if (!resume) {
      progress({ stage: 'evaluate', done: 0, total: 1, message: 'before training' });
      summary.before = await m.evaluate(false);
      appendMetric(dir, { step: 0, eval: summary.before, before: true });
    }

    const { plan, epochStart, totalSteps, warmup, evalEvery, checkpointEvery } = stepSchedule(m.planRows, r, options);
    summary.totalSteps = totalSteps;

    let step = resume?.step ?? 0;
    let epoch = epochOfStep(epochStart, step);
    let lastEvalStep = resume?.best?.step ?? 0;
    let modelSaved = resume?.best !== undefined;
    let evalsSinceBest = resume?.evalsSinceBest ?? 0;
    let stopEarly = false;

    const saveModel = async () => {
      await m.saveModel(step);
      modelSaved = true;
    };
    const saveCheckpoint = async () => {
      const optimizerStep = await m.saveCheckpoint(files.checkpointWeights);
      const elapsedMs = (resume?.elapsedMs ?? 0) + (Date.now() - t0);
      await writeJsonAtomic(files.checkpointState, checkpointState(summary, { step, epoch, optimizerStep, startedAt, elapsedMs, evalsSinceBest }));
    };
    const runEval = async () => {
      progress({ stage: 'evaluate', done: step, total: totalSteps });
      const metrics = await m.evaluate(true);
      lastEvalStep = step;
      if (recordEvaluation(dir, summary, step, epoch, metrics)) {
        evalsSinceBest = 0;
        await saveModel();
      } else {
        evalsSinceBest++;
        // The best model is already saved; a run that no longer improves ends here.
        if (r.patience > 0 && evalsSinceBest >= r.patience && step < totalSteps) stopEarly = true;
      }
      await heartbeat(true);
    };

    const trainTime = Date.now();
    try {
      for (; epoch < plan.length && step < totalSteps; epoch++) {
        const { batches, positives } = plan[epoch];
        const firstIndex = step - epochStart[epoch];
        await m.beginEpoch?.(epoch, firstIndex === 0);
        for (let bi = Math.max(0, firstIndex); bi < batches.length && step < totalSteps; bi++) {
          await checkpoint(signal);
          const lr = linearWarmupDecay(step, totalSteps, warmup, r.lr);
          const { loss, metrics } = await m.step({ examples: batches[bi], positives, step, epoch }, lr);
          if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss} at step ${step + 1}; lower --lr`);
          step++;
          summary.step = step;
          summary.lastLoss = loss;
          appendMetric(dir, { step, epoch, loss, lr, ...metrics, ms: Date.now() - trainTime });
          progress({ stage: 'train', done: step, total: totalSteps, message: `epoch ${epoch + 1}/${r.epochs} loss ${loss.toFixed(4)}` });
          if (step % evalEvery === 0 || step === totalSteps) await runEval();
          if (step % checkpointEvery === 0 || step === totalSteps || stopEarly) await saveCheckpoint();
          await heartbeat();
          if (stopEarly) break;
        }
        if (stopEarly) break;
      }
      if (stopEarly) summary.stoppedEarly = { step, epochs: epoch + 1, patience: r.patience };
      if (lastEvalStep !== step) await runEval();
      if (!modelSaved) await saveModel();
      summary.status = 'completed';
    } catch (e) {
      if (!isCancelledError(e)) throw e;
      await saveCheckpoint();
      if (!modelSaved) await saveModel();
      summary.status = 'cancelled';
    }
    summary.finishedAt = new Date().toISOString();
    await heartbeat(true);
    return loopResult(dir, summary, step, totalSteps, backend);
  } catch (e) {
    return await endStoppedRun(e, dir, summary, heartbeat, backend);
  } finally {
    model?.dispose();
  }
}
