/**
 * A stand-in for a Ray head's Jobs server (the `ray[default]` extra, which the package index here
 * lacks) that really runs what is submitted. It answers the REST exchange of Ray 2.58's job server
 * (ray/dashboard/modules/job/job_head.py, as ray-jobs-client.test.ts checks it) and does what its
 * job supervisor (job_supervisor.py) does with a submission, in small: the working_dir package
 * unpacked into a temp folder (Python's zipfile), the entrypoint run there by /bin/sh in its own
 * process group with the runtime_env's env_vars, RAY_ADDRESS set to a live Ray head (so
 * `--ray-address auto` finds it) and RAY_JOB_SUBMISSION_ID, its stdout and stderr as the job's
 * log, its exit as SUCCEEDED/FAILED; /stop sends SIGTERM to the group, then SIGKILL after
 * RAY_JOB_STOP_WAIT_TIME_S (from env_vars, default 3 s as Ray's). What it does not do: install
 * runtime_env.pip (the test venv already has the packages; the list is kept for the test to read),
 * run the entrypoint on the cluster through a supervisor actor, or stream /logs/tail.
 *
 * Without `run` (ray-jobs-client.test.ts), submissions are only recorded: they stay PENDING and the
 * test sets their status and log itself.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface StandinJob {
  submissionId: string;
  entrypoint: string;
  runtimeEnv: Record<string, unknown>;
  status: 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';
  logs: string;
  dir: string;
  child?: ChildProcess;
  exitCode?: number | null;
  stopRequested: boolean;
}

export interface RayJobsStandin {
  url: string;
  /** Uploaded working_dir packages by URI. */
  packages: Map<string, Buffer>;
  jobs: Map<string, StandinJob>;
  requests: string[];
  close(): Promise<void>;
}

/** Where submitted entrypoints run: a Python (unpacks the package, is first on PATH) and a live Ray head. */
export interface StandinRunner {
  python: string;
  rayAddress: string;
}

export async function startRayJobsStandin(runner?: StandinRunner): Promise<RayJobsStandin> {
  const packages = new Map<string, Buffer>();
  const jobs = new Map<string, StandinJob>();
  const requests: string[] = [];
  const root = mkdtempSync(path.join(os.tmpdir(), 'elrayjobs-'));

  const run = ({ python, rayAddress }: StandinRunner, job: StandinJob) => {
    const envVars = (job.runtimeEnv.env_vars ?? {}) as Record<string, string>;
    const child = spawn('/bin/sh', ['-c', job.entrypoint], {
      cwd: job.dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...envVars,
        // The venv's python first on PATH: the entrypoint says `python`.
        PATH: `${path.dirname(python)}${path.delimiter}${process.env.PATH ?? ''}`,
        RAY_ADDRESS: rayAddress,
        RAY_JOB_SUBMISSION_ID: job.submissionId,
      },
    });
    job.child = child;
    job.status = 'RUNNING';
    const append = (d: Buffer) => (job.logs += d.toString('utf8'));
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    child.on('close', (code) => {
      job.exitCode = code;
      job.status = job.stopRequested ? 'STOPPED' : code === 0 ? 'SUCCEEDED' : 'FAILED';
    });
  };

  const killGroup = (job: StandinJob, signal: NodeJS.Signals) => {
    try {
      process.kill(-job.child!.pid!, signal);
    } catch {
      /* gone */
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = req.url ?? '';
      requests.push(`${req.method} ${url}`);
      const send = (status: number, value?: unknown, text?: string) => {
        res.writeHead(status, { 'content-type': value !== undefined ? 'application/json' : 'text/plain' });
        res.end(value !== undefined ? JSON.stringify(value) : (text ?? ''));
      };
      let m: RegExpExecArray | null;
      if (req.method === 'GET' && url === '/api/version') return send(200, { version: '4', ray_version: '2.58.0', ray_commit: 'standin', session_name: 'standin' });
      if ((m = /^\/api\/packages\/([^/]+)\/([^/]+)$/.exec(url))) {
        const uri = `${m[1]}://${m[2]}`;
        if (req.method === 'GET') return packages.has(uri) ? send(200, undefined, '') : send(404, undefined, `Package ${uri} does not exist`);
        if (req.method === 'PUT') {
          packages.set(uri, body);
          return send(200, undefined, '');
        }
      }
      if (req.method === 'POST' && url === '/api/jobs/') {
        const r = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        if (typeof r.entrypoint !== 'string') return send(400, undefined, 'TypeError: entrypoint must be a string');
        const env = (r.runtime_env ?? {}) as Record<string, unknown>;
        const submissionId = typeof r.submission_id === 'string' ? r.submission_id : `raysubmit_${jobs.size + 1}`;
        if (jobs.has(submissionId)) return send(400, undefined, `ValueError: Job with submission_id ${submissionId} already exists`);
        // The job agent fails a working_dir URI the cluster does not hold.
        const uri = env.working_dir;
        if ((runner || uri !== undefined) && (typeof uri !== 'string' || !packages.has(uri))) return send(500, undefined, `working_dir ${String(uri)} not found`);
        const dir = mkdtempSync(path.join(root, 'wd-'));
        const job: StandinJob = { submissionId, entrypoint: r.entrypoint, runtimeEnv: env, status: 'PENDING', logs: '', dir, stopRequested: false };
        jobs.set(submissionId, job);
        if (runner) {
          const zip = path.join(root, `${path.basename(dir)}.zip`);
          writeFileSync(zip, packages.get(uri as string)!);
          execFileSync(runner.python, ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, dir]);
          run(runner, job);
        }
        return send(200, { job_id: submissionId, submission_id: submissionId });
      }
      if ((m = /^\/api\/jobs\/([^/]+)(\/logs|\/stop)?$/.exec(url))) {
        const job = jobs.get(decodeURIComponent(m[1]));
        if (!job) return send(404, undefined, `Job ${m[1]} does not exist`);
        if (req.method === 'GET' && !m[2])
          return send(200, {
            type: 'SUBMISSION',
            job_id: job.status === 'PENDING' ? null : '05000000',
            submission_id: job.submissionId,
            status: job.status,
            entrypoint: job.entrypoint,
            message: job.status === 'FAILED' ? `Job entrypoint command failed with exit code ${job.exitCode}` : `Job is ${job.status.toLowerCase()}.`,
            error_type: job.status === 'FAILED' ? 'JOB_ENTRYPOINT_COMMAND_ERROR' : null,
            driver_exit_code: job.exitCode ?? null,
            runtime_env: job.runtimeEnv,
          });
        if (req.method === 'GET' && m[2] === '/logs') return send(200, { logs: job.logs });
        if (req.method === 'POST' && m[2] === '/stop') {
          const running = job.status === 'PENDING' || job.status === 'RUNNING';
          if (running && !job.child) job.status = 'STOPPED';
          else if (running) {
            job.stopRequested = true;
            killGroup(job, 'SIGTERM');
            const waitS = Number((job.runtimeEnv.env_vars as Record<string, string> | undefined)?.RAY_JOB_STOP_WAIT_TIME_S ?? 3);
            setTimeout(() => job.exitCode === undefined && killGroup(job, 'SIGKILL'), waitS * 1000).unref();
          }
          return send(200, { stopped: running });
        }
      }
      send(404, undefined, 'Not Found');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    packages,
    jobs,
    requests,
    close: async () => {
      for (const job of jobs.values()) if (job.child && job.exitCode === undefined) killGroup(job, 'SIGKILL');
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
