/**
 * A client of the Ray Jobs REST API (the job server on a Ray head, port 8265 by default; it
 * needs `ray[default]` on the cluster), following the exchange Ray's own JobSubmissionClient
 * makes (ray/dashboard/modules/dashboard_sdk.py and job/sdk.py, Ray 2.58):
 *   GET  /api/version                          {version, ray_version, ...}
 *   GET  /api/packages/gcs/_ray_pkg_<sha1>.zip 200 when the cluster has the package, 404 if not
 *   PUT  /api/packages/gcs/_ray_pkg_<sha1>.zip the zip's bytes (the working_dir)
 *   POST /api/jobs/                            {entrypoint, submission_id, runtime_env, metadata} → {job_id, submission_id}
 *   GET  /api/jobs/<id>                        JobDetails: status PENDING|RUNNING|STOPPED|SUCCEEDED|FAILED, message, ...
 *   GET  /api/jobs/<id>/logs                   {logs}: the driver's whole output so far
 *   POST /api/jobs/<id>/stop                   {stopped}
 * The server's /logs/tail is a websocket; `logTail` polls /logs and hands out what is new instead.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../util/errors';

export const RAY_JOB_STATUSES = ['PENDING', 'RUNNING', 'STOPPED', 'SUCCEEDED', 'FAILED'] as const;
export type RayJobStatus = (typeof RAY_JOB_STATUSES)[number];

export const isFinished = (s: RayJobStatus): boolean => s === 'STOPPED' || s === 'SUCCEEDED' || s === 'FAILED';

export interface RayJobDetails {
  status: RayJobStatus;
  submissionId: string;
  /** The Ray job id of the driver, once it started. */
  jobId?: string;
  message?: string;
  errorType?: string;
  driverExitCode?: number;
}

export interface RayJobSubmission {
  entrypoint: string;
  submissionId?: string;
  /** working_dir (a gcs:// package URI from `uploadPackage`), pip, env_vars, … as Ray takes them. */
  runtimeEnv?: Record<string, unknown>;
  metadata?: Record<string, string>;
  entrypointNumCpus?: number;
  entrypointNumGpus?: number;
}

