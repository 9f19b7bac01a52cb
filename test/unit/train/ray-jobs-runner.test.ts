/**
 * The ray runner through the Ray Jobs API, end to end: a live local Ray head (ray-helpers.ts) and
 * a stand-in Jobs server that really runs each submission on it (ray-jobs-standin.ts: the
 * working_dir package unpacked, the entrypoint run with RAY_ADDRESS set, its output as the log,
 * stop as SIGTERM). No real Jobs server: the package index here has no ray[default].
 * Checked: the submission (working_dir = the job package, runtime_env.pip = the requirements,
 * the entrypoint), the curves arriving in the local metrics.jsonl while the job runs, the model
 * coming back through --ray-storage equal to `embedlab embed --encoder run:<id>`, cancel, and
 * re-attaching (`runs watch`) after the runner process was killed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { resumeWithRunner, trainWithRunner } from '../../../src/engine/train/runners/runner';
import { detachedRayJobRuns } from '../../../src/engine/train/runners/ray-record';
import { attachRayJob } from '../../../src/engine/train/runners/ray-jobs-runner';
import { RayJobsClient } from '../../../src/engine/train/runners/ray-jobs-client';
import { zipStored } from '../../../src/engine/util/zip';
import * as os from 'node:os';
import { abortCallerGone } from '../../../src/engine/util/job';
import { RAY_PIP_PACKAGES } from '../../../src/engine/train/runners/export-job-text';
import { newMetricLines, parseJobLogLine } from '../../../src/engine/train/runners/ray-job-log';
import { readMetrics, readSummary, runFiles, runState } from '../../../src/engine/train/runs';
import type { TrainOptions } from '../../../src/engine/train/trainer';
import { runsCommand } from '../../../src/cli/commands/runs';
import { embedCommand } from '../../../src/cli/commands/embed';
import { PROBE_TEXTS, tempDir, writePairsFile, writeTinyModel } from './full-helpers';
import { runCli, runPythonJson, testPython } from './python-helpers';
import { startRayHead, type LocalRayHead } from './ray-helpers';
import { startRayJobsStandin, type RayJobsStandin } from './ray-jobs-standin';

let head: LocalRayHead | undefined;
let jobs: RayJobsStandin | undefined;
let python = '';

before(async () => {
  python = await testPython();
  head = await startRayHead(python);
  jobs = await startRayJobsStandin({ python, rayAddress: head.address });
});

after(async () => {
  await jobs?.close();
  await head?.stop();
});

type LossLine = { step: number; loss: number };
const lossLines = (metrics: Record<string, unknown>[]) => metrics.filter((m) => typeof m.loss === 'number') as LossLine[];
const steps = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 300_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('the job log lines: metric, Ray record and summary markers (also behind a Ray prefix); a count skips the lines metrics.jsonl holds', () => {
  assert.deepEqual(parseJobLogLine('EMBEDLAB_METRIC {"step":3,"loss":1.5}'), { kind: 'metric', line: '{"step":3,"loss":1.5}', value: { step: 3, loss: 1.5 } });
  assert.equal(parseJobLogLine('(RayTrainWorker pid=12) EMBEDLAB_METRIC {"step":0,"eval":{"spearman":0.5}}').kind, 'metric');
  assert.deepEqual(parseJobLogLine('EMBEDLAB_RAY {"jobId":"05000000"}'), { kind: 'ray', value: { jobId: '05000000' } });
  assert.equal(parseJobLogLine('EMBEDLAB_SUMMARY {"status":"completed"}').kind, 'summary');
  // A cut or broken marked line is text, not a metric (it would shift the count).
  assert.equal(parseJobLogLine('EMBEDLAB_METRIC {"step":3,"lo').kind, 'text');
  assert.equal(parseJobLogLine('EMBEDLAB_METRIC {"loss":1}').kind, 'text');
  const isNew = newMetricLines(2);
  assert.deepEqual(['a', 'b', 'c', 'd'].map((l) => isNew(l)), [false, false, true, true]);
});

test('ray runner, Jobs API address: a server that is not a Ray Jobs server is a clear error naming the address; --ray-storage needs a Jobs address', async () => {
  const dir = tempDir('embedlab-rayjobs-');
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 8);
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 1 });
  const other = http.createServer((_req, res) => {
    res.writeHead(404);
    res.end('Not Found');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  try {
    const base: TrainOptions = { root: dir, train: { file }, loss: 'mnr', mode: 'full', encoder: model };
    await assert.rejects(trainWithRunner(base, { runner: 'ray', rayAddress: url }), (e: Error) => e.message.includes(`the Ray cluster at ${url} offers no Jobs API`) && /HTTP 404/.test(e.message));
    await assert.rejects(trainWithRunner(base, { runner: 'ray', rayAddress: '127.0.0.1:6379', rayStorage: dir }), /--ray-storage is for a Ray Jobs API address/);
    await assert.rejects(trainWithRunner(base, { runner: 'ray', rayAddress: url, rayStorage: 'relative/dir' }), /--ray-storage relative\/dir: give the absolute path/);
    assert.ok(!existsSync(path.join(dir, 'runs')), 'nothing written before the checks passed');
  } finally {
    other.close();
  }
});

test('ray runner through the Jobs API: the job package submitted, curves live, the model back through --ray-storage = embedlab embed --encoder run:<id>', async (t) => {
  const dir = tempDir('embedlab-rayjobs-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 3 });
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'), 32);
  const storage = path.join(dir, 'shared');
  mkdirSync(storage);
  const id = 'ray-jobs-mnr';
  const runDir = path.join(dir, 'runs', id);
  // Live: progress with loss lines already in the local metrics.jsonl while the job is still RUNNING on the server.
  // 64 steps: the driver relays metrics every 0.5 s, and 8 steps of this tiny model (milliseconds each)
  // could all land in the last relay, read by the runner only once the job had ended.
  let liveLines = 0;
  const options: TrainOptions = {
    root: dir, runId: id, train: { file: pairs }, loss: 'mnr', mode: 'full', encoder: model, batchSize: 4, epochs: 8, evalEvery: 3, patience: 0,
    onProgress: (p) => {
      if (p.stage !== 'train' || p.done < 1) return;
      const job = [...jobs!.jobs.values()].find((j) => j.submissionId.startsWith(`embedlab-${id}-`));
      if (job?.status === 'RUNNING') liveLines = Math.max(liveLines, lossLines(readFileSync(runFiles(runDir).metrics, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)).length);
    },
  };
  const result = await trainWithRunner(options, { runner: 'ray', rayAddress: jobs!.url, rayWorkers: 2, rayStorage: storage, rayPollMs: 300 });
  assert.equal(result.status, 'completed');
  assert.equal(result.runner, 'ray');
  assert.ok(liveLines >= 1, 'loss lines reached metrics.jsonl while the job ran');
  // The submission: the job package as working_dir, the requirements as pip, the exported job's command.
  const job = jobs!.jobs.get(result.ray!.submissionId!)!;
  assert.match(job.submissionId, new RegExp(`^embedlab-${id}-[0-9a-f]{6}$`));
  assert.equal(job.status, 'SUCCEEDED');
  assert.match(String(job.runtimeEnv.working_dir), /^gcs:\/\/_ray_pkg_[0-9a-f]{40}\.zip$/);
  assert.deepEqual(job.runtimeEnv.pip, RAY_PIP_PACKAGES);
  assert.match(job.entrypoint, /^python -m embedlab_train job --out \S+ --ray-address auto --ray-workers 2 --log-metrics$/);
  for (const f of ['job/job.json', 'job/train.jsonl', 'job/model/config.json', 'embedlab_train/ray_driver.py', 'requirements.txt', 'requirements-ray.txt', 'run-config.json'])
    assert.ok(existsSync(path.join(job.dir, f)), `the working dir holds ${f}`);
  const config = JSON.parse(readFileSync(runFiles(runDir).config, 'utf8')) as { runner: string; ray: { address: string; workers: number; api: string; storage: string; submissionId: string } };
  assert.deepEqual([config.runner, config.ray.address, config.ray.workers, config.ray.api, config.ray.storage, config.ray.submissionId], ['ray', jobs!.url, 2, 'jobs', storage, job.submissionId]);
  const ray = JSON.parse(readFileSync(path.join(runDir, 'ray.json'), 'utf8')) as { submissionId: string; status: string; address: string; jobId: string };
  assert.deepEqual([ray.submissionId, ray.status, ray.address], [job.submissionId, 'SUCCEEDED', jobs!.url]);
  assert.match(ray.jobId, /^[0-9a-f]+$/, 'the driver\'s Ray job id, from its log');
  // The curves: every step once, in order, and the same lines as the job wrote on the storage.
  const metrics = await readMetrics(runDir);
  assert.deepEqual(lossLines(metrics).map((m) => m.step), steps(result.totalSteps));
  const remote = readFileSync(path.join(storage, job.submissionId, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
  assert.deepEqual(metrics, remote);
  const summary = (await readSummary(runDir))!;
  assert.deepEqual([summary.status, summary.runner, summary.id, summary.step], ['completed', 'ray', id, result.totalSteps]);
  assert.ok(summary.onnxCheck && summary.onnxCheck.maxAbsDiff <= 1e-4, JSON.stringify(summary.onnxCheck));
  // sentence-transformers loads run/model; our ONNX path gives the same embeddings.
  const probe = path.join(dir, 'probe.jsonl');
  writeFileSync(probe, PROBE_TEXTS.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  const npy = path.join(dir, `${id}.npy`);
  const e = await runCli(embedCommand, [probe, '--text', '{text}', '--encoder', `run:${id}`, '--project', dir, '--out', npy]);
  assert.equal(e.code, 0);
  const cmp = runPythonJson<{ diff: number }>(
    python,
    [
      'import sys, json, numpy as np',
      'from sentence_transformers import SentenceTransformer',
      'm = SentenceTransformer(sys.argv[1], device="cpu")',
      'texts = [json.loads(l)["text"] for l in open(sys.argv[2], encoding="utf-8")]',
      'print(json.dumps({"diff": float(np.abs(m.encode(texts, convert_to_numpy=True) - np.load(sys.argv[3])).max())}))',
    ].join('\n'),
    [path.join(runDir, 'model'), probe, npy],
  );
  assert.ok(cmp.diff <= 1e-4, `max |sentence-transformers − embedlab embed| = ${cmp.diff}`);
  t.diagnostic(`${result.totalSteps} steps, ${liveLines} loss lines seen live, python vs embed ${cmp.diff.toExponential(2)}`);
});

test('ray runner through the Jobs API: cancel stops the job (POST /stop), the run ends cancelled with its model through the storage', async () => {
  const dir = tempDir('embedlab-rayjobs-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 4 });
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 32);
  const storage = path.join(dir, 'shared');
  mkdirSync(storage);
  const controller = new AbortController();
  const options: TrainOptions = {
    // Long enough (about 240 steps, no early stop) that the stop lands mid-run: the steps of this tiny model take milliseconds.
    root: dir, runId: 'ray-jobs-cancel', train: { file }, loss: 'mnr', mode: 'full', encoder: model, batchSize: 4, epochs: 30, patience: 0, checkpointEvery: 1000,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.stage === 'train' && p.done >= 1) controller.abort();
    },
  };
  const r = await trainWithRunner(options, { runner: 'ray', rayAddress: jobs!.url, rayWorkers: 1, rayStorage: storage, rayPollMs: 300 });
  assert.equal(r.status, 'cancelled');
  const job = jobs!.jobs.get(r.ray!.submissionId!)!;
  assert.equal(job.status, 'STOPPED');
  assert.ok(jobs!.requests.includes(`POST /api/jobs/${job.submissionId}/stop`));
  const summary = (await readSummary(r.run))!;
  assert.equal(summary.status, 'cancelled');
  assert.ok(summary.step < summary.totalSteps, `stopped at ${summary.step} of ${summary.totalSteps}`);
  assert.deepEqual(lossLines(await readMetrics(r.run)).map((m) => m.step), steps(summary.step));
  assert.ok(existsSync(path.join(r.run, 'model', 'onnx', 'model.onnx')), 'the model saved at the stop came back');
  assert.equal((JSON.parse(readFileSync(path.join(r.run, 'ray.json'), 'utf8')) as { status: string }).status, 'STOPPED');
});

test('ray runner through the Jobs API: the runner killed mid-run, `runs watch` re-attaches: the curve goes on without a duplicate line; no storage: a note on the model', async () => {
  const dir = tempDir('embedlab-rayjobs-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 6 });
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 32);
  const id = 'ray-jobs-orphan';
  const runDir = path.join(dir, 'runs', id);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'ray-jobs-runner-child.ts'), dir, model, file, jobs!.url, id], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  await until('two steps in the local metrics', async () => lossLines(await readMetrics(runDir)).length >= 2);
  child.kill('SIGKILL');
  await exited;
  const job = [...jobs!.jobs.values()].find((j) => j.submissionId.startsWith(`embedlab-${id}-`))!;
  assert.equal(job.status, 'RUNNING', 'the job goes on without its runner');
  const seen = lossLines(await readMetrics(runDir)).length;
  const before = (await readSummary(runDir))!;
  assert.equal(runState(before), 'interrupted', 'the run shows as interrupted, its runner gone');
  const w = await runCli(runsCommand, ['watch', id, '--project', dir, '--json']);
  assert.equal(w.code, 0, w.log.slice(-20).join('\n'));
  const result = JSON.parse(w.out) as { status: string; totalSteps: number };
  assert.equal(result.status, 'completed');
  assert.equal(job.status, 'SUCCEEDED');
  const losses = lossLines(await readMetrics(runDir));
  assert.ok(losses.length > seen, `lines came after the re-attach (${seen} before)`);
  assert.deepEqual(losses.map((m) => m.step), steps(result.totalSteps), 'every step once');
  const summary = (await readSummary(runDir))!;
  assert.equal(summary.status, 'completed');
  assert.equal(summary.step, result.totalSteps);
  assert.ok(summary.onnxCheck && summary.onnxCheck.ok, 'the job\'s own summary, from its log');
  assert.ok(summary.notes?.some((n) => n.includes('--ray-storage') && n.includes('embedlab runs import')), JSON.stringify(summary.notes));
  // train.log: the job's log once, not again from the start after the re-attach.
  const log = readFileSync(path.join(runDir, 'train.log'), 'utf8');
  const started = log.split('\n').filter((l) => /ray runner: .*job /.test(l));
  assert.equal(started.length, 1, 'the driver\'s start line once in train.log');
  // A finished run: watching it again just returns it.
  const again = await runCli(runsCommand, ['watch', id, '--project', dir, '--json']);
  assert.equal((JSON.parse(again.out) as { status: string }).status, 'completed');
});

test('ray runner through the Jobs API: the caller gone (editor closed) leaves the job running; the project re-attaches it (resumeRun) and its cancel stops the job', async () => {
  const dir = tempDir('embedlab-rayjobs-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 7 });
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 32);
  const id = 'ray-jobs-detach';
  const gone = new AbortController();
  const options: TrainOptions = {
    root: dir, runId: id, train: { file }, loss: 'mnr', mode: 'full', encoder: model, batchSize: 4, epochs: 30, patience: 0, checkpointEvery: 1000,
    signal: gone.signal,
    onProgress: (p) => {
      if (p.stage === 'train' && p.done >= 1) abortCallerGone(gone);
    },
  };
  const left = await trainWithRunner(options, { runner: 'ray', rayAddress: jobs!.url, rayPollMs: 300 });
  assert.equal(left.status, 'running', 'the runner returns at once, the run still running');
  const job = jobs!.jobs.get(left.ray!.submissionId!)!;
  assert.equal(job.status, 'RUNNING', 'the job was not stopped');
  assert.ok(!jobs!.requests.includes(`POST /api/jobs/${job.submissionId}/stop`));
  // The engine process that ran it exits: its pid is gone (a finished child stands for it).
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => dead.once('exit', r));
  const runDir = path.join(dir, 'runs', id);
  writeFileSync(runFiles(runDir).summary, JSON.stringify({ ...(await readSummary(runDir))!, pid: dead.pid }));
  assert.deepEqual((await detachedRayJobRuns(dir)).map((r) => r.id), [id], 'the project lists it for re-attaching');
  // The host's re-attach is a resumeRun job: resumeWithRunner routes a detached Jobs run to attachRayJob.
  const seen = lossLines(await readMetrics(runDir)).length;
  const cancel = new AbortController();
  const r = await resumeWithRunner(runDir, {
    signal: cancel.signal,
    rayPollMs: 300,
    onProgress: (p) => {
      if (p.stage === 'train' && p.done > seen + 1) cancel.abort();
    },
  });
  assert.equal(r.status, 'cancelled');
  assert.equal(job.status, 'STOPPED');
  const losses = lossLines(await readMetrics(runDir));
  assert.ok(losses.length > seen + 1, `lines came after the re-attach (${seen} before)`);
  assert.deepEqual(losses.map((m) => m.step), steps(losses.length), 'every step once, in order');
  assert.deepEqual(await detachedRayJobRuns(dir), []);
});

test('re-attach reads the job log again but appends only the metric lines metrics.jsonl lacks; a ray.json whose run folder leaves its storage is refused', async () => {
  const dir = tempDir('embedlab-rayjobs-');
  const storage = path.join(dir, 'shared');
  mkdirSync(storage);
  // A job whose log holds three metric lines and its summary (the stand-in runs any entrypoint).
  const client = new RayJobsClient(jobs!.url);
  const { uri } = await client.uploadPackage(zipStored([{ name: 'x.txt', data: Buffer.from('x') }]));
  const lines = [1, 2, 3].map((step) => `EMBEDLAB_METRIC {"step":${step},"loss":${1 / step}}`);
  const entrypoint = [...lines, 'EMBEDLAB_SUMMARY {"status":"completed","step":3,"totalSteps":3}'].map((l) => `echo '${l}'`).join('; ');
  const { submissionId } = await client.submit({ entrypoint, submissionId: 'embedlab-replay-1', runtimeEnv: { working_dir: uri } });
  await until('the job to end', async () => (await client.status(submissionId)).status === 'SUCCEEDED', 30_000);
  // The run as a killed runner left it: one metric line written, its process gone.
  const runDir = path.join(dir, 'runs', 'replay');
  mkdirSync(runDir, { recursive: true });
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => dead.once('exit', r));
  const now = new Date().toISOString();
  const summary = { schemaVersion: 1, id: 'replay', status: 'running', mode: 'full', loss: 'mnr', runner: 'ray', startedAt: now, updatedAt: now, pid: dead.pid, host: os.hostname(), step: 1, totalSteps: 3, durationMs: 0 };
  writeFileSync(runFiles(runDir).summary, JSON.stringify(summary));
  writeFileSync(runFiles(runDir).metrics, '{"step":1,"loss":1}\n');
  writeFileSync(runFiles(runDir).config, JSON.stringify({ runner: 'ray', ray: { api: 'jobs' } }));
  const record = { schemaVersion: 1, api: 'jobs', address: jobs!.url, submissionId, storage, out: path.join(dir, 'elsewhere'), logLinesRead: 0 };
  writeFileSync(path.join(runDir, 'ray.json'), JSON.stringify(record));
  await assert.rejects(attachRayJob(runDir, { rayPollMs: 100 }), /leads outside the folder/);
  assert.deepEqual(lossLines(await readMetrics(runDir)).map((m) => m.step), [1, 2, 3], 'the first line not twice');
  // Inside the storage, but the job wrote nothing there: the run ends with its curves and says why no model.
  writeFileSync(path.join(runDir, 'ray.json'), JSON.stringify({ ...record, out: path.join(storage, submissionId) }));
  const r = await attachRayJob(runDir, { rayPollMs: 100 });
  assert.equal(r.status, 'completed');
  assert.deepEqual(lossLines(await readMetrics(runDir)).map((m) => m.step), [1, 2, 3]);
  assert.ok((await readSummary(runDir))!.notes?.some((n) => n.includes('could not be brought back')));
});
