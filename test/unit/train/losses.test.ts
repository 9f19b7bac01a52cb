import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tf, useTrainingBackend } from '../../../src/engine/train/backend';
import { mnrLoss } from '../../../src/engine/train/losses/mnr';
import { cosentLoss } from '../../../src/engine/train/losses/cosent';
import { cosineMseLoss } from '../../../src/engine/train/losses/cosine-mse';
import { batchHardTripletLoss } from '../../../src/engine/train/losses/batch-hard-triplet';
import { megaBatchMarginLoss } from '../../../src/engine/train/losses/megabatch-margin';
import { decLoss, decSoftAssignment, decTargetDistribution } from '../../../src/engine/train/losses/dec';

// Values and gradients computed by sentence-transformers' own loss classes
// (test/fixtures/train/make-loss-references.py, float64).
interface Case {
  loss: number;
  grads: number[][][];
  q?: number[][];
  p?: number[][];
}
const ref = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/train/losses.json'), 'utf8')) as {
  inputs: { anchors: number[][]; positives: number[][]; scores: number[]; labels: number[]; centroids: number[][] };
  cases: Record<string, Case>;
};

function close(actual: ArrayLike<number>, expected: number[], what: string, tol = 2e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= tol * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

type LossFn = (...xs: tf.Tensor2D[]) => tf.Scalar;

function check(name: string, fn: LossFn, inputs: number[][][]): void {
  const c = ref.cases[name];
  const tensors = inputs.map((x) => tf.tensor2d(x));
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => fn(...(xs as tf.Tensor2D[])))(tensors);
  close([value.dataSync()[0]], [c.loss], `${name} loss`);
  grads.forEach((g, k) => close(g.dataSync(), c.grads[k].flat(), `${name} grad ${k}`));
  tf.dispose([value, ...grads, ...tensors]);
}

const { anchors, positives, scores, labels, centroids } = ref.inputs;

for (const backend of ['wasm', 'cpu'] as const) {
  test(`losses match sentence-transformers (${backend})`, async () => {
    assert.equal(await useTrainingBackend(backend), backend);
    const s = tf.tensor1d(scores);
    const lab = tf.tensor1d(labels, 'int32');
    check('mnr', (a, p) => mnrLoss(a, p), [anchors, positives]);
    check('mnr_symmetric', (a, p) => mnrLoss(a, p, { symmetric: true }), [anchors, positives]);
    check('cosent', (a, p) => cosentLoss(a, p, s), [anchors, positives]);
    check('cosine', (a, p) => cosineMseLoss(a, p, s), [anchors, positives]);
    check('triplet_euclidean', (e) => batchHardTripletLoss(e, lab, { margin: 5 }), [anchors]);
    check('triplet_cosine', (e) => batchHardTripletLoss(e, lab, { margin: 0.5, distance: 'cosine' }), [anchors]);
    check('megabatch', (a, p) => megaBatchMarginLoss(a, p), [anchors, positives]);
    const target = tf.tidy(() => decTargetDistribution(decSoftAssignment(tf.tensor2d(anchors), tf.tensor2d(centroids))));
    close(target.dataSync(), ref.cases.dec.p!.flat(), 'dec target p');
    check('dec', (z, mu) => decLoss(z, mu, target), [anchors, centroids]);
    tf.dispose([s, lab, target]);
  });
}
