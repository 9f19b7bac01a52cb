import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTO_EPOCHS, readSettings, settingsSchema } from '../../../src/host/config-schema';
import { defaultLearningRate, epochItems, fineTuneDefaults, lossChoices, lossItems, withDefaultFirst } from '../../../src/host/commands/fine-tune-plan';
import { TRAIN_DEFAULTS } from '../../../src/engine/defaults';

test('missing settings fall back to their defaults', () => {
  const c = readSettings(() => undefined);
  assert.equal(c.defaultEncoder, 'builtin');
  assert.equal(c['train.loss'], 'auto', 'the loss follows the data');
  assert.equal(c['train.batchSize'], TRAIN_DEFAULTS.batchSize);
  assert.equal(c['train.epochs'], AUTO_EPOCHS);
  assert.equal(c['cluster.algorithm'], 'hdbscan');
  assert.equal(c.offline, false);
});

test('valid values are read; wrong types, unknown enum values and values below the minimum are not', () => {
  const values: Record<string, unknown> = {
    defaultEncoder: 'sentence-transformers/all-MiniLM-L6-v2',
    'train.epochs': 3,
    'train.batchSize': 0,
    'cluster.algorithm': 'dbscan',
    offline: 'yes',
    'cluster.minClusterSize': Number.NaN,
  };
  const c = readSettings((k) => values[k]);
  assert.equal(c.defaultEncoder, 'sentence-transformers/all-MiniLM-L6-v2');
  assert.equal(c['train.epochs'], 3);
  assert.equal(c['train.batchSize'], TRAIN_DEFAULTS.batchSize);
  assert.equal(c['cluster.algorithm'], 'hdbscan');
  assert.equal(c.offline, false);
  assert.equal(c['cluster.minClusterSize'], settingsSchema['cluster.minClusterSize'].default);
});

test('fine-tune defaults: those of engine/defaults.ts; the default comes first in the picks', () => {
  const d = fineTuneDefaults(readSettings(() => undefined));
  assert.deepEqual(d, { loss: 'auto', epochs: 'auto', mnrMinScore: 0.75, batchSize: TRAIN_DEFAULTS.batchSize, learningRate: 2e-5, headLearningRate: 1e-3 });
  assert.deepEqual(
    epochItems(d.epochs).map((i) => [i.label, i.description]).slice(0, 2),
    [['Automatic', 'default'], ['1', undefined]],
  );
  assert.deepEqual(epochItems(4).map((i) => i.epochs).slice(0, 2), [4, 'auto'], 'a fixed default comes first');
  assert.equal(lossChoices[0].id, 'auto');
  assert.equal(defaultLearningRate(d, 'head'), 1e-3);
  assert.equal(defaultLearningRate(d, 'full'), 2e-5);
  assert.deepEqual(withDefaultFirst([8, 16, 32], 16), [16, 8, 32]);
  assert.deepEqual(withDefaultFirst([8, 32], 16), [16, 8, 32]);
});

test('Fine-tune\'s loss step offers only the losses that can use the data, the score-aware one by default on annotated pairs', () => {
  const d = { loss: 'auto' as const, mnrMinScore: 0.6 };
  const scored = lossItems('scored', d);
  assert.deepEqual(scored.map((i) => i.id), ['auto', 'mnr', 'cosent', 'cosine', 'megabatch'], 'no triplet, no DEC on scored pairs');
  assert.equal(scored[0].label, 'Follow the data: cosine');
  assert.equal(scored[0].description, 'default');
  assert.match(scored[0].detail, /follows the 0–1 scores/);
  assert.match(scored.find((i) => i.id === 'mnr')!.detail, /only the pairs scored ≥ 0\.6 train/, 'MNR says which pairs it keeps (the setting)');
  const labelled = lossItems('labelled', d);
  assert.deepEqual(labelled.map((i) => i.id), ['auto', 'mnr', 'triplet', 'dec'], 'no score-based loss on labels');
  assert.equal(labelled[0].label, 'Follow the data: mnr');
  // A default from the settings that cannot use the data gives way to "Follow the data".
  assert.deepEqual(lossItems('scored', { loss: 'triplet', mnrMinScore: 0.75 }).map((i) => [i.id, i.description]).slice(0, 2), [['auto', 'default'], ['mnr', undefined]]);
  assert.deepEqual(lossItems('scored', { loss: 'cosent', mnrMinScore: 0.75 })[0], { ...lossItems('scored', { loss: 'cosent', mnrMinScore: 0.75 })[0], id: 'cosent', description: 'default' });
});
