/**
 * Training runners: where the steps of a run execute. `builtin` is the TensorFlow.js trainer in
 * this process (no install; the only one for head mode and DEC); `python` runs the shipped
 * sentence-transformers script (python/embedlab_train) on the user's Python, CPU or GPU; `ray`
 * runs the same script data-parallel on a Ray cluster (a Ray Train TorchTrainer, its driver on
 * the user's Python). All write the same run folder (config.json, metrics.jsonl, summary.json,
 * model/), which records the runner; everything that reads runs works the same whatever trained them.
 */
import { InputError } from '../../util/errors';
import type { JobOptions } from '../../util/job';
import type { EncoderContext } from '../../encoders/provider';
import type { TrainRequest, TrainResult } from '../settings';
import { readJson } from '../../util/fs';
import { runFiles } from '../runs';

export const RUNNER_NAMES = ['builtin', 'python', 'ray'] as const;
export type RunnerName = (typeof RUNNER_NAMES)[number];

export const DEVICE_NAMES = ['auto', 'cpu', 'cuda', 'mps'] as const;
export type DeviceName = (typeof DEVICE_NAMES)[number];

/** How to run a training job, besides what it trains (TrainSettings). */
export interface RunnerSettings {
  /** Default builtin. */
  runner?: RunnerName;
  /** python: the interpreter (else EMBEDLAB_PYTHON, else python3 on PATH). */
  python?: string;
  /** python: the torch device (default auto: CUDA, else MPS, else CPU). */
  device?: DeviceName;
  /** python, ray: ms between SIGTERM and SIGKILL when cancelled (default 30 s). */
  killGraceMs?: number;
  /** ray: the cluster (ray.init address: host:6379, ray://host:10001, auto; else EMBEDLAB_RAY_ADDRESS / RAY_ADDRESS). */
  rayAddress?: string;
  /** ray: Ray Train workers, the data-parallel processes (default 1). */
  rayWorkers?: number;
  /** ray: one GPU per worker. */
  useGpu?: boolean;
  /** ray, Jobs API address: a folder the cluster and this machine share (same path), where the job writes its run folder; copied into the run at the end. */
  rayStorage?: string;
  /** ray, Jobs API address: ms between two polls of the job's status and log (default 1 s). */
  rayPollMs?: number;
}


export function isRunnerName(s: string): s is RunnerName {
  return (RUNNER_NAMES as readonly string[]).includes(s);
}

/** Checks the runner settings; InputError naming the field otherwise. */
export function checkRunnerSettings(s: RunnerSettings): void {
  if (s.runner !== undefined && !isRunnerName(s.runner))
    throw new InputError(`unknown runner "${String(s.runner)}" (one of ${RUNNER_NAMES.join(', ')})`, { field: 'runner' });
  if (s.device !== undefined && !(DEVICE_NAMES as readonly string[]).includes(s.device))
    throw new InputError(`unknown device "${String(s.device)}" (one of ${DEVICE_NAMES.join(', ')})`, { field: 'device' });
  if ((s.runner ?? 'builtin') === 'builtin' && (s.python !== undefined || (s.device !== undefined && s.device !== 'auto')))
    throw new InputError('--python and --device are for the python runner (--runner python)', { field: 'runner' });
  if (s.runner !== 'ray' && (s.rayAddress !== undefined || s.rayWorkers !== undefined || s.useGpu !== undefined || s.rayStorage !== undefined))
    throw new InputError('--ray-address, --ray-workers, --use-gpu and --ray-storage are for the ray runner (--runner ray)', { field: 'runner' });
  if (s.rayWorkers !== undefined && !(Number.isInteger(s.rayWorkers) && s.rayWorkers >= 1))
    throw new InputError(`--ray-workers must be a whole number ≥ 1 (got ${s.rayWorkers})`, { field: 'ray-workers' });
  if (s.runner === 'ray' && s.device !== undefined && s.device !== 'auto')
    throw new InputError('the ray runner places its workers itself: use --use-gpu instead of --device', { field: 'device' });
}

/** Trains on the chosen runner (builtin by default). */
export async function trainWithRunner(
  options: TrainRequest,
  runner: RunnerSettings = {},
): Promise<TrainResult> {
  checkRunnerSettings(runner);
  const name = runner.runner ?? 'builtin';
  if (name === 'ray') {
    // An http(s):// address is the cluster's Jobs API (the dashboard, :8265): the job is submitted there.
    const { rayAddressOf } = await import('./ray-record');
    const { isJobsAddress, trainOnRayJobs } = await import('./ray-jobs-runner');
    if (isJobsAddress(rayAddressOf(runner))) return trainOnRayJobs(options, runner);
  }
  if (name === 'python' || name === 'ray') {
    const { trainOnPython } = await import('./python-runner');
    return trainOnPython(options, runner);
  }
  const { trainOnBuiltin } = await import('./builtin-runner');
  return trainOnBuiltin(options);
}

/** Resumes a run on the runner that started it (config.json's `runner`; builtin when absent). */
export async function resumeWithRunner(
  runDir: string,
  options: JobOptions & RunnerSettings & { encoderContext?: EncoderContext } = {},
): Promise<TrainResult> {
  const config = await readJson<{ runner?: string }>(runFiles(runDir).config);
  if (config?.runner === 'python' || config?.runner === 'ray') {
    const { resumeOnPython } = await import('./python-runner');
    return resumeOnPython(runDir, options);
  }
  const { resumeOnBuiltin } = await import('./builtin-runner');
  return resumeOnBuiltin(runDir, options);
}
