import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseEndpointSpec } from '../../../src/engine/encoders/http/endpoint-spec';
import { HttpEncoder } from '../../../src/engine/encoders/http/http-encoder';
import { planBatches } from '../../../src/engine/encoders/http/batches';
import { parseRetryAfter } from '../../../src/engine/http/retry';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import type { Matrix } from '../../../src/engine/util/matrix';
import { expectedVector, startFakeEndpoint } from './fake-endpoint';
import type { FakeEndpoint } from './fake-endpoint';

let ep: FakeEndpoint;
before(async () => {
  ep = await startFakeEndpoint();
});
after(async () => {
  await ep.close();
});

const fast = { retryBaseMs: 1, retryMaxMs: 5 };
const TEXTS = Array.from({ length: 10 }, (_, i) => `text number ${i} ${'é'.repeat(i)}`);

function assertRows(m: Matrix, texts: readonly string[], dim: number): void {
  assert.equal(m.rows, texts.length);
  assert.equal(m.cols, dim);
  texts.forEach((t, r) => {
    const want = expectedVector(t, dim);
    for (let c = 0; c < dim; c++) assert.ok(Math.abs(m.data[r * dim + c] - want[c]) < 1e-5, `row ${r} col ${c}`);
  });
}

function fresh(): void {
  ep.requests.length = 0;
  ep.script.length = 0;
}

test('endpoint specs: base URL, /v1, full path, model from # or ?model, our params stripped', () => {
  assert.equal(parseEndpointSpec('http://localhost:8080').url, 'http://localhost:8080/v1/embeddings');
  assert.equal(parseEndpointSpec('http://localhost:11434/v1#nomic-embed-text').url, 'http://localhost:11434/v1/embeddings');
  assert.equal(parseEndpointSpec('http://localhost:11434/v1#nomic-embed-text').model, 'nomic-embed-text');
  const s = parseEndpointSpec('https://api.openai.com/v1/embeddings?model=text-embedding-3-small&dimensions=256&batch_size=16');
  assert.equal(s.url, 'https://api.openai.com/v1/embeddings');
  assert.equal(s.model, 'text-embedding-3-small');
  assert.equal(s.dimensions, 256);
  assert.equal(s.batchSize, 16);
  assert.equal(s.id, 'http:https://api.openai.com/v1/embeddings#text-embedding-3-small@d256');
  const az = parseEndpointSpec('https://res.openai.azure.com/openai/deployments/dep/embeddings?api-version=2024-02-01');
  assert.equal(az.azure, true);
  assert.equal(az.url, 'https://res.openai.azure.com/openai/deployments/dep/embeddings?api-version=2024-02-01');
  assert.throws(() => parseEndpointSpec('https://x/v1?api_key=sk-1'), /secrets/);
  assert.throws(() => parseEndpointSpec('https://u:sk@x/v1'), /EMBEDLAB_API_KEY/);
  assert.throws(() => parseEndpointSpec('http://x/v1?dimensions=-3'), /positive integer/);
});

test('batch planning and Retry-After parsing', () => {
  assert.deepEqual(planBatches(['a', 'b', 'c', 'd', 'e'], 2, 100), [[0, 2], [2, 4], [4, 5]]);
  assert.deepEqual(planBatches(['aaaa', 'bbbb', 'cccccccccc', 'd'], 10, 9), [[0, 2], [2, 3], [3, 4]]);
  assert.equal(parseRetryAfter('2'), 2000);
  assert.equal(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 3)).toUTCString(), Date.UTC(2030, 0, 1)), 3000);
  assert.equal(parseRetryAfter(null), undefined);
});

test('batching: requests of batch_size texts, vectors in input order, key in the header only', async () => {
  fresh();
  const enc = await resolveEncoder(`${ep.base}/v1?model=m1&batch_size=3`, { apiKey: 'sk-secret-123' });
  assert.equal(enc.dimension, 6);
  assert.equal(enc.normalized, false);
  assert.ok(!enc.id.includes('sk-secret'));
  assert.equal(enc.id, `http:${ep.base}/v1/embeddings#m1`);
  ep.requests.length = 0; // the probe
  const progress: number[] = [];
  const m = await enc.encode(TEXTS, { onProgress: (p) => progress.push(p.done) });
  assertRows(m, TEXTS, 6);
  assert.equal(ep.requests.length, 4);
  assert.deepEqual(ep.requests.map((r) => r.body.input.length).sort(), [1, 3, 3, 3]);
  for (const r of ep.requests) {
    assert.equal(r.url, '/v1/embeddings');
    assert.equal(r.headers.authorization, 'Bearer sk-secret-123');
    assert.equal(r.body.model, 'm1');
    assert.equal(r.body.encoding_format, 'float');
    assert.equal(r.body.dimensions, undefined);
  }
  assert.equal(progress[progress.length - 1], TEXTS.length);
});

