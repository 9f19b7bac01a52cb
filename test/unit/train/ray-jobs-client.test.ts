/**
 * The Ray Jobs API client against the stand-in job server (ray-jobs-standin.ts, here recording
 * submissions without running them), which answers as Ray 2.58's job server does
 * (ray/dashboard/modules/job/job_head.py): the routes, the trailing slash of POST /api/jobs/, the
 * package routes (GET 404 → PUT → GET 200, content-addressed gcs://_ray_pkg_<sha1>.zip URIs), the
 * submission answer, JobDetails, logs and stop. This is not a live cluster (the test venv has
 * ray[train] only, not the ray[default] the job server needs): the README says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RayJobsClient, logTail, packageUriFor } from '../../../src/engine/train/runners/ray-jobs-client';
import { zipStored } from '../../../src/engine/util/zip';
import { startRayJobsStandin } from './ray-jobs-standin';

test('Ray Jobs client: version, package upload once (content-addressed), submit with runtime_env, status, logs, stop', async () => {
  const fake = await startRayJobsStandin();
  try {
    const client = new RayJobsClient(fake.url + '/');
    assert.deepEqual(await client.version(), { version: '4', rayVersion: '2.58.0' });
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
    assert.equal((await client.status(submissionId)).jobId, '05000000');
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
    await fake.close();
  }
});

test('Ray Jobs client: a server that is not there, and an address that is not http(s), are clear errors', async () => {
  assert.throws(() => new RayJobsClient('127.0.0.1:6379'), /must be http\(s\):\/\/<head>:8265|is not a URL/);
  const fake = await startRayJobsStandin();
  await fake.close();
  await assert.rejects(new RayJobsClient(fake.url, { timeoutMs: 5000 }).version(), /did not answer GET \/api\/version/);
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
