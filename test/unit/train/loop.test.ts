import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './helpers';
import { runTrainingLoop, type LoopRun, type PlanRows, type SavedCheckpoint, type StepBatch, type StepResult, type TrainableModel } from '../../../src/engine/train/loop';
import { resolveSettings, type CheckpointState, type TrainOptions } from '../../../src/engine/train/settings';
import { newRunDir, readMetrics, readSummary, runFiles } from '../../../src/engine/train/runs';
import { writeTensors } from '../../../src/engine/train/tensor-file';
import { readJson } from '../../../src/engine/util/fs';
import type { EvalMetrics } from '../../../src/engine/train/evaluate';
import type { TrainingSet } from '../../../src/engine/train/training-data';

const N = 40;

/** 40 scored pairs: with batch 8, five batches an epoch. */
function scoredSet(): TrainingSet {
  return {
    kind: 'scored',
    file: 'fake.jsonl',
    text1: Array.from({ length: N }, (_, i) => `a${i}`),
    text2: Array.from({ length: N }, (_, i) => `b${i}`),
    scores: Float32Array.from({ length: N }, (_, i) => (i % 5) / 4),
    skipped: { skipped: 0, skippedByReason: {}, skippedRows: [] },
  };
}

interface FakeScript {
  /** The loss of a step (0-based step index). */
  loss?: (step: number) => number;
  /** The primary metric of the n-th evaluation after training starts (1-based). */
  metric?: (n: number) => EvalMetrics;
  /** Called inside a step (0-based step index). */
  during?: (step: number) => void;
}

/** A model whose one "weight" counts the learning rate applied; it records what the loop asks of it. */
class FakeModel implements TrainableModel {
  readonly planRows: PlanRows;
  weight = 0;
  optimizerStep = 0;
  evaluations = 0;
  readonly batches: number[][] = [];
  readonly savedAt: number[] = [];
  readonly checkpointsAt: number[] = [];
  readonly epochsBegun: [number, boolean][] = [];
  disposed = false;

  constructor(
    private readonly script: FakeScript,
    saved: SavedCheckpoint | undefined,
  ) {
    const set = scoredSet();
    this.planRows = { set, rowsA: Int32Array.from({ length: N }, (_, i) => i), rowsB: Int32Array.from({ length: N }, (_, i) => N + i) };
    if (saved) {
      this.weight = saved.tensors.w.data[0];
      this.optimizerStep = saved.optimizerStep;
    }
  }

  step(batch: StepBatch, lr: number): StepResult {
    this.script.during?.(batch.step);
    this.batches.push([...batch.examples]);
    const loss = this.script.loss?.(batch.step) ?? 1 / (batch.step + 1);
    if (Number.isFinite(loss)) {
      this.weight += lr;
      this.optimizerStep++;
    }
    return { loss, metrics: { size: batch.examples.length } };
  }

  async evaluate(trained: boolean): Promise<EvalMetrics> {
    if (!trained) return { spearman: 0 };
    this.evaluations++;
    return this.script.metric?.(this.evaluations) ?? { spearman: this.evaluations / 100 };
  }

  beginEpoch(epoch: number, fromStart: boolean): void {
    this.epochsBegun.push([epoch, fromStart]);
  }

  saveModel(step: number): void {
    this.savedAt.push(step);
  }

  async saveCheckpoint(file: string): Promise<number> {
    this.checkpointsAt.push(this.optimizerStep);
    await writeTensors(file, { w: { shape: [1], data: Float32Array.of(this.weight) } });
    return this.optimizerStep;
  }

  dispose(): void {
    this.disposed = true;
  }
}

async function loopRun(
  root: string,
  settings: Partial<TrainOptions>,
  script: FakeScript,
  resume?: { dir: string; state: CheckpointState },
): Promise<{ run: LoopRun; model: () => FakeModel }> {
  const options: TrainOptions = { root, train: { file: path.join(root, 'fake.jsonl') }, loss: 'cosine', batchSize: 8, epochs: 3, seed: 7, runId: 'fake', ...settings };
  const dir = resume?.dir ?? (await newRunDir(root, 'fake'));
  let model: FakeModel | undefined;
  const run: LoopRun = {
    dir,
    mode: 'head',
    options,
    resolved: resolveSettings(options),
    resume: resume?.state,
    backend: 'cpu',
    t0: Date.now(),
    config: ({ id }) => ({ id, fake: true }),
    open: async (saved) => (model = new FakeModel(script, saved)),
  };
  return {
    run,
    model: () => {
      assert.ok(model, 'the loop opened no model');
      return model;
    },
  };
}