test('a 429 with Retry-After, then success', async () => {
  fresh();
  const enc = await HttpEncoder.create(parseEndpointSpec(`${ep.base}#m`), { ...fast, dimension: 6, normalized: false });
  ep.script.push({ status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'Rate limit reached' } } });
  const m = await enc.encode(TEXTS.slice(0, 2));
  assertRows(m, TEXTS.slice(0, 2), 6);
  assert.equal(ep.requests.length, 2);
  assert.deepEqual(ep.requests[0].body, ep.requests[1].body);
});

test('500 twice then success; giving up names the status', async () => {
  fresh();
  const enc = await HttpEncoder.create(parseEndpointSpec(`${ep.base}#m`), { ...fast, dimension: 6, normalized: false, maxRetries: 2 });
  ep.script.push({ status: 500 }, { status: 503 });
  assertRows(await enc.encode(['a b']), ['a b'], 6);
  assert.equal(ep.requests.length, 3);
  fresh();
  ep.script.push({ status: 500 }, { status: 502 }, { status: 500, body: { error: { message: 'boom' } } });
  await assert.rejects(enc.encode(['a b']), /HTTP 500: boom \(gave up after 3 attempts\)/);
  assert.equal(ep.requests.length, 3);
});

test('a request that never answers times out (and is retried)', async () => {
  fresh();
  const enc = await HttpEncoder.create(parseEndpointSpec(`${ep.base}#m`), { ...fast, dimension: 6, normalized: false, timeoutMs: 150, maxRetries: 1 });
  ep.script.push('hang', 'hang');
  await assert.rejects(enc.encode(['x']), /no answer within 150 ms \(timeout\).*2 attempts/);
  assert.equal(ep.requests.length, 2);
  fresh();
  ep.script.push('hang');
  assertRows(await enc.encode(['x']), ['x'], 6);
});

test('cancelling the job stops a hanging request with CancelledError', async () => {
  fresh();
  const enc = await HttpEncoder.create(parseEndpointSpec(`${ep.base}#m`), { ...fast, dimension: 6, normalized: false, timeoutMs: 60_000 });
  ep.script.push('hang');
  const c = new AbortController();
  const run = enc.encode(['x'], { signal: c.signal });
  setTimeout(() => c.abort(), 50);
  await assert.rejects(run, { name: 'CancelledError' });
});

test('dimensions are passed through and set the width', async () => {
  fresh();
  const enc = await resolveEncoder(`${ep.base}/v1/embeddings?model=m&dimensions=4`, {});
  assert.equal(enc.dimension, 4);
  assert.match(enc.id, /@d4$/);
  const m = await enc.encode(['hello', 'world']);
  assertRows(m, ['hello', 'world'], 4);
  assert.ok(ep.requests.every((r) => r.body.dimensions === 4 && r.url === '/v1/embeddings'));
});

test('out-of-order indices come back in input order', async () => {
  fresh();
  const enc = await HttpEncoder.create(parseEndpointSpec(`${ep.base}#m`), { dimension: 6, normalized: false, batchSize: 5 });
  ep.script.push('reverse', 'reverse');
  assertRows(await enc.encode(TEXTS), TEXTS, 6);
});

test('a 400 surfaces the server message at once; Azure sends api-key', async () => {
  fresh();
  const enc = await HttpEncoder.create(parseEndpointSpec(`${ep.base}#m`), { ...fast, dimension: 6, normalized: false });
  ep.script.push({ status: 400, body: { error: { message: "This model's maximum context length is 8192 tokens", type: 'invalid_request_error' } } });
  await assert.rejects(enc.encode(['x']), /HTTP 400: This model's maximum context length is 8192 tokens/);
  assert.equal(ep.requests.length, 1);
  fresh();
  const az = await HttpEncoder.create(parseEndpointSpec(`${ep.base}/openai/deployments/d/embeddings?api-version=2024-02-01`), { apiKey: 'az-key', dimension: 6, normalized: false });
  await az.encode(['x']);
  assert.equal(ep.requests[0].url, '/openai/deployments/d/embeddings?api-version=2024-02-01');
  assert.equal(ep.requests[0].headers['api-key'], 'az-key');
  assert.equal(ep.requests[0].headers.authorization, undefined);
  assert.equal(ep.requests[0].body.model, undefined);
});
