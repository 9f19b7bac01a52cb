/**
 * The python and ray runners: the run's data and plan go through our own loader and planner, into
 * a job folder (runs/<id>/job/); `python -m embedlab_train` trains it with SentenceTransformerTrainer
 * and writes metrics.jsonl, summary.json (runner, device, the ONNX check) and model/. On the ray
 * runner the same command is the driver of a Ray Train TorchTrainer on the cluster (--ray-address),
 * whose rank-0 worker writes those files, and ray.json (the address and the Ray job id).
 * This side writes config.json, tails metrics.jsonl for progress, keeps the child's output in
 * runs/<id>/train.log, maps cancel to SIGTERM (then SIGKILL after a grace period), and marks the
 * summary failed when the child dies without writing its end.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import { appendLinesSync } from '../../util/fs';
import type { JobOptions, Progress } from '../../util/job';
import { readJson } from '../../util/fs';
import { loopResult, newRunSummary, openRunFolder, runIdFor } from '../run-record';
import { newRunDir, readSummary, runFiles, writeSummary, type RunSummary } from '../runs';
import type { TrainRequest, TrainResult } from '../settings';
import { chooseRunLoss } from '../choose-loss';
import { checkTrainsOnScript, planScriptJob, scriptRunConfig, writeScriptJob } from './script-job';
import { checkPythonEnvironment, pythonChildEnv, pythonCommand, pythonPackageRoot, type PythonEnvironment } from './python-env';
import type { PythonJob } from './python-job';
import type { RunnerSettings } from './runner';
import { isDetachedRayJob, rayAddressOf, rayFile, type RayPlacement, type RayRecord } from './ray-record';

/** Where the script runs: on this machine, or as the driver of a Ray cluster's training. */
export type ScriptLaunch = { runner: 'python' } | { runner: 'ray'; ray: RayPlacement };


function launchOf(runner: RunnerSettings): ScriptLaunch {
  if (runner.rayStorage !== undefined) throw new InputError('--ray-storage is for a Ray Jobs API address (--ray-address http://<head>:8265)', { field: 'ray-storage' });
  if (runner.runner !== 'ray') return { runner: 'python' };
  return { runner: 'ray', ray: { address: rayAddressOf(runner), workers: runner.rayWorkers ?? 1, useGpu: runner.useGpu === true } };
}

/** The ray runner's driver needs Ray Train on the local Python. */
function checkRayInstalled(env: PythonEnvironment, launch: ScriptLaunch): void {
  if (launch.runner === 'ray' && !env.packages.ray)
    throw new InputError(
      `the Python "${env.python}" has no Ray: install the ray runner's requirements with: ${env.python} -m pip install -r "${path.join(pythonPackageRoot(), 'requirements-ray.txt')}"`,
      { field: 'python' },
    );
}

const DEFAULT_KILL_GRACE_MS = 30_000;

export const jobFolder = (runDir: string) => path.join(runDir, 'job');

/** Starts a run on the python runner, or on the ray runner. */
export async function trainOnPython(request: TrainRequest, runner: RunnerSettings = {}): Promise<TrainResult> {
  // The loss follows the data here as on the builtin runner (choose-loss.ts).
  const options = await chooseRunLoss(request);
  const launch = launchOf(runner);
  checkTrainsOnScript(options, launch.runner);
  // On Ray, the workers' device is theirs: a GPU each with --use-gpu, else the CPU.
  const device = launch.runner === 'ray' ? (launch.ray.useGpu ? 'cuda' : 'cpu') : (runner.device ?? 'auto');
  const python = pythonCommand(runner.python);
  const env = await checkPythonEnvironment(python, launch.runner === 'ray' ? 'auto' : device);
  checkRayInstalled(env, launch);
  // The base model and the data, checked before anything is written (as the builtin runner).
  const plan = await planScriptJob(options, launch.runner);

  const dir = await newRunDir(plan.root, runIdFor(options), options.overwrite);
  const id = path.basename(dir);
  const startedAt = new Date().toISOString();
  const summary: RunSummary = {
    ...newRunSummary(dir, 'full', plan.resolved.loss, startedAt, undefined, plan.skipped),
    runner: launch.runner,
    device,
    totalSteps: plan.schedule.totalSteps,
    epochs: plan.resolved.epochs,
    notes: plan.data.notes,
  };
  // The run folder is created first (refusing an id in use unless --overwrite), then the job inside it.
  let job: PythonJob | undefined;
  await openRunFolder(
    dir,
    summary,
    undefined,
    async () => {
      await fs.mkdir(jobFolder(dir), { recursive: true });
      job = await writeScriptJob(jobFolder(dir), id, plan, device);
      return scriptRunConfig(id, startedAt, plan, job, {
        runner: launch.runner,
        device,
        ...(launch.runner === 'ray' ? { ray: launch.ray } : {}),
        python: { executable: env.python, version: env.version, packages: env.packages, devices: env.devices, cudaName: env.cudaName },
      });
    },
    options.overwrite,
  );
  if (!job) throw new Error('the python job was not written');
  return runPythonJob(dir, job, env, launch, runner, options, false);
}

