/**
 * The ray runner through a cluster's Ray Jobs API (an http(s)://<head>:8265 address): the run's
 * job package (the same folder as `--export-job`: data, script, base model, requirements) is the
 * job's working_dir, uploaded as a content-addressed package; runtime_env names the requirements;
 * the entrypoint is `python -m embedlab_train job … --ray-address auto --log-metrics`. The job's
 * log is the way back: its EMBEDLAB_METRIC lines (ray-job-log.ts) are appended to the local
 * metrics.jsonl as they come, so the live curves and Compare Runs work unchanged. With
 * `--ray-storage <dir>` (a folder this machine and the cluster share) the job writes its run
 * folder there and the runner copies it into the project's run at the end (the model, with the
 * checks of `runs import`); without it the run ends with its curves and a note on the model.
 * ray.json records the submission, so a run still going when its runner died is re-attached
 * (`attachRayJob`): status polled, the log read again from where metrics.jsonl ended.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import { appendLinesDurable, readJson, writeJsonAtomic } from '../../util/fs';
import { checkName } from '../../util/names';
import { resolveInside } from '../../util/paths';
import { folderEntries, zipStored } from '../../util/zip';
import { isCallerGone, type JobOptions, type Progress } from '../../util/job';
import { loopResult, newRunSummary, openRunFolder, runIdFor } from '../run-record';
import { newRunDir, readMetrics, readSummary, runFiles, runState, writeSummary, type RunSummary } from '../runs';
import type { TrainRequest, TrainResult } from '../settings';
import { chooseRunLoss } from '../choose-loss';
import { checkTrainsOnScript, planScriptJob, scriptRunConfig } from './script-job';
import { writeJobPackage } from './export-job';
import { RAY_PIP_PACKAGES } from './export-job-text';
import { RayJobsClient, isFinished, logTail, type RayJobDetails, type RayJobStatus } from './ray-jobs-client';
import { newMetricLines, parseJobLogLine } from './ray-job-log';
import type { RunnerSettings } from './runner';
import { rayAddressOf, rayFile, type RayPlacement, type RayRecord } from './ray-record';

/** How long the cluster lets a stopped job end on its own before SIGKILL (Ray's default is 3 s; the job saves its model first). */
export const JOB_STOP_WAIT_S = 120;
const DEFAULT_POLL_MS = 1000;
/** Polls in a row the server may fail before the runner gives up (the job goes on; re-attach later). */
const MAX_POLL_FAILURES = 30;

/** An address of the Ray Jobs API (the dashboard), as opposed to one ray.init takes. */
export const isJobsAddress = (address: string): boolean => /^https?:\/\//i.test(address.trim());

