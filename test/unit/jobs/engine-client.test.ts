import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { EngineClient, EngineExitedError } from '../../../src/engine/jobs/client';
import { CancelledError, type Progress } from '../../../src/engine/util/job';
import type { EngineTestJobs } from './test-jobs';

// The engine with the test-only jobs (count, fail, crash) besides the product's.
const entry = path.resolve(__dirname, 'test-engine-process.ts');
const output: string[] = [];
const client = new EngineClient<EngineTestJobs>({ entry, cancelGraceMs: 1500, onOutput: (t) => output.push(t) });
after(() => client.dispose());

test('the product engine does not serve the test-only jobs', async () => {
  const product = new EngineClient<EngineTestJobs>({ entry: path.resolve(__dirname, '../../../src/engine/jobs/engine-process.ts') });
  try {
    await assert.rejects(product.run({ type: 'count', params: { to: 2 } }), (err: Error) => err.name === 'InputError' && /unknown job type "count"/.test(err.message));
    assert.deepEqual(await product.run({ type: 'sleep', params: { ms: 10, steps: 1 } }), { sleptMs: 10 });
  } finally {
    await product.dispose();
  }
});

test('a job returns its result, typed arrays intact, and progress arrives', async () => {
  const seen: Progress[] = [];
  const result = await client.run({ type: 'count', params: { to: 50 } }, { onProgress: (p) => seen.push(p) });
  assert.equal(result.count, 50);
  assert.ok(result.values instanceof Float32Array, 'values cross as a Float32Array');
  assert.deepEqual(Array.from(result.values.slice(0, 3)), [1, 2, 3]);
  assert.equal(result.values[49], 50);
  assert.ok(seen.length >= 2, `progress messages: ${seen.length}`);
  assert.ok(seen.length < 50, 'progress is throttled');
  assert.deepEqual(seen.at(-1), { stage: 'count', done: 50, total: 50 });
});

test('sleep reports progress per step', async () => {
  const seen: Progress[] = [];
  const result = await client.run({ type: 'sleep', params: { ms: 400, steps: 4 } }, { onProgress: (p) => seen.push(p) });
  assert.equal(result.sleptMs, 400);
  assert.equal(seen[0]?.stage, 'sleep');
  assert.equal(seen.at(-1)?.done, 4);
});

test('an error crosses the boundary with its name, message and stack', async () => {
  await assert.rejects(
    client.run({ type: 'fail', params: { name: 'InputError', message: 'data.csv:3, field "title": empty' } }),
    (err: Error) => {
      assert.equal(err.name, 'InputError');
      assert.equal(err.message, 'data.csv:3, field "title": empty');
      assert.match(err.stack ?? '', /test-jobs\.ts/); // the stack of the engine side
      return true;
    },
  );
});

test('cancel rejects with CancelledError and the process keeps serving', async () => {
  const controller = new AbortController();
  const pidBefore = client.pid;
  const job = client.run({ type: 'sleep', params: { ms: 20_000, steps: 200 } }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 150);
  await assert.rejects(job, (err: Error) => err instanceof CancelledError);
  assert.equal(client.pid, pidBefore, 'a cooperative cancel does not kill the process');
  const again = await client.run({ type: 'count', params: { to: 3 } });
  assert.equal(again.count, 3);
});

test('a job that ignores cancel is killed after the grace period, then the engine restarts', async () => {
  const controller = new AbortController();
  const startsBefore = client.starts;
  const job = client.run({ type: 'count', params: { to: 100_000, ignoreCancel: true, busyMs: 1 } }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 150);
  await assert.rejects(job, (err: Error) => err instanceof CancelledError);
  const next = await client.run({ type: 'count', params: { to: 2 } });
  assert.equal(next.count, 2);
  assert.equal(client.starts, startsBefore + 1);
});

test('an already aborted signal rejects at once', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.run({ type: 'count', params: { to: 2 } }, { signal: controller.signal }), CancelledError);
});

test('a crash rejects every pending job with a clear error, and the next job restarts the engine', async () => {
  const startsBefore = client.starts;
  const slow = client.run({ type: 'sleep', params: { ms: 10_000, steps: 100 } });
  const crash = client.run({ type: 'crash', params: { exitCode: 7 } });
  for (const job of [slow, crash]) {
    await assert.rejects(job, (err: Error) => {
      assert.ok(err instanceof EngineExitedError);
      assert.match(err.message, /exited unexpectedly \(code 7/);
      return true;
    });
  }
  assert.equal(client.runningJobs, 0);
  const next = await client.run({ type: 'count', params: { to: 4 } });
  assert.equal(next.count, 4);
  assert.equal(client.starts, startsBefore + 1);
});

test('jobs run concurrently in one process', async () => {
  const [a, b] = await Promise.all([
    client.run({ type: 'sleep', params: { ms: 200, steps: 2 } }),
    client.run({ type: 'count', params: { to: 10 } }),
  ]);
  assert.equal(a.sleptMs, 200);
  assert.equal(b.count, 10);
});

test('dispose stops the running jobs (they reject), and a disposed client refuses jobs', async () => {
  const other = new EngineClient<EngineTestJobs>({ entry });
  await other.run({ type: 'count', params: { to: 1 } });
  const running = other.run({ type: 'sleep', params: { ms: 30_000, steps: 300 } });
  await new Promise((r) => setTimeout(r, 100));
  await other.dispose();
  await assert.rejects(running, (err: Error) => err instanceof EngineExitedError && /was stopped/.test(err.message));
  assert.equal(other.pid, undefined);
  await assert.rejects(other.run({ type: 'count', params: { to: 1 } }), /disposed/);
});