/** Resumes a python-runner run from its last checkpoint (a completed run is returned as is). */
export async function resumeOnPython(runDir: string, options: JobOptions & RunnerSettings = {}): Promise<TrainResult> {
  const summary = await readSummary(runDir);
  const rayRecord = await readJson<RayRecord>(rayFile(runDir));
  if (rayRecord?.api === 'jobs') {
    // A Jobs-API run still going on its cluster is followed again; a finished one is not resubmitted (yet).
    const { attachRayJob } = await import('./ray-jobs-runner');
    if (await isDetachedRayJob(runDir, summary)) return attachRayJob(runDir, options);
    if (summary?.status === 'completed') return resultOf(runDir, summary);
    throw new InputError(`the run ${path.basename(runDir)} ran through the Ray Jobs API and is ${summary?.status ?? 'unknown'}: resuming it from a checkpoint is not supported; start a new run`, { field: 'resume' });
  }
  const job = await readJson<PythonJob>(path.join(jobFolder(runDir), 'job.json'));
  if (!job) throw new InputError('the run has no job folder (job/job.json) to resume from', { file: runDir });
  if (summary?.status === 'completed') return resultOf(runDir, summary);
  const config = await readJson<{ runner?: string; python?: { executable?: string }; device?: RunnerSettings['device']; ray?: RayPlacement }>(runFiles(runDir).config);
  const python = pythonCommand(options.python ?? config?.python?.executable);
  // A ray run resumes on the cluster it ran on, unless told another address.
  const launch: ScriptLaunch =
    config?.runner === 'ray' && config.ray ? { runner: 'ray', ray: { ...config.ray, address: options.rayAddress?.trim() || config.ray.address } } : { runner: 'python' };
  const env = await checkPythonEnvironment(python, launch.runner === 'ray' ? 'auto' : (options.device ?? config?.device ?? 'auto'));
  checkRayInstalled(env, launch);
  return runPythonJob(runDir, job, env, launch, options, options, true);
}

async function resultOf(dir: string, s: RunSummary): Promise<TrainResult> {
  const runner = s.runner === 'ray' ? 'ray' : 'python';
  const base = { ...loopResult(dir, s, s.step, s.totalSteps, 'cpu'), runner, device: s.device } as const;
  if (runner !== 'ray') return base;
  const ray = await readJson<RayRecord>(rayFile(dir));
  return ray ? { ...base, ray: { address: ray.address, jobId: ray.jobId, submissionId: ray.submissionId ?? undefined, workers: ray.workers, useGpu: ray.useGpu } } : base;
}

