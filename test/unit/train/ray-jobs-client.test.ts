/**
 * The Ray Jobs API client against a local HTTP server that answers as Ray 2.58's job server does
 * (ray/dashboard/modules/job/job_head.py): the routes, the trailing slash of POST /api/jobs/, the
 * package routes (GET 404 → PUT → GET 200, content-addressed gcs://_ray_pkg_<sha1>.zip URIs), the
 * submission answer, JobDetails, logs and stop. This is not a live cluster (the test venv has
 * ray[train] only, not the ray[default] the job server needs): the README says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RayJobsClient, logTail, packageUriFor } from '../../../src/engine/train/runners/ray-jobs-client';
import { zipStored } from '../../../src/engine/util/zip';

interface FakeJob {
  submissionId: string;
  entrypoint: string;
  runtimeEnv: Record<string, unknown>;
  status: string;
  logs: string;
}

/** A job server holding packages and jobs in memory, answering like Ray's. */
function jobServer() {
  const packages = new Map<string, Buffer>();
  const jobs = new Map<string, FakeJob>();
  const requests: string[] = [];
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
      if (req.method === 'GET' && url === '/api/version') return send(200, { version: '0', ray_version: '2.58.0', ray_commit: 'abc', session_name: 's' });
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
        // The job agent fails a working_dir URI the cluster does not hold.
        if (typeof env.working_dir === 'string' && !packages.has(env.working_dir)) return send(500, undefined, `working_dir ${env.working_dir} not found`);
        const submissionId = typeof r.submission_id === 'string' ? r.submission_id : `raysubmit_${jobs.size + 1}`;
        if (jobs.has(submissionId)) return send(400, undefined, `ValueError: Job with submission_id ${submissionId} already exists`);
        jobs.set(submissionId, { submissionId, entrypoint: r.entrypoint, runtimeEnv: env, status: 'PENDING', logs: '' });
        return send(200, { job_id: submissionId, submission_id: submissionId });
      }
      if ((m = /^\/api\/jobs\/([^/]+)(\/logs|\/stop)?$/.exec(url))) {
        const job = jobs.get(decodeURIComponent(m[1]));
        if (!job) return send(404, undefined, `Job ${m[1]} does not exist`);
        if (req.method === 'GET' && !m[2])
          return send(200, {
            type: 'SUBMISSION', job_id: job.status === 'PENDING' ? null : '03000000', submission_id: job.submissionId, status: job.status,
            entrypoint: job.entrypoint, message: `Job is ${job.status.toLowerCase()}.`, error_type: null, driver_exit_code: job.status === 'SUCCEEDED' ? 0 : null, runtime_env: job.runtimeEnv,
          });
        if (req.method === 'GET' && m[2] === '/logs') return send(200, { logs: job.logs });
        if (req.method === 'POST' && m[2] === '/stop') {
          const stopped = job.status === 'PENDING' || job.status === 'RUNNING';
          if (stopped) job.status = 'STOPPED';
          return send(200, { stopped });
        }
      }
      send(404, undefined, 'Not Found');
    });
  });
  return { server, packages, jobs, requests };
}

