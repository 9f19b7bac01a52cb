import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tf, useTrainingBackend } from '../../../src/engine/train/backend';
import { train, resumeRun } from '../../../src/engine/train/trainer';
import { readMetrics, readSummary, runFiles, runsDir } from '../../../src/engine/train/runs';
import { computeLoss } from '../../../src/engine/train/losses/index';
import { AdamW } from '../../../src/engine/train/adamw';
import { SentenceModel } from '../../../src/engine/train/transformer/sentence-model';
import { isLinearWeight } from '../../../src/engine/train/transformer/bert-model';
import { transpose2d } from '../../../src/engine/onnx/graph-builder';
import { readSafetensors } from '../../../src/engine/onnx/safetensors';
import { parseArgs } from '../../../src/cli/args';
import type { CommandContext } from '../../../src/cli/command';
import { trainCommand } from '../../../src/cli/commands/train';
import { InputError } from '../../../src/engine/util/errors';
import { FIXTURES, maxAbsDiff, TINY_BERT, tempDir, writePairsFile, writeTinyModel } from './full-helpers';

interface GradientFixture {
  anchors: string[];
  positives: string[];
  scale: number;
  loss: number;
  grads: Record<string, number[] | number[][] | { ids: number[]; rows: number[][] }>;
  adamw: { lr: number; weight_decay: number; probes: string[]; embeddings_after_one_step: number[][] };
}
const ref = JSON.parse(readFileSync(path.join(FIXTURES, 'train', 'full-gradients.json'), 'utf8')) as GradientFixture;

test("loss and gradients of every weight match PyTorch + sentence-transformers' MNR loss on the genuine tiny BERT; one AdamW step matches torch.optim.AdamW", async (t) => {
  await useTrainingBackend('wasm');
  const model = SentenceModel.load(TINY_BERT);
  try {
    const vars = model.bert.variables;
    const n = ref.anchors.length;
    const { value, grads } = tf.variableGrads(() => {
      const y = model.embed([...ref.anchors, ...ref.positives]);
      return computeLoss('mnr', { a: tf.slice(y, [0, 0], [n, -1]), b: tf.slice(y, [n, 0], [n, -1]) }, { scale: ref.scale });
    }, Object.values(vars));
    const loss = value.dataSync()[0];
    assert.ok(Math.abs(loss - ref.loss) < 1e-5, `loss ${loss} vs torch ${ref.loss}`);
    let worst = 0;
    let worstName = '';
    const named: Record<string, tf.Tensor> = {};
    for (const [name, v] of Object.entries(vars)) {
      const g = grads[v.name];
      named[name] = g;
      const [nRows, nCols] = v.shape as [number, number];
      let ours = g.dataSync() as Float32Array;
      if (isLinearWeight(name)) ours = transpose2d(ours, nRows, nCols);
      const expected = ref.grads[name];
      assert.ok(expected, `torch has a gradient for ${name}`);
      let d: number;
      if (name === 'embeddings.word_embeddings.weight') {
        const { ids, rows } = expected as { ids: number[]; rows: number[][] };
        const h = nCols;
        const inBatch = new Set(ids);
        d = Math.max(...ids.map((id, k) => maxAbsDiff(ours.subarray(id * h, (id + 1) * h), rows[k])));
        for (let id = 0; id < nRows; id++) if (!inBatch.has(id)) for (let j = 0; j < h; j++) assert.equal(ours[id * h + j], 0);
      } else d = maxAbsDiff(ours, (expected as number[] | number[][]).flat());
      if (d > worst) [worst, worstName] = [d, name];
    }
    assert.ok(worst < 2e-5, `max |tfjs − torch| gradient = ${worst} (${worstName})`);

    const opt = new AdamW({ weightDecay: ref.adamw.weight_decay });
    opt.apply(vars, named, ref.adamw.lr, model.bert.decayed);
    tf.dispose([value, ...Object.values(grads)]);
    const after = await model.encode(ref.adamw.probes);
    const dStep = maxAbsDiff(after.data, ref.adamw.embeddings_after_one_step.flat());
    assert.ok(dStep <= 1e-4, `after one AdamW step: max |tfjs − torch| embedding = ${dStep}`);
    t.diagnostic(`loss ${loss.toFixed(6)} (torch ${ref.loss.toFixed(6)}); max gradient diff ${worst.toExponential(2)} (${worstName}); after one AdamW step ${dStep.toExponential(2)}`);
  } finally {
    model.dispose();
  }
});