export interface RayJobsClientOptions {
  /** Extra request headers (an auth token in front of the dashboard). */
  headers?: Record<string, string>;
  /** Per request (default 60 s; uploads get 10 min). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The package URI Ray gives a zip: gcs://_ray_pkg_<sha1 of its bytes>.zip. */
export function packageUriFor(zip: Uint8Array): string {
  return `gcs://_ray_pkg_${createHash('sha1').update(zip).digest('hex')}.zip`;
}

function packagePath(uri: string): string {
  const m = /^([a-z0-9]+):\/\/(_ray_pkg_[0-9a-f]+\.zip)$/.exec(uri);
  if (!m) throw new Error(`not a Ray package URI: ${uri}`);
  return `/api/packages/${m[1]}/${m[2]}`;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export class RayJobsClient {
  readonly address: string;

  constructor(
    address: string,
    private readonly options: RayJobsClientOptions = {},
  ) {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new InputError(`the Ray Jobs address "${address}" is not a URL (http://<head>:8265)`, { field: 'ray-address' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`the Ray Jobs address "${address}" must be http(s)://<head>:8265`, { field: 'ray-address' });
    this.address = url.toString().replace(/\/+$/, '');
  }

  private async request(method: string, endpoint: string, body?: { json?: unknown; bytes?: Uint8Array }, timeoutMs = this.options.timeoutMs ?? 60_000): Promise<Response> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(this.options.signal ? [this.options.signal] : [])];
    const headers: Record<string, string> = { ...(this.options.headers ?? {}) };
    let payload: string | Uint8Array | undefined;
    if (body?.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body?.bytes) {
      headers['content-type'] = 'application/octet-stream';
      payload = body.bytes;
    }
    try {
      return await fetch(this.address + endpoint, { method, headers, body: payload, signal: AbortSignal.any(signals) });
    } catch (e) {
      if (this.options.signal?.aborted) throw e;
      throw new Error(`the Ray Jobs server at ${this.address} did not answer ${method} ${endpoint}: ${(e as Error).message}`);
    }
  }

  private async json<T>(method: string, endpoint: string, body?: { json?: unknown }): Promise<T> {
    const r = await this.request(method, endpoint, body);
    const t = await r.text();
    if (!r.ok) throw new Error(`Ray Jobs ${method} ${endpoint}: HTTP ${r.status}: ${t.slice(0, 500)}`);
    try {
      return JSON.parse(t) as T;
    } catch {
      throw new Error(`Ray Jobs ${method} ${endpoint}: the answer is not JSON: ${t.slice(0, 200)}`);
    }
  }

  /** The cluster's Ray version (also: is there a job server here at all). */
  async version(): Promise<{ version: string; rayVersion: string }> {
    const v = await this.json<Record<string, unknown>>('GET', '/api/version');
    const rayVersion = text(v.ray_version);
    if (!rayVersion) throw new Error(`Ray Jobs GET /api/version: no ray_version in ${JSON.stringify(v).slice(0, 200)}`);
    return { version: text(v.version) ?? '', rayVersion };
  }

  /** Uploads a zip unless the cluster has it already; returns its URI for runtime_env.working_dir. */
  async uploadPackage(zip: Uint8Array): Promise<{ uri: string; uploaded: boolean }> {
    const uri = packageUriFor(zip);
    const where = packagePath(uri);
    const head = await this.request('GET', where);
    if (head.status === 200) return { uri, uploaded: false };
    if (head.status !== 404) throw new Error(`Ray Jobs GET ${where}: HTTP ${head.status}: ${(await head.text()).slice(0, 500)}`);
    const put = await this.request('PUT', where, { bytes: zip }, 600_000);
    if (put.status !== 200) throw new Error(`Ray Jobs PUT ${where}: HTTP ${put.status}: ${(await put.text()).slice(0, 500)}`);
    return { uri, uploaded: true };
  }

  /** Submits; the answer's job_id is only the submission id again (deprecated), the driver's own Ray job id comes with `status`. */
  async submit(job: RayJobSubmission): Promise<{ submissionId: string }> {
    const body: Record<string, unknown> = { entrypoint: job.entrypoint };
    if (job.submissionId) body.submission_id = job.submissionId;
    if (job.runtimeEnv) body.runtime_env = job.runtimeEnv;
    if (job.metadata) body.metadata = job.metadata;
    if (job.entrypointNumCpus !== undefined) body.entrypoint_num_cpus = job.entrypointNumCpus;
    if (job.entrypointNumGpus !== undefined) body.entrypoint_num_gpus = job.entrypointNumGpus;
    const r = await this.json<Record<string, unknown>>('POST', '/api/jobs/', { json: body });
    const submissionId = text(r.submission_id) ?? text(r.job_id);
    if (!submissionId) throw new Error(`Ray Jobs POST /api/jobs/: no submission_id in ${JSON.stringify(r).slice(0, 200)}`);
    return { submissionId };
  }

  async status(id: string): Promise<RayJobDetails> {
    const r = await this.json<Record<string, unknown>>('GET', `/api/jobs/${encodeURIComponent(id)}`);
    const status = text(r.status);
    if (!status || !(RAY_JOB_STATUSES as readonly string[]).includes(status)) throw new Error(`Ray Jobs GET /api/jobs/${id}: unknown status ${JSON.stringify(r.status)}`);
    return {
      status: status as RayJobStatus,
      submissionId: text(r.submission_id) ?? id,
      jobId: text(r.job_id),
      message: text(r.message),
      errorType: text(r.error_type),
      driverExitCode: typeof r.driver_exit_code === 'number' ? r.driver_exit_code : undefined,
    };
  }

  /** The driver's whole output so far. */
  async logs(id: string): Promise<string> {
    const r = await this.json<Record<string, unknown>>('GET', `/api/jobs/${encodeURIComponent(id)}/logs`);
    return text(r.logs) ?? '';
  }

  /** Asks the cluster to stop the job (Ray sends its driver SIGTERM). True when it was running. */
  async stop(id: string): Promise<boolean> {
    const r = await this.json<Record<string, unknown>>('POST', `/api/jobs/${encodeURIComponent(id)}/stop`);
    return r.stopped === true;
  }
}

/** Hands out the part of a growing log not seen before (whole lines only; the rest waits for its end). */
export function logTail(): (full: string) => string[] {
  let seen = 0;
  return (full) => {
    if (full.length < seen) seen = 0; // the server started the log again
    const end = full.lastIndexOf('\n') + 1;
    if (end <= seen) return [];
    const lines = full.slice(seen, end).split('\n');
    lines.pop();
    seen = end;
    return lines;
  };
}