test('the loop evaluates and checkpoints at its cadence, one metrics line per step with the model’s own fields', async () => {
  const root = tempDir();
  const { run, model } = await loopRun(root, { evalEvery: 4, checkpointEvery: 6 }, {});
  const result = await runTrainingLoop(run);
  const m = model();
  assert.equal(result.status, 'completed');
  assert.equal(result.totalSteps, 15);
  assert.equal(result.steps, 15);
  assert.ok(m.disposed);
  assert.deepEqual(m.epochsBegun, [
    [0, true],
    [1, true],
    [2, true],
  ]);
  const lines = await readMetrics(run.dir);
  assert.deepEqual(lines[0], { step: 0, eval: { spearman: 0 }, before: true });
  const stepLines = lines.filter((l) => 'loss' in l);
  assert.deepEqual(
    stepLines.map((l) => l.step),
    Array.from({ length: 15 }, (_, i) => i + 1),
  );
  assert.deepEqual(Object.keys(stepLines[0]), ['step', 'epoch', 'loss', 'lr', 'size', 'ms']);
  assert.deepEqual(
    lines.filter((l) => 'eval' in l && !l.before).map((l) => l.step),
    [4, 8, 12, 15],
  );
  assert.deepEqual(m.checkpointsAt, [6, 12, 15]);
  const state = await readJson<CheckpointState>(runFiles(run.dir).checkpointState);
  assert.equal(state?.step, 15);
  assert.equal(state?.optimizerStep, 15);
});

test('the loop keeps the best evaluation’s model, and the latest one when the metric only reports (DEC)', async () => {
  const best = await loopRun(tempDir(), { evalEvery: 5, epochs: 1 + 3 }, { metric: (n) => ({ spearman: [0.5, 0.7, 0.6, 0.65][n - 1] }) });
  const r1 = await runTrainingLoop(best.run);
  assert.deepEqual(best.model().savedAt, [5, 10]);
  assert.deepEqual(r1.best, { step: 10, epoch: 2, metric: 'spearman', value: 0.7 });
  assert.deepEqual((await readSummary(best.run.dir))?.after, { spearman: 0.7 });

  const latest = await loopRun(tempDir(), { evalEvery: 5, epochs: 3 }, { metric: (n) => ({ nmi: [0.5, 0.3, 0.4][n - 1] }) });
  const r2 = await runTrainingLoop(latest.run);
  assert.deepEqual(latest.model().savedAt, [5, 10, 15]);
  assert.deepEqual(r2.best, { step: 15, epoch: 3, metric: 'nmi', value: 0.4 });
});

test('early stopping: after `patience` evaluations without improvement the run ends, keeps the best model and says so', async () => {
  const metric = (n: number) => ({ spearman: [0.5, 0.7, 0.6, 0.65, 0.9, 0.95][n - 1] });
  const stopped = await loopRun(tempDir(), { epochs: 6, patience: 2 }, { metric });
  const r = await runTrainingLoop(stopped.run);
  assert.equal(r.status, 'completed');
  assert.equal(r.totalSteps, 30, 'six epochs of five batches were planned');
  assert.equal(r.steps, 20, 'it stopped after the fourth epoch: two evaluations without beating the second');
  assert.deepEqual(stopped.model().savedAt, [5, 10], 'the model kept is the best evaluation’s');
  assert.deepEqual(r.best, { step: 10, epoch: 2, metric: 'spearman', value: 0.7 });
  assert.deepEqual(r.after, { spearman: 0.7 });
  assert.deepEqual(r.stoppedEarly, { step: 20, epochs: 4, patience: 2 });
  const summary = await readSummary(stopped.run.dir);
  assert.deepEqual(summary?.stoppedEarly, { step: 20, epochs: 4, patience: 2 });
  assert.equal(summary?.best?.epoch, 2);
  assert.equal(summary?.epochs, 6);
  assert.equal(Math.max(...(await readMetrics(stopped.run.dir)).map((l) => Number(l.step))), 20, 'no step after the stop');

  // Patience 0 never stops early: every planned epoch trains and the later, better evaluations win.
  const full = await loopRun(tempDir(), { epochs: 6, patience: 0 }, { metric });
  const r0 = await runTrainingLoop(full.run);
  assert.equal(r0.steps, 30);
  assert.equal(r0.stoppedEarly, undefined);
  assert.deepEqual(r0.best, { step: 30, epoch: 6, metric: 'spearman', value: 0.95 });
});