test('MNR in full mode: the loss of a small BERT falls and it overfits 16 pairs', async (t) => {
  const dir = tempDir();
  const base = path.join(dir, 'base');
  writeTinyModel(base, { kind: 'bert', seed: 21, hidden: 32 });
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'));
  await useTrainingBackend('wasm');
  const tensorsBefore = tf.memory().numTensors;
  const r = await train({
    root: dir,
    mode: 'full',
    encoder: base,
    train: { file: pairs },
    eval: { file: pairs },
    loss: 'mnr',
    batchSize: 16,
    epochs: 40,
    lr: 1e-3,
    dropout: 0,
    evalEvery: 20,
    backend: 'wasm',
  });
  assert.equal(r.status, 'completed');
  assert.equal(r.steps, 40);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'every tensor of the run was disposed');
  const losses = (await readMetrics(r.run)).filter((m) => typeof m.loss === 'number').map((m) => m.loss as number);
  assert.equal(losses.length, 40);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(losses.slice(0, 3));
  const last = mean(losses.slice(-3));
  assert.ok(first > 2, `an untrained model ranks 16 pairs at about chance (ln 16 = 2.77): ${first}`);
  assert.ok(last < 0.05 * first, `loss ${first.toFixed(3)} → ${last.toFixed(4)}`);
  assert.ok(r.before.recall1 < 0.7, `before: recall@1 ${r.before.recall1}`);
  assert.equal(r.after.recall1, 1);
  const summary = await readSummary(r.run);
  assert.equal(summary?.mode, 'full');
  t.diagnostic(`loss by step: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  t.diagnostic(`recall@1 ${r.before.recall1} → ${r.after.recall1}, mrr@10 ${r.before.mrr10.toFixed(3)} → ${r.after.mrr10.toFixed(3)}`);
});

test('full mode: a cancel takes effect within one step; resume finishes with the same weights as an uninterrupted run (dropout on)', async () => {
  const dir = tempDir();
  const base = path.join(dir, 'base');
  writeTinyModel(base, { kind: 'roberta', seed: 4 });
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'));
  const opts = { mode: 'full' as const, encoder: base, train: { file: pairs }, loss: 'mnr' as const, batchSize: 4, epochs: 2, lr: 1e-3, evalFraction: 0, seed: 9, backend: 'wasm' as const };
  const whole = await train({ ...opts, root: path.join(dir, 'a') });
  assert.equal(whole.status, 'completed');

  const controller = new AbortController();
  let abortedAt = 0;
  const cut = await train({
    ...opts,
    root: path.join(dir, 'b'),
    signal: controller.signal,
    onProgress: (p) => {
      if (p.stage === 'train' && p.done >= 3 && !abortedAt) {
        abortedAt = p.done;
        controller.abort();
      }
    },
  });
  assert.equal(cut.status, 'cancelled');
  assert.equal(cut.steps, abortedAt, 'no step after the cancel');
  assert.ok(existsSync(path.join(runFiles(cut.run).model, 'onnx', 'model.onnx')), 'a cancelled run keeps a usable model');
  assert.equal((await readSummary(cut.run))?.status, 'cancelled');

  const resumed = await resumeRun(cut.run);
  assert.equal(resumed.status, 'completed');
  assert.equal(resumed.steps, whole.steps);
  const a = readSafetensors(path.join(runFiles(whole.run).model, 'model.safetensors'));
  const b = readSafetensors(path.join(runFiles(resumed.run).model, 'model.safetensors'));
  let d = 0;
  for (const [name, t] of a) d = Math.max(d, maxAbsDiff(t.data, b.get(name)!.data));
  assert.ok(d <= 1e-6, `max |resumed − uninterrupted| weight = ${d}`);
  const lossesA = (await readMetrics(whole.run)).filter((m) => typeof m.loss === 'number').map((m) => m.loss as number);
  const lossesB = (await readMetrics(resumed.run)).filter((m) => typeof m.loss === 'number').map((m) => m.loss as number);
  assert.equal(lossesB.length, lossesA.length);
  assert.ok(maxAbsDiff(lossesA, lossesB) < 1e-5);
});

test('full mode checks its inputs before any training starts', async () => {
  const dir = tempDir();
  const labelled = path.join(dir, 'one-class.jsonl');
  writeFileSync(labelled, ['a b', 'c d', 'e f'].map((text) => JSON.stringify({ text, label: 'x' })).join('\n') + '\n');
  await assert.rejects(
    train({ root: dir, mode: 'full', encoder: TINY_BERT, train: { file: labelled, fields: { label: 'label' } }, loss: 'triplet' }),
    (e: unknown) => e instanceof InputError && /single-class/.test(e.message),
  );
  await assert.rejects(train({ root: dir, mode: 'full', train: { file: labelled, fields: { label: 'label' } }, loss: 'mnr' }), /full mode trains a BERT-family model/);
  // The loss is chosen from the data first: MNR cannot use texts without labels or pairs.
  await assert.rejects(train({ root: dir, mode: 'full', train: { file: labelled }, loss: 'mnr' }), /the mnr loss cannot use plain texts/);
  await assert.rejects(train({ root: dir, mode: 'full', encoder: TINY_BERT, train: { file: labelled }, loss: 'dec' }), /dec loss trains in head mode/);
  assert.equal(existsSync(runsDir(dir)), false, 'no run folder was written');
});

test('embedlab train --mode full --json prints {run, before, after} and leaves an exported model', async () => {
  const dir = tempDir();
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'));
  let out = '';
  const argv = ['--mode', 'full', '--encoder', TINY_BERT, '--train', pairs, '--eval', pairs, '--loss', 'mnr', '--batch-size', '8', '--epochs', '1', '--lr', '1e-3', '--backend', 'wasm', '--out', dir, '--json'];
  const ctx: CommandContext = { args: parseArgs(argv, trainCommand.options), log: () => undefined, stdout: (s) => (out += s), signal: new AbortController().signal };
  assert.equal(await trainCommand.run(ctx), 0);
  const result = JSON.parse(out) as { run: string; before: Record<string, number>; after: Record<string, number> };
  assert.ok(result.run.startsWith(runsDir(dir)));
  assert.equal(typeof result.before.recall1, 'number');
  assert.equal(typeof result.after.recall1, 'number');
  for (const f of ['config.json', 'model.safetensors', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json', 'tokenizer.json', 'onnx/model.onnx'])
    assert.ok(existsSync(path.join(result.run, 'model', f)), f);
  const config = JSON.parse(readFileSync(runFiles(result.run).config, 'utf8'));
  assert.equal(config.mode, 'full');
  assert.equal(config.resolved.lr, 1e-3);
  assert.match(config.model.weightsSha256, /^[0-9a-f]{64}$/);
});