/** Reads the metric lines appended since the last call (whole lines only). */
function metricsTail(file: string): () => Promise<Record<string, unknown>[]> {
  let offset = 0;
  let rest = '';
  return async () => {
    let handle;
    try {
      handle = await fs.open(file, 'r');
    } catch {
      return [];
    }
    try {
      const { size } = await handle.stat();
      if (size < offset) {
        offset = 0; // truncated (a resume keeps the lines up to its checkpoint)
        rest = '';
      }
      if (size === offset) return [];
      const buf = Buffer.alloc(size - offset);
      await handle.read(buf, 0, buf.length, offset);
      offset = size;
      const lines = (rest + buf.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      const out: Record<string, unknown>[] = [];
      for (const l of lines) {
        try {
          if (l.trim()) out.push(JSON.parse(l) as Record<string, unknown>);
        } catch {
          /* a cut line */
        }
      }
      return out;
    } finally {
      await handle.close();
    }
  };
}

async function runPythonJob(
  dir: string,
  job: PythonJob,
  env: PythonEnvironment,
  launch: ScriptLaunch,
  runner: RunnerSettings,
  options: JobOptions,
  resume: boolean,
): Promise<TrainResult> {
  const files = runFiles(dir);
  const log = path.join(dir, 'train.log');
  const progress = (p: Progress) => options.onProgress?.(p);
  const where =
    launch.runner === 'ray'
      ? `Ray cluster ${launch.ray.address}, ${launch.ray.workers} worker(s) on ${launch.ray.useGpu ? 'GPU' : 'CPU'}`
      : `${env.python}, device ${env.cudaName ?? runner.device ?? 'auto'}`;
  progress({ stage: 'train', done: 0, total: job.totalSteps, message: `${launch.runner} runner (${where})` });
  const args = ['-m', 'embedlab_train', jobFolder(dir), '--out', dir, ...(resume ? ['--resume'] : [])];
  if (launch.runner === 'ray') args.push('--ray-address', launch.ray.address, '--ray-workers', String(launch.ray.workers), ...(launch.ray.useGpu ? ['--use-gpu'] : []));
  // EMBEDLAB_WATCH_PARENT: the script stops (with a checkpoint) if this process dies first.
  const child = spawn(env.python, args, { env: { ...pythonChildEnv(), EMBEDLAB_WATCH_PARENT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  const onOutput = (stream: 'stdout' | 'stderr') => {
    let rest = '';
    return (d: Buffer) => {
      const lines = (rest + d.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      if (lines.length === 0) return;
      appendLinesSync(log, lines.map((l) => `[${stream}] ${l}\n`).join(''));
      for (const l of lines) {
        if (stream === 'stderr') {
          stderrTail.push(l);
          if (stderrTail.length > 20) stderrTail.shift();
        }
        if (l.trim() && !/^step \d+\//.test(l)) progress({ stage: 'log', done: 0, total: 0, message: l });
      }
    };
  };
  child.stdout.on('data', onOutput('stdout'));
  child.stderr.on('data', onOutput('stderr'));

  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    killTimer = setTimeout(() => child.kill('SIGKILL'), runner.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const tail = metricsTail(files.metrics);
  const report = async () => {
    for (const m of await tail()) {
      if (typeof m.step === 'number' && typeof m.loss === 'number')
        progress({ stage: 'train', done: m.step, total: job.totalSteps, message: `loss ${m.loss.toFixed(4)}` });
      else if (m.eval && typeof m.step === 'number') progress({ stage: 'evaluate', done: m.step, total: job.totalSteps });
    }
  };
  const poll = setInterval(() => void report().catch(() => undefined), 500);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  clearInterval(poll);
  if (killTimer) clearTimeout(killTimer);
  options.signal?.removeEventListener('abort', onAbort);
  await report().catch(() => undefined);

  const summary = await readSummary(dir);
  if (!summary) throw new Error(`the ${launch.runner} runner wrote no summary (exit ${exit.code ?? exit.signal}); see ${log}`);
  if (summary.status === 'running') {
    // The child died without ending its run (killed, crashed).
    const cancelled = options.signal?.aborted === true;
    summary.status = cancelled ? 'cancelled' : 'failed';
    if (!cancelled) summary.error = exit.error?.message ?? `python exited with ${exit.code ?? exit.signal}: ${stderrTail.slice(-5).join(' | ')}`;
    summary.finishedAt = new Date().toISOString();
    await writeSummary(dir, summary);
  }
  if (summary.status === 'failed') throw new Error(`the ${launch.runner} runner failed: ${summary.error ?? 'unknown error'} (log: ${log})`);
  return resultOf(dir, summary);
}
