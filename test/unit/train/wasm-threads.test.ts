import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WasmBuildInfo } from '../../../src/engine/train/backend';

interface ChildOutput {
  backend: string;
  build: WasmBuildInfo;
  product: number[];
}

function startWasm(env: Record<string, string>): ChildOutput {
  const child = path.join(__dirname, 'wasm-threads-child.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildOutput;
}

test('the wasm backend starts its threaded SIMD build in Node, and computes what the single-threaded build computes', () => {
  const threaded = startWasm({ EMBEDLAB_WASM_THREADS: '2' });
  assert.equal(threaded.backend, 'wasm');
  // The backend caps its pool at the logical cores (wasm-threads.ts undoes its halving).
  assert.deepEqual(threaded.build, { threaded: true, threads: Math.min(2, os.cpus().length) });
  const single = startWasm({ EMBEDLAB_WASM_THREADS: '0' });
  assert.equal(single.build.threaded, false);
  assert.match(single.build.reason ?? '', /EMBEDLAB_WASM_THREADS=0/);
  let worst = 0;
  threaded.product.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - single.product[i]))));
  assert.ok(worst < 1e-4, `max difference ${worst}`);
});