/** A POSIX shell word (the entrypoint is run by a shell on the cluster). */
const shellWord = (s: string): string => (/^[A-Za-z0-9_./=:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The shared folder of --ray-storage: absolute, existing, a directory; InputError otherwise. */
export async function checkRayStorage(dir: string): Promise<string> {
  if (!path.isAbsolute(dir)) throw new InputError(`--ray-storage ${dir}: give the absolute path the cluster's nodes and this machine share`, { field: 'ray-storage' });
  // eslint-disable-next-line no-control-regex -- a path with control characters cannot go through the entrypoint
  if (/[\u0000-\u001f]/.test(dir)) throw new InputError('--ray-storage: the path holds a control character', { field: 'ray-storage' });
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new InputError(`--ray-storage ${dir}: no such folder here (it must be mounted on this machine and on the cluster's nodes at the same path)`, { field: 'ray-storage' });
  return path.resolve(dir);
}

/** The Jobs server at `address`, checked to answer GET /api/version. */
export async function connectJobsServer(address: string, signal?: AbortSignal): Promise<{ client: RayJobsClient; rayVersion: string }> {
  const client = new RayJobsClient(address, { signal });
  try {
    const { rayVersion } = await client.version();
    return { client, rayVersion };
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new InputError(
      `the Ray cluster at ${address} offers no Jobs API (${(e as Error).message}). Give the dashboard address (http://<head>:8265) of a cluster with ray[default], or a <head>:6379 address to run the driver on this machine`,
      { field: 'ray-address' },
    );
  }
}

/** The job's entrypoint: the same command as an exported job's `ray job submit`, writing into `out`. */
export function jobEntrypoint(out: string, workers: number, useGpu: boolean, resume = false): string {
  const args = ['python', '-m', 'embedlab_train', 'job', '--out', out, '--ray-address', 'auto', '--ray-workers', String(workers), '--log-metrics'];
  if (useGpu) args.push('--use-gpu');
  if (resume) args.push('--resume');
  return args.map(shellWord).join(' ');
}

/** Submits a run through the Jobs API and follows it to its end. */
export async function trainOnRayJobs(request: TrainRequest, runner: RunnerSettings): Promise<TrainResult> {
  const options = await chooseRunLoss(request);
  checkTrainsOnScript(options, 'ray');
  const address = rayAddressOf(runner);
  const storage = runner.rayStorage !== undefined ? await checkRayStorage(runner.rayStorage) : undefined;
  const { client, rayVersion } = await connectJobsServer(address, options.signal);
  const workers = runner.rayWorkers ?? 1;
  const useGpu = runner.useGpu === true;
  const device = useGpu ? 'cuda' : 'cpu';
  const plan = await planScriptJob(options, 'ray');

  const dir = await newRunDir(plan.root, runIdFor(options), options.overwrite);
  const id = path.basename(dir);
  // Derived from the run id, unique per submission (an overwritten run's old job keeps its own).
  const submissionId = `embedlab-${id}-${randomBytes(3).toString('hex')}`;
  checkName(submissionId, 'Ray submission id', 'run-id');
  const out = storage ? resolveInside(storage, submissionId, 'ray-storage') : 'run';
  const startedAt = new Date().toISOString();
  const summary: RunSummary = {
    ...newRunSummary(dir, 'full', plan.resolved.loss, startedAt, undefined, plan.skipped),
    runner: 'ray',
    device,
    totalSteps: plan.schedule.totalSteps,
    epochs: plan.resolved.epochs,
    notes: plan.data.notes,
  };
  const placement: RayPlacement = { address, workers, useGpu, api: 'jobs', ...(storage ? { storage } : {}) };
  const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'embedlab-rayjob-'));
  let zip: Buffer | undefined;
  try {
    await openRunFolder(
      dir,
      summary,
      undefined,
      async () => {
        const { job } = await writeJobPackage(staging, id, plan);
        zip = zipStored(await folderEntries(staging));
        return scriptRunConfig(id, startedAt, plan, job, { runner: 'ray', device, ray: { ...placement, submissionId, rayVersion } });
      },
      options.overwrite,
    );
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  if (!zip) throw new Error('the job package was not written');
  const progress = (p: Progress) => options.onProgress?.(p);
  progress({ stage: 'train', done: 0, total: summary.totalSteps, message: `ray runner (Ray Jobs API at ${address}, Ray ${rayVersion}, ${workers} worker(s) on ${useGpu ? 'GPU' : 'CPU'})` });
  const { uri, uploaded } = await client.uploadPackage(zip);
  progress({ stage: 'log', done: 0, total: 0, message: `working_dir ${uri} (${(zip.length / 1e6).toFixed(1)} MB${uploaded ? '' : ', already on the cluster'})` });
  const record: RayRecord = { schemaVersion: 1, api: 'jobs', address, submissionId, workers, useGpu, ...(storage ? { storage, out } : {}), startedAt, status: 'PENDING', logLinesRead: 0 };
  await writeJsonAtomic(rayFile(dir), record);
  await client.submit({
    entrypoint: jobEntrypoint(out, workers, useGpu),
    submissionId,
    runtimeEnv: { working_dir: uri, pip: [...RAY_PIP_PACKAGES], env_vars: { PYTHONUNBUFFERED: '1', RAY_JOB_STOP_WAIT_TIME_S: String(JOB_STOP_WAIT_S) } },
    metadata: { embedlabRun: id },
  });
  progress({ stage: 'log', done: 0, total: 0, message: `submitted as ${submissionId}` });
  return followRayJob(dir, client, options, runner.rayPollMs ?? DEFAULT_POLL_MS);
}

/**
 * Picks up a Jobs-API run whose runner is gone (an editor restart, a killed CLI): the job's status
 * polled, its log read again from where the local metrics.jsonl ended, cancel through the signal.
 * A run another live process follows is refused; a finished run is returned as it is.
 */
export async function attachRayJob(runDir: string, options: JobOptions & { rayPollMs?: number } = {}): Promise<TrainResult> {
  const record = await readJson<RayRecord>(rayFile(runDir));
  if (!record || record.api !== 'jobs' || !record.submissionId)
    throw new InputError(`${runDir}: not a run submitted through the Ray Jobs API (its ray.json names no submission)`, { file: rayFile(runDir) });
  const summary = await readSummary(runDir);
  if (!summary) throw new InputError(`${runDir}: the run has no summary.json`, { file: runDir });
  if (summary.status !== 'running') return resultOf(runDir, summary);
  if (runState(summary) === 'running' && summary.pid !== process.pid)
    throw new InputError(`the run ${summary.id} is followed by another process (pid ${summary.pid} on ${summary.host}); stop that one first`, { field: 'run' });
  const { client } = await connectJobsServer(record.address, options.signal);
  await writeSummary(runDir, { ...summary, pid: process.pid, host: os.hostname(), updatedAt: new Date().toISOString() });
  options.onProgress?.({ stage: 'train', done: summary.step, total: summary.totalSteps, message: `re-attached to Ray job ${record.submissionId} at ${record.address}` });
  return followRayJob(runDir, client, options, options.rayPollMs ?? DEFAULT_POLL_MS);
}

async function resultOf(dir: string, s: RunSummary): Promise<TrainResult> {
  const base = { ...loopResult(dir, s, s.step, s.totalSteps, 'cpu'), runner: 'ray', device: s.device } as const;
  const ray = await readJson<RayRecord>(rayFile(dir));
  return ray ? { ...base, ray: { address: ray.address, jobId: ray.jobId, submissionId: ray.submissionId ?? undefined, workers: ray.workers, useGpu: ray.useGpu } } : base;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Follows the submitted job of the run in `dir` (ray.json) to its end, then ends the run. */
async function followRayJob(dir: string, client: RayJobsClient, options: JobOptions, pollMs: number): Promise<TrainResult> {
  const files = runFiles(dir);
  const log = path.join(dir, 'train.log');
  const progress = (p: Progress) => options.onProgress?.(p);
  const record = (await readJson<RayRecord>(rayFile(dir)))!;
  const id = record.submissionId!;
  const summary = (await readSummary(dir))!;
  // The log is read from its start: its first metric lines are in metrics.jsonl already, its first text lines in train.log.
  const isNew = newMetricLines((await readMetrics(dir)).length);
  const textSkip = record.logLinesRead ?? 0;
  let linesRead = 0;
  const tail = logTail();
  let finalSummary: Record<string, unknown> | undefined;
  const stderr: string[] = [];

  const handle = async (lines: string[]) => {
    const metrics: string[] = [];
    const text: string[] = [];
    for (const l of lines) {
      linesRead++;
      const parsed = parseJobLogLine(l);
      if (parsed.kind === 'metric') {
        if (!isNew(parsed.line)) continue;
        metrics.push(parsed.line);
        const m = parsed.value;
        if (typeof m.loss === 'number') {
          summary.step = m.step as number;
          progress({ stage: 'train', done: summary.step, total: summary.totalSteps, message: `loss ${m.loss.toFixed(4)}` });
        } else if (m.eval && typeof m.eval === 'object') {
          if (!m.before) summary.last = m.eval as Record<string, number>;
          progress({ stage: 'evaluate', done: m.step as number, total: summary.totalSteps });
        }
      } else if (parsed.kind === 'ray') {
        if (typeof parsed.value.jobId === 'string') record.jobId = parsed.value.jobId;
      } else if (parsed.kind === 'summary') {
        finalSummary = parsed.value;
      } else {
        if (/error|Traceback/i.test(l)) {
          stderr.push(l);
          if (stderr.length > 20) stderr.shift();
        }
        if (linesRead <= textSkip || !l.trim()) continue;
        text.push(`[job] ${l}\n`);
        if (l.trim() && !/^step \d+\//.test(l)) progress({ stage: 'log', done: 0, total: 0, message: l });
      }
    }
    if (metrics.length) await appendLinesDurable(files.metrics, metrics.map((m) => m + '\n').join(''));
    if (text.length) await appendLinesDurable(log, text.join(''));
  };

  let stopAsked = false;
  let detached = false;
  const stop = () => {
    if (isCallerGone(options.signal)) {
      // The editor closed: the job goes on on its cluster; the run is re-attached when the project opens again.
      detached = true;
      return;
    }
    if (stopAsked) return;
    stopAsked = true;
    progress({ stage: 'log', done: 0, total: 0, message: `stopping Ray job ${id}` });
    // The client's own signal is the run's: this request must go out after the abort.
    void new RayJobsClient(client.address).stop(id).catch((e: Error) => progress({ stage: 'log', done: 0, total: 0, message: `could not stop ${id}: ${e.message}` }));
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  const poller = new RayJobsClient(client.address);

  let status: RayJobDetails | undefined;
  let failures = 0;
  try {
    for (;;) {
      try {
        await handle(tail(await poller.logs(id)));
        status = await poller.status(id);
        failures = 0;
      } catch (e) {
        if (detached) return resultOf(dir, summary);
        if (++failures >= MAX_POLL_FAILURES)
          throw new Error(`lost the Ray Jobs server at ${record.address} (${(e as Error).message}); the job ${id} may still run: re-attach with \`embedlab runs watch ${summary.id}\``);
        await sleep(pollMs);
        continue;
      }
      if (status.jobId && !record.jobId) record.jobId = status.jobId;
      record.status = status.status;
      record.logLinesRead = Math.max(record.logLinesRead ?? 0, linesRead);
      await writeJsonAtomic(rayFile(dir), record);
      if (isFinished(status.status)) break;
      if (detached) {
        await writeJsonAtomic(rayFile(dir), { ...record, detachedAt: new Date().toISOString() });
        return resultOf(dir, summary);
      }
      await writeSummary(dir, { ...summary, updatedAt: new Date().toISOString() });
      await sleep(pollMs);
    }
    // The log's last lines (written as the job ended).
    await handle(tail(await poller.logs(id)));
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  record.logLinesRead = Math.max(record.logLinesRead ?? 0, linesRead);
  return endRun(dir, summary, record, status!, finalSummary, stderr);
}

/** The run status a finished job ends with: the job's own summary when it printed one, else its Ray status. */
function endStatus(rayStatus: RayJobStatus, fromJob: Record<string, unknown> | undefined): RunSummary['status'] {
  const s = fromJob?.status;
  if (s === 'completed' || s === 'cancelled' || s === 'failed') return s;
  return rayStatus === 'SUCCEEDED' ? 'completed' : rayStatus === 'STOPPED' ? 'cancelled' : 'failed';
}

const SUMMARY_FIELDS = ['step', 'totalSteps', 'epochs', 'before', 'after', 'best', 'last', 'onnxCheck', 'durationMs', 'error', 'device', 'stoppedEarly'] as const;

async function endRun(dir: string, local: RunSummary, record: RayRecord, job: RayJobDetails, fromJob: Record<string, unknown> | undefined, errors: string[]): Promise<TrainResult> {
  const finishedAt = new Date().toISOString();
  let summary: RunSummary = { ...local, status: endStatus(job.status, fromJob), finishedAt, updatedAt: finishedAt };
  for (const key of SUMMARY_FIELDS) if (fromJob && fromJob[key] !== undefined) (summary as unknown as Record<string, unknown>)[key] = fromJob[key];
  const notes = [...(summary.notes ?? [])];
  if (summary.status !== 'failed') {
    if (record.storage && record.out) {
      // The job's run folder on the shared storage, inside it by construction (checked again: ray.json is outside data on re-attach).
      const remote = resolveInside(record.storage, path.relative(record.storage, record.out), 'ray-storage');
      const { checkRunFolder, copyCheckedRun } = await import('../import-run');
      try {
        const checked = await checkRunFolder(remote);
        await copyCheckedRun(checked, dir);
        summary = { ...summary, ...checked.summary, id: local.id, runner: 'ray', pid: local.pid, host: local.host, startedAt: local.startedAt, finishedAt, updatedAt: finishedAt };
        notes.push(`model copied from the Ray storage ${remote}`);
      } catch (e) {
        // A job stopped before it trained has no run folder there; the run still ends, with its curves.
        notes.push(`the job's run folder on the Ray storage could not be brought back: ${(e as Error).message}`);
      }
    } else {
      notes.push(
        `the model stayed on the cluster (the job's working dir, run/model): submit with --ray-storage <a folder the cluster shares with this machine> to bring it back, or copy that run/ folder here and run \`embedlab runs import <folder>\``,
      );
    }
  } else {
    summary.error = [job.message, ...errors.slice(-3)].filter(Boolean).join(' | ') || `the Ray job ended ${job.status}`;
  }
  summary.notes = [...new Set(notes)];
  await writeSummary(dir, summary);
  await writeJsonAtomic(rayFile(dir), { ...record, status: job.status, finishedAt });
  if (summary.status === 'failed') throw new Error(`the ray runner failed: ${summary.error} (log: ${path.join(dir, 'train.log')})`);
  return resultOf(dir, summary);
}