async function listening(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('Ray Jobs client: version, package upload once (content-addressed), submit with runtime_env, status, logs, stop', async () => {
  const fake = jobServer();
  const url = await listening(fake.server);
  try {
    const client = new RayJobsClient(url + '/');
    assert.deepEqual(await client.version(), { version: '0', rayVersion: '2.58.0' });
    const zip = zipStored([
      { name: 'job/job.json', data: Buffer.from('{"schemaVersion":1}') },
      { name: 'embedlab_train/__init__.py', data: Buffer.from('') },
    ]);
    const first = await client.uploadPackage(zip);
    assert.equal(first.uri, `gcs://_ray_pkg_${createHash('sha1').update(zip).digest('hex')}.zip`);
    assert.equal(first.uploaded, true);
    assert.deepEqual(fake.packages.get(first.uri), zip);
    const again = await client.uploadPackage(zip);
    assert.equal(again.uploaded, false, 'a package the cluster holds is not sent again');
    assert.deepEqual(fake.requests.filter((r) => r.includes('/api/packages/')), [
      `GET /api/packages/gcs/${first.uri.slice('gcs://'.length)}`,
      `PUT /api/packages/gcs/${first.uri.slice('gcs://'.length)}`,
      `GET /api/packages/gcs/${first.uri.slice('gcs://'.length)}`,
    ]);
    const { submissionId } = await client.submit({
      entrypoint: 'python -m embedlab_train job --out run --ray-address auto',
      submissionId: 'embedlab-run1',
      runtimeEnv: { working_dir: first.uri, pip: ['sentence-transformers[train]==6.0.1'] },
      metadata: { run: 'run1' },
    });
    assert.equal(submissionId, 'embedlab-run1');
    assert.deepEqual(fake.jobs.get('embedlab-run1')!.runtimeEnv, { working_dir: first.uri, pip: ['sentence-transformers[train]==6.0.1'] });
    assert.deepEqual(await client.status(submissionId), { status: 'PENDING', submissionId, jobId: undefined, message: 'Job is pending.', errorType: undefined, driverExitCode: undefined });
    fake.jobs.get(submissionId)!.status = 'RUNNING';
    fake.jobs.get(submissionId)!.logs = 'step 1/8 loss 1.9\nstep 2/8 lo';
    assert.equal((await client.status(submissionId)).jobId, '03000000');
    const tail = logTail();
    assert.deepEqual(tail(await client.logs(submissionId)), ['step 1/8 loss 1.9']);
    fake.jobs.get(submissionId)!.logs += 'ss 1.8\nstep 3/8 loss 1.7\n';
    assert.deepEqual(tail(await client.logs(submissionId)), ['step 2/8 loss 1.8', 'step 3/8 loss 1.7']);
    assert.deepEqual(tail(await client.logs(submissionId)), []);
    assert.equal(await client.stop(submissionId), true);
    assert.equal((await client.status(submissionId)).status, 'STOPPED');
    assert.equal(await client.stop(submissionId), false);
    // Errors name the call and carry the server's text.
    await assert.rejects(client.status('nope'), /GET \/api\/jobs\/nope: HTTP 404: Job nope does not exist/);
    await assert.rejects(client.submit({ entrypoint: 'x', submissionId: 'embedlab-run1' }), /HTTP 400: ValueError: Job with submission_id embedlab-run1 already exists/);
    await assert.rejects(client.submit({ entrypoint: 'x', runtimeEnv: { working_dir: packageUriFor(Buffer.from('other')) } }), /HTTP 500: working_dir gcs:\/\/_ray_pkg_[0-9a-f]{40}\.zip not found/);
  } finally {
    fake.server.close();
  }
});

test('Ray Jobs client: a server that is not there, and an address that is not http(s), are clear errors', async () => {
  assert.throws(() => new RayJobsClient('127.0.0.1:6379'), /must be http\(s\):\/\/<head>:8265|is not a URL/);
  const fake = jobServer();
  const url = await listening(fake.server);
  fake.server.close();
  await assert.rejects(new RayJobsClient(url, { timeoutMs: 5000 }).version(), /did not answer GET \/api\/version/);
});

test('the working_dir zip opens with Python zipfile (as the cluster unpacks it) with the same files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedlab-zip-'));
  const file = path.join(dir, 'p.zip');
  const text = 'é\n'.repeat(1000);
  writeFileSync(file, zipStored([{ name: 'job/train.jsonl', data: Buffer.from(text) }, { name: 'a.bin', data: new Uint8Array([0, 255, 7]) }]));
  let out: string;
  try {
    out = execFileSync(process.env.EMBEDLAB_BARE_PYTHON ?? 'python3', ['-c', 'import sys, zipfile, json; z = zipfile.ZipFile(sys.argv[1]); z.testzip(); print(json.dumps({n: list(z.read(n)) if n.endswith(".bin") else z.read(n).decode() for n in z.namelist()}))', file], { encoding: 'utf8' });
  } catch (e) {
    throw new Error(`python3 could not read the zip: ${(e as Error).message}`);
  }
  assert.deepEqual(JSON.parse(out), { 'job/train.jsonl': text, 'a.bin': [0, 255, 7] });
});
