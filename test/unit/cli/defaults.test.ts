// One default per setting: the CLI's option help, the extension's settings schema (and the
// package.json generated from it) and the jobs read engine/defaults.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { commands } from '../../../src/cli/commands/index';
import { AUTO_EPOCHS, settingsSchema } from '../../../src/host/config-schema';
import { CLUSTER_DEFAULTS, DEFAULT_ENCODER, DEFAULT_SEED, LLM_DEFAULTS, SUGGEST_DEFAULTS, TRAIN_DEFAULTS } from '../../../src/engine/defaults';
import { resolveSettings } from '../../../src/engine/train/settings';
import { REPO_ROOT } from './helpers';

function optionDefault(command: string, option: string): unknown {
  const c = commands.find((x) => x.name === command);
  assert.ok(c, command);
  const o = c.options.find((x) => x.name === option);
  assert.ok(o, `${command} --${option}`);
  return o.default;
}

test('the CLI options default to the values of engine/defaults.ts', () => {
  assert.equal(optionDefault('cluster', 'algo'), CLUSTER_DEFAULTS.algorithm);
  assert.equal(optionDefault('cluster', 'algo'), 'hdbscan', 'the CLI clusters with HDBSCAN by default, as the extension does');
  assert.equal(optionDefault('cluster', 'k'), CLUSTER_DEFAULTS.k);
  assert.equal(optionDefault('cluster', 'top'), CLUSTER_DEFAULTS.keywords);
  for (const c of commands) {
    const encoder = c.options.find((o) => o.name === 'encoder');
    if (encoder) assert.equal(encoder.default, DEFAULT_ENCODER, `${c.name} --encoder`);
    const seed = c.options.find((o) => o.name === 'seed');
    if (seed) assert.equal(seed.default, DEFAULT_SEED, `${c.name} --seed`);
  }
  for (const name of ['train', 'sweep']) {
    if (name === 'train') {
      assert.equal(optionDefault(name, 'epochs'), undefined, 'no --epochs is "auto": early stopping with evaluation data, else from the data size');
      assert.equal(TRAIN_DEFAULTS.epochs, 'auto');
      assert.equal(optionDefault(name, 'loss'), TRAIN_DEFAULTS.loss);
      assert.equal(optionDefault(name, 'patience'), TRAIN_DEFAULTS.patience);
      assert.equal(optionDefault(name, 'min-score'), TRAIN_DEFAULTS.mnrMinScore);
      assert.equal(optionDefault(name, 'batch-size'), TRAIN_DEFAULTS.batchSize);
    }
    assert.equal(optionDefault(name, 'mode'), TRAIN_DEFAULTS.mode);
    assert.equal(optionDefault(name, 'warmup'), TRAIN_DEFAULTS.warmupRatio);
    assert.equal(optionDefault(name, 'weight-decay'), TRAIN_DEFAULTS.weightDecay);
    assert.equal(optionDefault(name, 'eval-fraction'), TRAIN_DEFAULTS.evalFraction);
    assert.equal(optionDefault(name, 'head'), TRAIN_DEFAULTS.head);
    assert.equal(optionDefault(name, 'backend'), TRAIN_DEFAULTS.backend);
  }
  assert.equal(optionDefault('annotations', 'strategy'), SUGGEST_DEFAULTS.strategy);
  assert.equal(optionDefault('annotations', 'count'), SUGGEST_DEFAULTS.count);
  assert.equal(optionDefault('topics', 'concurrency'), LLM_DEFAULTS.concurrency);
  assert.equal(optionDefault('topics', 'sample'), LLM_DEFAULTS.judgeSample);
});

test('the extension settings default to the same values', () => {
  assert.equal(settingsSchema.defaultEncoder.default, DEFAULT_ENCODER);
  assert.equal(settingsSchema['cluster.algorithm'].default, CLUSTER_DEFAULTS.algorithm);
  assert.equal(settingsSchema['cluster.k'].default, CLUSTER_DEFAULTS.k);
  assert.equal(settingsSchema['cluster.minClusterSize'].default, CLUSTER_DEFAULTS.minClusterSize);
  assert.equal(settingsSchema['cluster.reassignOutliers'].default, CLUSTER_DEFAULTS.reassignOutliers);
  assert.equal(settingsSchema['cluster.seed'].default, DEFAULT_SEED);
  assert.equal(settingsSchema['train.loss'].default, TRAIN_DEFAULTS.loss);
  assert.equal(settingsSchema['train.epochs'].default, AUTO_EPOCHS, 'the setting says "auto" as 0');
  assert.equal(TRAIN_DEFAULTS.epochs, 'auto');
  assert.equal(settingsSchema['train.mnrMinScore'].default, TRAIN_DEFAULTS.mnrMinScore);
  assert.equal(settingsSchema['train.batchSize'].default, TRAIN_DEFAULTS.batchSize);
  assert.equal(settingsSchema['train.learningRate'].default, TRAIN_DEFAULTS.fullLearningRate);
  assert.equal(settingsSchema['train.headLearningRate'].default, TRAIN_DEFAULTS.headLearningRate);
  assert.equal(settingsSchema['llm.concurrency'].default, LLM_DEFAULTS.concurrency);
  assert.equal(settingsSchema['llm.endpoint'].default, LLM_DEFAULTS.endpoint);
  assert.equal(settingsSchema['llm.model'].default, LLM_DEFAULTS.model);
});

test('a run without settings resolves to the same defaults', () => {
  const r = resolveSettings({ train: { file: 'x.jsonl' }, loss: 'mnr' });
  assert.equal(r.epochs, TRAIN_DEFAULTS.maxEpochs, 'the cap, until the data says whether the run evaluates (resolveEpochs)');
  assert.equal(r.patience, TRAIN_DEFAULTS.patience);
  assert.equal(r.batchSize, TRAIN_DEFAULTS.batchSize);
  assert.equal(r.lr, TRAIN_DEFAULTS.headLearningRate);
  assert.equal(r.warmupRatio, TRAIN_DEFAULTS.warmupRatio);
  assert.equal(r.weightDecay, TRAIN_DEFAULTS.weightDecay);
  assert.equal(r.evalFraction, TRAIN_DEFAULTS.evalFraction);
  assert.equal(r.seed, DEFAULT_SEED);
});

test('package.json is what scripts/sync-manifest.mjs generates from the settings schema', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'sync-manifest.mjs'), '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
});
