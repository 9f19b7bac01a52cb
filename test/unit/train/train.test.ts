import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { toyContext, tempDir, writeLabelled, writePairs, writeScoredPairs } from './helpers';
import { train, resumeRun } from '../../../src/engine/train/trainer';
import { readMetrics, readSummary, listRuns, runFiles } from '../../../src/engine/train/runs';
import { readTensors } from '../../../src/engine/train/tensor-file';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { loadTrainingSet } from '../../../src/engine/train/training-data';
import { evalScoredPairs } from '../../../src/engine/train/evaluate';
import { normalizeRows } from '../../../src/engine/util/matrix';
import { runSweep } from '../../../src/engine/train/sweep';
import { evaluateEncoderRun } from '../../../src/engine/train/eval-run';

const dir = tempDir();
const scored = path.join(dir, 'scored.jsonl');
const scoredEval = path.join(dir, 'scored-eval.jsonl');
const labelled = path.join(dir, 'labelled.jsonl');
const pairs = path.join(dir, 'pairs.jsonl');
writeScoredPairs(scored, 400, 1);
writeScoredPairs(scoredEval, 120, 2);
writeLabelled(labelled, 240, 3);
writePairs(pairs, 200, 4);

const base = { encoder: 'toy:48', batchSize: 16, lr: 1e-2, backend: 'wasm' as const, encoderContext: toyContext };

test('a head trained with cosine-MSE lowers the loss and raises Spearman on held-out pairs', async () => {
  const root = path.join(dir, 'p1');
  const r = await train({ ...base, root, train: { file: scored }, eval: { file: scoredEval }, loss: 'cosine', epochs: 3 });
  assert.equal(r.status, 'completed');
  assert.ok(r.after.spearman > r.before.spearman + 0.1, `spearman ${r.before.spearman} → ${r.after.spearman}`);
  const losses = (await readMetrics(r.run)).filter((m) => typeof m.loss === 'number').map((m) => m.loss as number);
  assert.equal(losses.length, r.totalSteps);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(losses.slice(-8)) < mean(losses.slice(0, 8)), 'loss decreases');
  const summary = await readSummary(r.run);
  assert.equal(summary?.status, 'completed');
  assert.ok(summary?.best && summary.best.metric === 'spearman');
  const config = JSON.parse(readFileSync(runFiles(r.run).config, 'utf8'));
  assert.match(config.data.train.sha256, /^[0-9a-f]{64}$/);
  assert.equal(config.options.seed, undefined); // the default, resolved:
  assert.equal(config.resolved.seed, 42);

  // The run serves as an encoder: base encoder + head, same Spearman as the best checkpoint.
  const enc = await resolveEncoder(`run:${r.id}`, { ...toyContext, projectDir: root });
  const ev = await loadTrainingSet(scoredEval, 'scored', {});
  if (ev.kind !== 'scored') throw new Error('kind');
  const a = await enc.encode(ev.text1);
  const b = await enc.encode(ev.text2);
  assert.equal(enc.dimension, 48);
  assert.ok(Math.abs(evalScoredPairs(a, b, ev.scores).spearman - r.after.spearman) < 1e-4);
  const again = await resolveEncoder(r.run, toyContext); // by folder path
  assert.equal(again.id, enc.id);
});

