// Issue 9 items 9 and 10: vectors with NaN or Infinity (an endpoint's 1e39 overflows float32) are
// refused where they enter, naming the text's index and id; all-zero vectors are a counted warning;
// a failing or silent endpoint reports each retry and long wait through the job's progress.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseEndpointSpec } from '../../../src/engine/encoders/http/endpoint-spec';
import { HttpEncoder } from '../../../src/engine/encoders/http/http-encoder';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { checkVectors } from '../../../src/engine/encoders/checked-encoder';
import type { Progress } from '../../../src/engine/util/job';
import { startFakeEndpoint, type FakeEndpoint } from './fake-endpoint';
import { runCli } from '../cli/helpers';

let ep: FakeEndpoint;
before(async () => {
  ep = await startFakeEndpoint();
});
after(async () => {
  await ep.close();
});

function fresh(): void {
  ep.requests.length = 0;
  ep.script.length = 0;
}

const TEXTS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const IDS = ['a1', 'b2', 'c3', 'd4', 'e5'];

function float32Base64(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

test('an endpoint answering 1e39 (Infinity in float32) is refused, naming the text index and id', async () => {
  fresh();
  const enc = await resolveEncoder(`${ep.base}/v1?model=m&batch_size=10`);
  ep.script.push({ replace: { 3: [0.1, 0.2, 1e39, 0.4, 0.5, 0.6] } });
  await assert.rejects(enc.encode(TEXTS, { ids: IDS }), (e: Error) => {
    assert.equal(e.name, 'NonFiniteVectorError');
    assert.match(e.message, /returned a vector with Infinity \(component 2\) for text 3 \(id "d4"\)/);
    return true;
  });
  // Without ids, the index alone.
  ep.script.push({ replace: { 1: [0.1, -1e39, 0, 0, 0, 0] } });
  await assert.rejects(enc.encode(TEXTS), /vector with -Infinity \(component 1\) for text 1:/);
});

test('a NaN sent as base64 float32 is refused', async () => {
  fresh();
  const enc = await resolveEncoder(`${ep.base}/v1?model=m&batch_size=10`);
  ep.script.push({ replace: { 0: float32Base64([1, 2, Number.NaN, 4, 5, 6]) } });
  await assert.rejects(enc.encode(TEXTS), /vector with NaN \(component 2\) for text 0/);
});

test('an all-zero vector is a counted warning through the progress callback, not an error', async () => {
  fresh();
  const enc = await resolveEncoder(`${ep.base}/v1?model=m&batch_size=10`);
  ep.script.push({ replace: { 2: [0, 0, 0, 0, 0, 0], 4: [0, 0, 0, 0, 0, 0] } });
  const seen: Progress[] = [];
  const m = await enc.encode(TEXTS, { ids: IDS, onProgress: (p) => seen.push(p) });
  assert.equal(m.rows, 5);
  const warning = seen.find((p) => p.stage === 'warning');
  assert.ok(warning, 'a warning was reported');
  assert.equal(warning.done, 2);
  assert.match(warning.message ?? '', /2 of 5 vectors are all zeros \(first: text 2 \(id "c3"\)\)/);
  assert.deepEqual(checkVectors({ rows: 2, cols: 2, data: new Float32Array([0, 0, 1, 0]) }, 'x'), [0]);
});

test('retries are reported through the progress callback: retry n/N, the status, the wait', async () => {
  fresh();
  const enc = await HttpEncoder.create(parseEndpointSpec(`${ep.base}#m`), { dimension: 6, normalized: false, retryBaseMs: 1, retryMaxMs: 5, maxRetries: 3 });
  ep.script.push({ status: 503, body: { error: { message: 'overloaded' } } }, { status: 500 });
  const seen: Progress[] = [];
  await enc.encode(['x'], { onProgress: (p) => seen.push(p) });
  const retries = seen.filter((p) => p.stage === 'retry');
  assert.equal(retries.length, 2);
  assert.match(retries[0].message ?? '', /HTTP 503: overloaded; retry 1\/3, waiting \d+\.\d s/);
  assert.match(retries[1].message ?? '', /HTTP 500: .*; retry 2\/3, waiting/);
  assert.deepEqual(retries.map((p) => [p.done, p.total]), [[1, 3], [2, 3]]);
});

test('a request with no answer is reported while it waits, then its timeout as a retry', async () => {
  fresh();
  const enc = await HttpEncoder.create(parseEndpointSpec(`${ep.base}#m`), { dimension: 6, normalized: false, retryBaseMs: 1, retryMaxMs: 5, timeoutMs: 400, waitNoticeMs: 100, maxRetries: 1 });
  ep.script.push('hang');
  const seen: Progress[] = [];
  await enc.encode(['x'], { onProgress: (p) => seen.push(p) });
  const waits = seen.filter((p) => p.stage === 'waiting');
  assert.ok(waits.length >= 2, `waiting notices: ${waits.length}`);
  assert.match(waits[0].message ?? '', /no answer yet after \d+ s \(attempt 1\/2, timeout 0 s\)/);
  assert.match(seen.find((p) => p.stage === 'retry')?.message ?? '', /no answer within 400 ms \(timeout\); retry 1\/1/);
});

test('embed shows endpoint retries on stderr and refuses a non-finite vector naming the row id', async () => {
  fresh();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-trust-'));
  const file = path.join(dir, 'in.jsonl');
  fs.writeFileSync(file, TEXTS.map((t, i) => JSON.stringify({ id: IDS[i], text: t })).join('\n') + '\n');
  ep.script.push({ status: 502 }); // the probe fails once
  const ok = await runCli('embed', file, '--text', '{text}', '--encoder', `${ep.base}/v1?model=m`, '--out', path.join(dir, 'v.npy'));
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /^retry: .*HTTP 502: status 502; retry 1\/5, waiting \d/m);
  fresh();
  ep.script.push('ok', { replace: { 4: [1, 2, 3, 4, 5, 1e39] } });
  const bad = await runCli('embed', file, '--text', '{text}', '--encoder', `${ep.base}/v1?model=m`, '--out', path.join(dir, 'w.npy'));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Infinity \(component 5\) for text 4 \(id "e5"\)/);
  assert.ok(!fs.existsSync(path.join(dir, 'w.npy')));
});
