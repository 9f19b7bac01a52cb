/**
 * The job folder a sentence-transformers script run trains from (python and ray runners, exported
 * jobs), as job.json records it: the checkpoint spacing of the python script, and no gradient
 * cache unless the user asked for one (the builtin runner's automatic --mini-batch is for its wasm
 * memory only; on torch, CachedMNRL would only make each step slower).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { planScriptJob, writeScriptJob } from '../../../src/engine/train/runners/script-job';
import type { PythonJob } from '../../../src/engine/train/runners/python-job';
import type { TrainOptions } from '../../../src/engine/train/settings';
import { TRAIN_DEFAULTS } from '../../../src/engine/defaults';
import { tempDir, writePairsFile, writeTinyModel } from './full-helpers';

async function jobOf(extra: Partial<TrainOptions>): Promise<PythonJob> {
  const dir = tempDir('embedlab-script-job-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 5 });
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 32);
  const options: TrainOptions = { root: dir, train: { file }, loss: 'mnr', mode: 'full', encoder: model, batchSize: 8, epochs: 2, ...extra };
  const plan = await planScriptJob(options, 'python');
  await writeScriptJob(path.join(dir, 'job'), 'job-test', plan, 'cpu');
  return JSON.parse(readFileSync(path.join(dir, 'job', 'job.json'), 'utf8')) as PythonJob;
}

test('script job: checkpoints of the step cadence are spaced by minutes unless the run asks for its own cadence', async () => {
  const spaced = await jobOf({});
  assert.ok(TRAIN_DEFAULTS.scriptCheckpointMinSeconds > 0);
  assert.equal(spaced.checkpointMinSeconds, TRAIN_DEFAULTS.scriptCheckpointMinSeconds);
  const asked = await jobOf({ checkpointEvery: 2 });
  assert.equal(asked.checkpointEvery, 2);
  assert.equal(asked.checkpointMinSeconds, 0, 'an asked cadence is kept as asked');
});

test('script job: no mini-batch (CachedMNRL) unless the user asked for one', async () => {
  const plain = await jobOf({ batchSize: 32 });
  assert.equal(plain.miniBatch, undefined);
  const asked = await jobOf({ miniBatch: 4 });
  assert.equal(asked.miniBatch, 4);
});