test('cancel takes effect within one step and leaves a valid cancelled run; resume finishes it identically', async () => {
  const opts = { ...base, train: { file: scored }, eval: { file: scoredEval }, loss: 'cosent' as const, epochs: 2, seed: 7 };
  const full = await train({ ...opts, root: path.join(dir, 'p2a') });
  assert.equal(full.status, 'completed');

  const controller = new AbortController();
  let abortedAt = 0;
  const cut = await train({
    ...opts,
    root: path.join(dir, 'p2b'),
    checkpointEvery: 1000,
    signal: controller.signal,
    onProgress: (p) => {
      // progress is throttled: abort at the first report from step 5 on
      if (p.stage === 'train' && p.done >= 5 && !abortedAt) {
        abortedAt = p.done;
        controller.abort();
      }
    },
  });
  assert.equal(cut.status, 'cancelled');
  assert.equal(cut.steps, abortedAt, 'no step after the cancel');
  assert.ok(cut.steps < full.steps);
  assert.equal((await readSummary(cut.run))?.status, 'cancelled');
  assert.ok(existsSync(runFiles(cut.run).headWeights), 'a model is saved');
  assert.equal((await listRuns(path.join(dir, 'p2b')))[0].state, 'cancelled');

  const resumed = await resumeRun(cut.run, { encoderContext: toyContext });
  assert.equal(resumed.status, 'completed');
  assert.equal(resumed.steps, full.steps);
  const w1 = await readTensors(runFiles(full.run).checkpointWeights);
  const w2 = await readTensors(runFiles(resumed.run).checkpointWeights);
  assert.deepEqual(Array.from(w2.weight.data), Array.from(w1.weight.data), 'resume = uninterrupted run');
  assert.deepEqual(resumed.after, full.after);
  const steps = (await readMetrics(resumed.run)).filter((m) => typeof m.loss === 'number').map((m) => m.step);
  assert.deepEqual(steps, Array.from({ length: full.steps }, (_, i) => i + 1), 'one metrics line per step');
});

test('the same seed gives the same run; another seed does not', async () => {
  const opts = { ...base, train: { file: labelled, fields: { label: 'label' } }, loss: 'triplet' as const, lossOptions: { margin: 0.5, distance: 'cosine' as const } };
  const a = await train({ ...opts, root: path.join(dir, 'p3a'), seed: 3 });
  const b = await train({ ...opts, root: path.join(dir, 'p3b'), seed: 3 });
  const c = await train({ ...opts, root: path.join(dir, 'p3c'), seed: 4 });
  const w = async (r: { run: string }) => Array.from((await readTensors(runFiles(r.run).headWeights)).weight.data);
  assert.deepEqual(await w(a), await w(b));
  assert.notDeepEqual(await w(a), await w(c));
});

test('every loss trains in head mode and records finite metrics', async () => {
  const cases = [
    { loss: 'triplet' as const, train: { file: labelled, fields: { label: 'label' } }, lossOptions: {} },
    { loss: 'mnr' as const, train: { file: labelled, fields: { label: 'label' } }, lossOptions: { symmetric: true } },
    { loss: 'mnr' as const, train: { file: pairs, fields: { text1: 'title', text2: 'summary' } }, lossOptions: {} },
    { loss: 'megabatch' as const, train: { file: pairs, fields: { text1: 'title', text2: 'summary' } }, lossOptions: {} },
    { loss: 'dec' as const, train: { file: labelled, fields: { label: 'label' } }, lossOptions: {} },
  ];
  for (const c of cases) {
    const r = await train({ ...base, ...c, root: path.join(dir, 'p4'), epochs: 2, head: { kind: c.loss === 'megabatch' ? 'mlp' : 'skip-linear', hidden: 32 } });
    assert.equal(r.status, 'completed', c.loss);
    const values = [...Object.values(r.before), ...Object.values(r.after)];
    assert.ok(values.length >= 2 && values.every(Number.isFinite), `${c.loss}: ${JSON.stringify(r)}`);
    const losses = (await readMetrics(r.run)).filter((m) => typeof m.loss === 'number');
    assert.ok(losses.every((m) => Number.isFinite(m.loss as number)));
  }
  const kinds = (await listRuns(path.join(dir, 'p4'))).map((r) => r.summary?.loss).sort();
  assert.deepEqual(kinds, ['dec', 'megabatch', 'mnr', 'mnr', 'triplet']);
});

test('bad training data fails before any training, naming file, line and field', async () => {
  const root = path.join(dir, 'bad');
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const empty = write('empty.jsonl', '');
  await assert.rejects(train({ ...base, root, train: { file: empty }, loss: 'cosine' }), (e: Error) => e.name === 'InputError' && /empty\.jsonl: the file is empty/.test(e.message));
  const missing = write('missing.jsonl', '{"text1":"a","text2":"b","score":0.5}\n{"text1":"a","score":0.5}\n');
  await assert.rejects(train({ ...base, root, train: { file: missing }, loss: 'cosine' }), /missing\.jsonl:2, field "text2"/);
  const range = write('range.jsonl', '{"text1":"a","text2":"b","score":0.5}\n{"text1":"c","text2":"d","score":4.2}\n');
  await assert.rejects(train({ ...base, root, train: { file: range }, loss: 'cosent' }), /range\.jsonl:2, field "score": the score 4\.2 is outside 0–1/);
  const single = write('single.jsonl', '{"text":"a","label":"x"}\n{"text":"b","label":"x"}\n{"text":"c","label":"x"}\n');
  await assert.rejects(
    train({ ...base, root, train: { file: single, fields: { label: 'label' } }, loss: 'triplet' }),
    /single\.jsonl, field "label": a single-class label set/,
  );
  await assert.rejects(train({ ...base, root, train: { file: scored }, loss: 'cosine', mode: 'full' }), /full mode trains a BERT-family model: "toy:48" is not a model folder/);
  assert.equal(existsSync(path.join(root, 'runs')), false, 'no run folder for bad data');
});

