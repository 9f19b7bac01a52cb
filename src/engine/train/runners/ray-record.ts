/**
 * What a ray-runner run records of its cluster: the address it was given (or the environment's),
 * the placement in config.json, and ray.json (the Ray job: a driver on this machine, or a Jobs
 * API submission), read again to find the job after a restart.
 */
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import { rayAddressFromEnv } from '../../env';
import { readJson } from '../../util/fs';
import { listRuns, runState, type RunInfo, type RunSummary } from '../runs';
import type { RunnerSettings } from './runner';

/** The cluster of the ray runner: the explicit address, else the environment's; InputError when none. */
export function rayAddressOf(s: RunnerSettings): string {
  const address = s.rayAddress?.trim() || rayAddressFromEnv();
  if (!address) throw new InputError('the ray runner needs the cluster: --ray-address <host:6379 | ray://host:10001 | auto | http://host:8265 (Jobs API)>, or EMBEDLAB_RAY_ADDRESS', { field: 'ray-address' });
  return address;
}

/** The ray runner's placement, recorded in config.json. */
export interface RayPlacement {
  address: string;
  workers: number;
  useGpu: boolean;
  /** 'jobs': submitted through the Ray Jobs API (ray-jobs-runner.ts); absent: a driver on this machine. */
  api?: 'jobs';
  /** jobs: the shared folder the job wrote its run folder into (--ray-storage). */
  storage?: string;
}

/** ray.json: what the driver recorded of its Ray job (to find it again after a restart). */
export interface RayRecord {
  schemaVersion: number;
  address: string;
  jobId?: string;
  submissionId?: string | null;
  driverPid?: number;
  driverHost?: string;
  workers?: number;
  useGpu?: boolean;
  startedAt?: string;
  finishedAt?: string;
  status?: string;
  /** 'jobs': a Ray Jobs API submission (then `submissionId` names it); absent: a driver on this machine. */
  api?: 'jobs';
  /** jobs: --ray-storage, and the job's run folder in it. */
  storage?: string;
  out?: string;
  /** jobs: the lines of the job's log already handled (train.log holds them). */
  logLinesRead?: number;
  /** jobs: when its runner left it running (the editor closed). */
  detachedAt?: string;
}

export const rayFile = (runDir: string) => path.join(runDir, 'ray.json');

/** Whether a run is a Ray Jobs submission whose runner is gone while the run is still "running" (a re-attach candidate). */
export async function isDetachedRayJob(runDir: string, summary: RunSummary | undefined): Promise<boolean> {
  if (summary?.status !== 'running' || runState(summary) === 'running') return false;
  const record = await readJson<RayRecord>(rayFile(runDir));
  return record?.api === 'jobs' && typeof record.submissionId === 'string';
}

/** The runs of a project submitted through the Ray Jobs API whose runner is gone (the editor re-attaches them when the project opens). */
export async function detachedRayJobRuns(root: string): Promise<RunInfo[]> {
  const out: RunInfo[] = [];
  for (const run of await listRuns(root)) if (await isDetachedRayJob(run.dir, run.summary)) out.push(run);
  return out;
}
