/**
 * The python runner for real: a tiny BERT trained by python/embedlab_train on the test venv's
 * torch (CPU) and sentence-transformers, checked through our own readers: the curves in
 * metrics.jsonl, summary.json (runner, device, the ONNX check), the model loading in Python and
 * matching `embedlab embed --encoder run:<id>`, cancel within one step then resume, and the
 * first-step loss of every loss equal to the builtin (tfjs) trainer's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { trainWithRunner, resumeWithRunner } from '../../../src/engine/train/runners/runner';
import { readMetrics, readSummary, runFiles } from '../../../src/engine/train/runs';
import { useTrainingBackend } from '../../../src/engine/train/backend';
import type { LossName } from '../../../src/engine/train/losses/index';
import type { TrainOptions } from '../../../src/engine/train/trainer';
import { trainCommand } from '../../../src/cli/commands/train';
import { embedCommand } from '../../../src/cli/commands/embed';
import { PROBE_TEXTS, tempDir, writePairsFile, writeTinyModel } from './full-helpers';
import { runCli, runPythonJson, testPython } from './python-helpers';
import { pythonCommand, pythonPackageRoot } from '../../../src/engine/train/runners/python-env';

const SUBJECTS = ['apple', 'river', 'engine', 'guitar', 'planet', 'forest', 'doctor', 'market'];

function writeScored(file: string, n: number): string {
  const lines = Array.from({ length: n }, (_, i) => {
    const w = SUBJECTS[i % SUBJECTS.length];
    const v = SUBJECTS[(i * 3 + 1) % SUBJECTS.length];
    return JSON.stringify({ text1: `the ${w} story ${i}`, text2: `a note on the ${i % 3 === 0 ? w : v}`, score: ((i * 7) % 11) / 10 });
  });
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function writeLabelledTexts(file: string, n: number): string {
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ text: `a text about the ${SUBJECTS[i % 4]} number ${i}`, label: SUBJECTS[i % 4] }));
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function lossLines(metrics: Record<string, unknown>[]): { step: number; loss: number }[] {
  return metrics.filter((m) => typeof m.loss === 'number') as { step: number; loss: number }[];
}

test('python runner, MNR and CoSENT on a tiny BERT: curves, summary, ONNX check, loads in Python, = embedlab embed --encoder run:<id>', async (t) => {
  const python = await testPython();
  const dir = tempDir('embedlab-py-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 3 });
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'), 32);
  const scored = writeScored(path.join(dir, 'scored.jsonl'), 32);
  const probe = path.join(dir, 'probe.jsonl');
  writeFileSync(probe, PROBE_TEXTS.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  for (const [loss, file] of [['mnr', pairs], ['cosent', scored]] as const) {
    const id = `py-${loss}`;
    const r = await runCli(trainCommand, [
      '--train', file, '--loss', loss, '--mode', 'full', '--encoder', model, '--out', dir, '--run-id', id,
      '--batch-size', '8', '--epochs', '2', '--eval-every', '3', '--runner', 'python', '--python', python, '--device', 'cpu', '--json',
    ]);
    assert.equal(r.code, 0, r.log.join('\n'));
    const result = JSON.parse(r.out) as { status: string; runner: string; steps: number; totalSteps: number };
    assert.equal(result.status, 'completed');
    assert.equal(result.runner, 'python');
    const runDir = path.join(dir, 'runs', id);
    const summary = (await readSummary(runDir))!;
    assert.equal(summary.runner, 'python');
    assert.equal(summary.device, 'cpu');
    assert.ok(summary.onnxCheck && summary.onnxCheck.maxAbsDiff <= 1e-4, JSON.stringify(summary.onnxCheck));
    const config = JSON.parse(readFileSync(runFiles(runDir).config, 'utf8')) as { runner: string };
    assert.equal(config.runner, 'python');
    // The curves: one loss line per step 1..N, the before line, eval lines every 3 steps and at the end.
    const metrics = await readMetrics(runDir);
    const losses = lossLines(metrics);
    assert.deepEqual(losses.map((m) => m.step), Array.from({ length: result.totalSteps }, (_, i) => i + 1));
    assert.ok(losses.every((m) => Number.isFinite(m.loss) && typeof (m as Record<string, unknown>).lr === 'number'));
    const evals = metrics.filter((m) => m.eval && !m.before).map((m) => m.step);
    const expected = [...Array.from({ length: Math.floor(result.totalSteps / 3) }, (_, i) => 3 * (i + 1))];
    if (result.totalSteps % 3 !== 0) expected.push(result.totalSteps);
    assert.deepEqual(evals, expected);
    const key = loss === 'mnr' ? 'mrr10' : 'spearman';
    assert.ok(metrics.every((m) => !m.eval || typeof (m.eval as Record<string, number>)[key] === 'number'), `${key} in every eval line`);
    assert.equal(metrics[0].before, true);
    // Our ONNX path (embedlab embed --encoder run:<id>) against SentenceTransformer(run/model).encode.
    const npy = path.join(dir, `${id}.npy`);
    const e = await runCli(embedCommand, [probe, '--text', '{text}', '--encoder', `run:${id}`, '--project', dir, '--out', npy]);
    assert.equal(e.code, 0);
    const cmp = runPythonJson<{ diff: number; modules: string[] }>(
      python,
      [
        'import sys, json, numpy as np',
        'from sentence_transformers import SentenceTransformer',
        'm = SentenceTransformer(sys.argv[1], device="cpu")',
        'texts = [json.loads(l)["text"] for l in open(sys.argv[2], encoding="utf-8")]',
        'ref = m.encode(texts, convert_to_numpy=True)',
        'ours = np.load(sys.argv[3])',
        'print(json.dumps({"diff": float(np.abs(ref - ours).max()), "modules": [type(x).__name__ for x in m]}))',
      ].join('\n'),
      [path.join(runDir, 'model'), probe, npy],
    );
    assert.ok(cmp.diff <= 1e-4, `max |sentence-transformers − embedlab embed| = ${cmp.diff}`);
    t.diagnostic(`${loss}: ${result.totalSteps} steps, ONNX check ${summary.onnxCheck!.maxAbsDiff.toExponential(2)}, python vs embed ${cmp.diff.toExponential(2)} (${cmp.modules.join(', ')})`);
  }
});

test('python runner: cancel stops within one step and leaves a valid run; resume finishes it with the same curve', async () => {
  const python = await testPython();
  const dir = tempDir('embedlab-py-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 4 });
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 32);
  const controller = new AbortController();
  let seenAtAbort = -1;
  const metricsFile = path.join(dir, 'runs', 'cancel-me', 'metrics.jsonl');
  const options: TrainOptions = {
    root: dir, runId: 'cancel-me', train: { file }, loss: 'mnr', mode: 'full', encoder: model, batchSize: 4, epochs: 3, checkpointEvery: 1000,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.stage === 'train' && p.done >= 1 && seenAtAbort < 0) {
        controller.abort(); // sends SIGTERM at once
        seenAtAbort = Math.max(...readFileSync(metricsFile, 'utf8').split('\n').filter((l) => l.includes('"loss"')).map((l) => (JSON.parse(l) as { step: number }).step));
      }
    },
  };
  const r = await trainWithRunner(options, { runner: 'python', python, device: 'cpu', killGraceMs: 60_000 });
  assert.equal(r.status, 'cancelled');
  const runDir = r.run;
  const summary = (await readSummary(runDir))!;
  assert.equal(summary.status, 'cancelled');
  // The step running when SIGTERM arrived ends; no other starts.
  const lastStep = Math.max(...lossLines(await readMetrics(runDir)).map((m) => m.step));
  assert.ok(summary.step === lastStep && summary.step < summary.totalSteps, `stopped at ${summary.step} of ${summary.totalSteps}`);
  assert.ok(lastStep <= seenAtAbort + 1, `cancelled after step ${seenAtAbort}, stopped at ${lastStep}`);
  assert.ok(existsSync(path.join(runDir, 'checkpoint', 'hf', `checkpoint-${summary.step}`)), 'a checkpoint at the step it stopped');
  assert.ok(existsSync(path.join(runDir, 'model', 'onnx', 'model.onnx')), 'a usable model');
  const before = lossLines(await readMetrics(runDir));
  const resumed = await resumeWithRunner(runDir, { python });
  assert.equal(resumed.status, 'completed');
  const after = lossLines(await readMetrics(runDir));
  assert.deepEqual(after.map((m) => m.step), Array.from({ length: summary.totalSteps }, (_, i) => i + 1));
  assert.deepEqual(after.slice(0, before.length), before, 'the lines before the checkpoint are kept');
  assert.equal((await readSummary(runDir))!.status, 'completed');
});

test('python runner: when the process that started it dies, the script stops after its step with a checkpoint', async () => {
  const python = await testPython();
  const dir = tempDir('embedlab-py-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 6 });
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 32);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'python-runner-child.ts'), dir, model, file, python], { stdio: 'ignore' });
  const runDir = path.join(dir, 'runs', 'orphan');
  const until = async (what: string, ok: () => Promise<boolean>) => {
    for (let i = 0; i < 600; i++) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  await until('the first step', async () => lossLines(await readMetrics(runDir)).length > 0);
  child.kill('SIGKILL');
  await until('the run to end', async () => (await readSummary(runDir))?.status !== 'running');
  const summary = (await readSummary(runDir))!;
  assert.equal(summary.status, 'cancelled');
  assert.ok(summary.step < summary.totalSteps);
  assert.ok(existsSync(path.join(runDir, 'checkpoint', 'hf', `checkpoint-${summary.step}`)), 'a checkpoint to resume from');
});

test('cross-engine parity: the first-step loss of mnr, cosent, cosine, triplet and megabatch is the same in tfjs and in sentence-transformers (1e-4)', async (t) => {
  const python = await testPython();
  await useTrainingBackend('wasm');
  const dir = tempDir('embedlab-py-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 5 });
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'), 16);
  const scored = writeScored(path.join(dir, 'scored.jsonl'), 16);
  const labelled = writeLabelledTexts(path.join(dir, 'labelled.jsonl'), 16);
  const cases: [LossName, TrainOptions['train']][] = [
    ['mnr', { file: pairs }],
    ['cosent', { file: scored }],
    ['cosine', { file: scored }],
    ['triplet', { file: labelled, fields: { text: '{text}', label: 'label' } }],
    ['megabatch', { file: pairs }],
  ];
  const diffs: string[] = [];
  for (const [loss, train] of cases) {
    const common: TrainOptions = { root: dir, train, loss, mode: 'full', encoder: model, batchSize: 8, maxSteps: 1, evalFraction: 0, dropout: 0, seed: 11 };
    const ours = await trainWithRunner({ ...common, runId: `tfjs-${loss}`, backend: 'wasm' });
    const theirs = await trainWithRunner({ ...common, runId: `py-${loss}` }, { runner: 'python', python, device: 'cpu' });
    const a = lossLines(await readMetrics(ours.run))[0];
    const b = lossLines(await readMetrics(theirs.run))[0];
    assert.equal(a.step, 1);
    assert.equal(b.step, 1);
    const d = Math.abs(a.loss - b.loss);
    assert.ok(d <= 1e-4, `${loss}: tfjs ${a.loss} vs sentence-transformers ${b.loss}`);
    diffs.push(`${loss} ${a.loss.toFixed(5)} Δ${d.toExponential(1)}`);
  }
  t.diagnostic(diffs.join(', '));
});

test('python runner refuses head mode and dec clearly, and names what to install for a Python without torch', async () => {
  const dir = tempDir('embedlab-py-');
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 8);
  const base: TrainOptions = { root: dir, train: { file }, loss: 'mnr', encoder: 'x' };
  await assert.rejects(trainWithRunner({ ...base, mode: 'head' }, { runner: 'python' }), /head mode trains on the builtin runner/);
  await assert.rejects(trainWithRunner({ ...base, mode: 'full', loss: 'dec' }, { runner: 'python' }), /dec loss trains in head mode/);
  await assert.rejects(trainWithRunner({ ...base, mode: 'full' }, { runner: 'python', python: path.join(dir, 'no-such-python') }), /cannot run Python .*--python, EMBEDLAB_PYTHON/);
  // A real Python without the packages: the system one with an empty path of site packages.
  const bare = path.join(dir, 'bare-python.sh');
  writeFileSync(bare, `#!/bin/sh\nexec "${process.env.EMBEDLAB_BARE_PYTHON ?? 'python3'}" -S "$@"\n`, { mode: 0o755 });
  await assert.rejects(trainWithRunner({ ...base, mode: 'full' }, { runner: 'python', python: bare }), /missing torch.*pip install -r .*requirements\.txt/);
  await assert.rejects(trainWithRunner({ ...base, mode: 'head' }, { runner: 'builtin', device: 'cuda' }), /--python and --device are for the python runner/);
});

test('the interpreter: --python, else EMBEDLAB_PYTHON, else python3; the script is found from the install, not the cwd', () => {
  assert.equal(pythonCommand('/custom/py/bin/python', { EMBEDLAB_PYTHON: '/env/python' }), '/custom/py/bin/python');
  assert.equal(pythonCommand(undefined, { EMBEDLAB_PYTHON: '/env/python' }), '/env/python');
  assert.equal(pythonCommand('  ', {}), process.platform === 'win32' ? 'python' : 'python3');
  const cwd = process.cwd();
  try {
    process.chdir(tempDir('embedlab-cwd-'));
    const root = pythonPackageRoot();
    assert.ok(existsSync(path.join(root, 'embedlab_train', '__main__.py')) && existsSync(path.join(root, 'requirements.txt')), root);
  } finally {
    process.chdir(cwd);
  }
  assert.throws(() => pythonPackageRoot(tempDir('embedlab-nowhere-')), /not installed beside/);
});

test('sweep on the python runner: every grid point trains there, one at a time; a second call skips the completed runs; --concurrency is for Ray only', async () => {
  const python = await testPython();
  const dir = tempDir('embedlab-py-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 9 });
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 24);
  const { runSweep } = await import('../../../src/engine/train/sweep');
  const base: TrainOptions = { root: dir, train: { file }, loss: 'mnr', mode: 'full', encoder: model, batchSize: 8, epochs: 1 };
  const runner = { runner: 'python' as const, python, device: 'cpu' as const };
  const first = await runSweep('ps', { lr: [2e-5, 5e-5] }, base, undefined, { runner });
  assert.deepEqual(first.runs.map((r) => [r.index, r.lr, r.status, r.skipped]), [[0, 2e-5, 'completed', false], [1, 5e-5, 'completed', false]]);
  for (const r of first.runs) assert.equal((await readSummary(r.run))!.runner, 'python');
  const [a, b] = await Promise.all(first.runs.map(async (r) => (await readSummary(r.run))!));
  assert.ok(Date.parse(a.finishedAt!) <= Date.parse(b.startedAt), 'one after the other');
  const again = await runSweep('ps', { lr: [2e-5, 5e-5] }, base, undefined, { runner });
  assert.deepEqual(again.runs.map((r) => r.skipped), [true, true]);
  await assert.rejects(runSweep('ps2', { lr: [2e-5] }, base, undefined, { runner, concurrency: 2 }), /only the ray runner trains a sweep's runs at once/);
  await assert.rejects(runSweep('ps3', { lr: [2e-5] }, base, undefined, { concurrency: 2 }), /only the ray runner/);
});