test('a sweep runs its grid as runs under one id and skips completed runs when run again', async () => {
  const root = path.join(dir, 'p5');
  const opts = { ...base, root, train: { file: scored }, eval: { file: scoredEval }, loss: 'cosine' as const, epochs: 1 };
  const grid = { loss: ['cosine' as const, 'cosent' as const], trainLimit: [100, 1] };
  const first = await runSweep('s1', grid, opts);
  assert.equal(first.runs.length, 4);
  assert.ok(first.runs.every((r) => r.status === 'completed' && !r.skipped));
  const cfg = JSON.parse(readFileSync(runFiles(first.runs[0].run).config, 'utf8'));
  assert.equal(cfg.data.train.examples, 100);
  const again = await runSweep('s1', grid, opts);
  assert.ok(again.runs.every((r) => r.skipped));
  assert.deepEqual(
    again.runs.map((r) => r.after),
    first.runs.map((r) => r.after),
  );
});

test('an evaluation-only run scores the untrained encoder', async () => {
  const root = path.join(dir, 'p6');
  const r = await evaluateEncoderRun({ root, file: scoredEval, kind: 'scored', encoder: 'toy:48', encoderContext: toyContext });
  const ev = await loadTrainingSet(scoredEval, 'scored', {});
  if (ev.kind !== 'scored') throw new Error('kind');
  const enc = await resolveEncoder('toy:48', toyContext);
  const a = normalizeRows(await enc.encode(ev.text1));
  const b = normalizeRows(await enc.encode(ev.text2));
  assert.ok(Math.abs(r.metrics.spearman - evalScoredPairs(a, b, ev.scores).spearman) < 1e-9);
  const runs = await listRuns(root);
  assert.equal(runs[0].summary?.mode, 'eval');
});

test('a run left "running" by a dead process is listed as interrupted', async () => {
  const root = path.join(dir, 'p7');
  const r = await train({ ...base, root, train: { file: scored }, loss: 'cosine', maxSteps: 3 });
  const s = (await readSummary(r.run))!;
  writeFileSync(runFiles(r.run).summary, JSON.stringify({ ...s, status: 'running', pid: 2 ** 22 + 12345 }));
  assert.equal((await listRuns(root))[0].state, 'interrupted');
});

test('the checkpoint rule: a supervised run keeps its best evaluation, DEC (labels only report) keeps its latest', async () => {
  const { newRunSummary, recordEvaluation } = await import('../../../src/engine/train/run-record');
  const run = path.join(dir, 'checkpoint-rule');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(run, { recursive: true });
  const supervised = newRunSummary(run, 'head', 'cosine', new Date().toISOString(), undefined);
  assert.equal(recordEvaluation(run, supervised, 10, 1, { spearman: 0.7 }), true);
  assert.equal(recordEvaluation(run, supervised, 20, 2, { spearman: 0.6 }), false);
  assert.deepEqual([supervised.best?.step, supervised.after?.spearman, supervised.last?.spearman], [10, 0.7, 0.6]);
  const dec = newRunSummary(run, 'head', 'dec', new Date().toISOString(), undefined);
  assert.equal(recordEvaluation(run, dec, 10, 1, { nmi: 0.55, purity: 0.7 }), true);
  assert.equal(recordEvaluation(run, dec, 20, 2, { nmi: 0.5, purity: 0.65 }), true);
  assert.deepEqual([dec.best?.step, dec.after?.nmi], [20, 0.5]);
});
