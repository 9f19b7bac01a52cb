import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, useTrainingBackend } from '../../../src/engine/train/backend';
import { computeBatchLoss, computeLoss } from '../../../src/engine/train/losses/index';

before(async () => {
  await useTrainingBackend('cpu');
});

const a = () => tf.tensor2d([1, 0, 0.6, 0.8, 0, 1], [3, 2]);
const b = () => tf.tensor2d([0.9, 0.1, 0.5, 0.9, 0.1, 1], [3, 2]);

test('a tagged batch computes the loss its family trains on, as the loss itself does', () => {
  const scores = tf.tensor1d([0.9, 0.2, 0.6]);
  const tagged = computeBatchLoss('cosent', { kind: 'scored', a: a(), b: b(), scores }, { scale: 10 }).dataSync()[0];
  const direct = computeLoss('cosent', { a: a(), b: b(), scores }, { scale: 10 }).dataSync()[0];
  assert.equal(tagged, direct);
  const mnr = computeBatchLoss('mnr', { kind: 'pairs', a: a(), b: b() }).dataSync()[0];
  assert.equal(mnr, computeLoss('mnr', { a: a(), b: b() }).dataSync()[0]);
});

test('a batch of another family than the loss is an error naming both', () => {
  assert.throws(() => computeBatchLoss('triplet', { kind: 'pairs', a: a(), b: b() }), /the triplet loss does not train on pairs batches/);
  assert.throws(() => computeBatchLoss('dec', { kind: 'labelled', a: a(), labels: tf.tensor1d([0, 0, 1], 'int32') }), /the dec loss does not train on labelled batches/);
});
