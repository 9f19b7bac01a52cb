import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tf, useTrainingBackend } from '../../../src/engine/train/backend';
import { SentenceModel } from '../../../src/engine/train/transformer/sentence-model';
import { stepGradients, type StepInput } from '../../../src/engine/train/transformer/step-gradients';
import { isLinearWeight } from '../../../src/engine/train/transformer/bert-model';
import { transpose2d } from '../../../src/engine/onnx/graph-builder';
import { train } from '../../../src/engine/train/trainer';
import { readMetrics } from '../../../src/engine/train/runs';
import { FIXTURES, maxAbsDiff, TINY_BERT, tempDir, writePairsFile, writeTinyModel } from './full-helpers';

interface GradientFixture {
  anchors: string[];
  positives: string[];
  scale: number;
  loss: number;
  grads: Record<string, number[] | number[][] | { ids: number[]; rows: number[][] }>;
}
const ref = JSON.parse(readFileSync(path.join(FIXTURES, 'train', 'full-gradients.json'), 'utf8')) as GradientFixture;

function mnrStep(model: SentenceModel, miniBatch: number | undefined, dropoutSeed?: number): StepInput {
  const n = ref.anchors.length;
  return {
    model,
    texts: [...ref.anchors, ...ref.positives],
    build: (y) => ({ a: tf.slice(y, [0, 0], [n, -1]) as tf.Tensor2D, b: tf.slice(y, [n, 0], [n, -1]) as tf.Tensor2D }),
    loss: 'mnr',
    lossOptions: { scale: ref.scale },
    dropoutSeed,
    miniBatch,
  };
}

/** Max |ours − torch| over every weight's gradient (the word-embedding table on the rows torch reports). */
function worstDiffToTorch(model: SentenceModel, grads: Record<string, tf.Tensor>): number {
  let worst = 0;
  for (const [name, v] of Object.entries(model.bert.variables)) {
    const [rows, cols] = v.shape as [number, number];
    let ours = grads[name].dataSync() as Float32Array;
    if (isLinearWeight(name)) ours = transpose2d(ours, rows, cols);
    const expected = ref.grads[name];
    const d =
      name === 'embeddings.word_embeddings.weight'
        ? Math.max(...(expected as { ids: number[]; rows: number[][] }).ids.map((id, k) => maxAbsDiff(ours.subarray(id * cols, (id + 1) * cols), (expected as { rows: number[][] }).rows[k])))
        : maxAbsDiff(ours, (expected as number[] | number[][]).flat());
    worst = Math.max(worst, d);
  }
  return worst;
}

test("gradient cache: mini-batches of 1, 2 and 3 texts give PyTorch's full-batch MNR loss and gradients", async (t) => {
  await useTrainingBackend('wasm');
  const model = SentenceModel.load(TINY_BERT);
  try {
    for (const miniBatch of [1, 2, 3]) {
      const { loss, grads } = stepGradients(mnrStep(model, miniBatch));
      const worst = worstDiffToTorch(model, grads);
      tf.dispose(Object.values(grads));
      assert.ok(Math.abs(loss - ref.loss) < 1e-5, `mini-batch ${miniBatch}: loss ${loss} vs torch ${ref.loss}`);
      assert.ok(worst < 2e-5, `mini-batch ${miniBatch}: max |cached − torch| gradient ${worst}`);
      t.diagnostic(`mini-batch ${miniBatch}: loss ${loss.toFixed(6)} (torch ${ref.loss.toFixed(6)}), max gradient diff ${worst.toExponential(2)}`);
    }
  } finally {
    model.dispose();
  }
});

test('gradient cache with dropout: the gradient matches a finite difference of the loss with the same masks (the second pass replays the first)', async () => {
  await useTrainingBackend('wasm');
  const dir = tempDir();
  writeTinyModel(dir, { kind: 'bert', hidden: 16, layers: 1, heads: 2, seed: 3 });
  const model = SentenceModel.load(dir);
  model.folder.dropout = { hidden: 0.3, attention: 0.3 };
  try {
    const name = 'encoder.layer.0.intermediate.dense.weight';
    const v = model.bert.variables[name];
    const theta = v.dataSync().slice() as Float32Array;
    let s = 7;
    const direction = Float32Array.from(theta, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
    const lossAt = (shift: number, seed: number): number => {
      v.assign(tf.tensor(Float32Array.from(theta, (x, i) => x + shift * direction[i]), v.shape));
      const { loss, grads } = stepGradients(mnrStep(model, 2, seed));
      tf.dispose(Object.values(grads));
      return loss;
    };
    const directional = (seed: number): number => {
      v.assign(tf.tensor(theta, v.shape));
      const { grads } = stepGradients(mnrStep(model, 2, seed));
      const g = grads[name].dataSync() as Float32Array;
      tf.dispose(Object.values(grads));
      let dot = 0;
      for (let i = 0; i < g.length; i++) dot += g[i] * direction[i];
      return dot;
    };
    const eps = 1e-3;
    const fd = (lossAt(eps, 11) - lossAt(-eps, 11)) / (2 * eps);
    const analytic = directional(11);
    assert.ok(Math.abs(fd - analytic) <= 0.02 * Math.abs(fd) + 1e-3, `finite difference ${fd} vs gradient ${analytic}`);
    // Another seed draws other masks: its gradient is not this loss's.
    const other = directional(12);
    assert.ok(Math.abs(other - fd) > 10 * Math.abs(fd - analytic), `other masks: ${other} vs ${fd}`);
  } finally {
    model.dispose();
  }
});

test('a full-mode run with miniBatch trains through the gradient cache and follows the one-pass run (no dropout); head mode refuses it', async () => {
  const dir = tempDir();
  const modelDir = path.join(dir, 'model');
  writeTinyModel(modelDir, { kind: 'bert', hidden: 16, layers: 1, heads: 2, seed: 5 });
  const pairs = path.join(dir, 'pairs.jsonl');
  writePairsFile(pairs, 24);
  const base = {
    train: { file: pairs, fields: { text1: 'text1', text2: 'text2' } },
    loss: 'mnr' as const,
    mode: 'full' as const,
    encoder: modelDir,
    epochs: 1,
    batchSize: 8,
    lr: 1e-3,
    dropout: 0,
    evalFraction: 0,
    backend: 'wasm' as const,
    seed: 1,
  };
  const plain = await train({ ...base, root: path.join(dir, 'plain') });
  const cached = await train({ ...base, root: path.join(dir, 'cached'), miniBatch: 3 });
  assert.equal(cached.status, 'completed');
  const losses = async (run: string) => (await readMetrics(run)).filter((m) => typeof m.loss === 'number').map((m) => m.loss as number);
  const [lp, lc] = [await losses(plain.run), await losses(cached.run)];
  assert.equal(lc.length, lp.length);
  assert.ok(maxAbsDiff(Float32Array.from(lc), lp) < 1e-4, `losses ${lc} vs ${lp}`);
  await assert.rejects(train({ ...base, mode: 'head', encoder: 'builtin', root: path.join(dir, 'head'), miniBatch: 4 }), /--mini-batch\) is for full mode/);
});