test('early stopping goes on counting across a cancel and resume', async () => {
  const root = tempDir();
  const metric = (n: number) => ({ spearman: [0.5, 0.7, 0.6, 0.65, 0.9, 0.95][n - 1] });
  const controller = new AbortController();
  // Cancelled during the fourth epoch (step 16), after one evaluation without improvement.
  const first = await loopRun(root, { epochs: 6, patience: 2, signal: controller.signal }, { metric, during: (step) => step === 15 && controller.abort() });
  const r1 = await runTrainingLoop(first.run);
  assert.equal(r1.status, 'cancelled');
  const state = await readJson<CheckpointState>(runFiles(first.run.dir).checkpointState);
  assert.equal(state?.evalsSinceBest, 1);
  // The resumed model's evaluations continue the sequence: the fourth evaluation (0.65) is the second without improvement.
  const resumed = await loopRun(root, { epochs: 6, patience: 2 }, { metric: (n) => metric(n + 3) }, { dir: first.run.dir, state: state! });
  const r2 = await runTrainingLoop(resumed.run);
  assert.equal(r2.status, 'completed');
  assert.equal(r2.steps, 20);
  assert.deepEqual(r2.stoppedEarly, { step: 20, epochs: 4, patience: 2 });
});

test('a non-finite loss fails the run with an error naming the step', async () => {
  const { run, model } = await loopRun(tempDir(), {}, { loss: (step) => (step === 6 ? NaN : 1) });
  await assert.rejects(runTrainingLoop(run), /the loss became NaN at step 7; lower --lr/);
  const summary = await readSummary(run.dir);
  assert.equal(summary?.status, 'failed');
  assert.match(summary?.error ?? '', /at step 7/);
  assert.equal(summary?.step, 6);
  assert.ok(model().disposed);
});

test('a cancel stops within one step and resuming continues at the same step with the same batches', async () => {
  const root = tempDir();
  const whole = await loopRun(tempDir(), {}, {});
  await runTrainingLoop(whole.run);
  const expected = whole.model().batches;

  const controller = new AbortController();
  const first = await loopRun(root, { signal: controller.signal }, { during: (step) => step === 6 && controller.abort() });
  const cancelled = await runTrainingLoop(first.run);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.steps, 7, 'the step under way finishes, no other starts');
  assert.equal(first.model().batches.length, 7);
  const state = await readJson<CheckpointState>(runFiles(first.run.dir).checkpointState);
  assert.ok(state);
  assert.equal(state.step, 7);
  assert.equal(state.epoch, 1);
  assert.equal((await readSummary(first.run.dir))?.status, 'cancelled');

  const second = await loopRun(root, {}, {}, { dir: first.run.dir, state });
  const resumed = await runTrainingLoop(second.run);
  assert.equal(resumed.status, 'completed');
  assert.equal(resumed.steps, 15);
  const m = second.model();
  assert.equal(m.optimizerStep, 15, 'the optimizer state comes back from the checkpoint');
  assert.deepEqual(m.epochsBegun[0], [1, false], 'the resumed epoch starts part-way');
  assert.deepEqual([...first.model().batches, ...m.batches], expected);
  assert.ok(Math.abs(m.weight - whole.model().weight) < 1e-6, 'the same learning rates were applied');
  const steps = (await readMetrics(first.run.dir)).filter((l) => 'loss' in l).map((l) => l.step);
  assert.deepEqual(
    steps,
    Array.from({ length: 15 }, (_, i) => i + 1),
    'no step line is lost or repeated',
  );
  assert.ok(JSON.parse(readFileSync(runFiles(first.run.dir).config, 'utf8')).fake);
});
