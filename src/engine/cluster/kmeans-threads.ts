/**
 * Runs k-means restarts (kmeans-kernel.ts) on one thread or several. The row sets (all points, and
 * the sample the restarts are screened on) sit padded in one shared WebAssembly memory with a
 * scratch region per thread. The main thread and, with several threads, worker threads claim the
 * restarts one at a time from a shared counter; the main thread yields every few iterations, and
 * a cancel stops the workers within one iteration.
 * A restart's result depends only on its task and the rows, so the results, kept by restart index,
 * are the same bit for bit for any thread count.
 */
import { availableParallelism } from 'node:os';
import type { Matrix } from '../util/matrix';
import { checkpoint, throwIfCancelled, type JobOptions } from '../util/job';
import { createSharedMemory, instantiateShared, type SharedWasmMemory, type WasmModule } from '../util/wasm-module';
import { SourceWorker } from '../util/source-worker';
import { sharedDotsModule } from './simd-dots';
import { kmeansKernel, KMEANS_KERNEL_SOURCE, type KMeansRows, type KMeansRun, type KMeansScratch, type KMeansTask } from './kmeans-kernel';

/** Points per block of products. */
const BLOCK = 256;
/** Below this much work (points × restarts × k × cols, over all phases) one thread is faster than starting workers. */
const THREADS_FROM_WORK = 2_000_000;

/** The default thread count: the machine's cores up to 4 for enough work, else 1. */
export function defaultKMeansThreads(work: number): number {
  return work < THREADS_FROM_WORK ? 1 : Math.max(1, Math.min(4, availableParallelism()));
}

export interface RestartOptions extends JobOptions {
  maxIter: number;
  tol: number;
  /** Progress: restarts done before this batch, and the total over all batches. */
  progressOffset: number;
  progressTotal: number;
}

type Scratch = Omit<KMeansScratch, 'dots' | 'f32' | 'i32'>;

const align64 = (bytes: number): number => Math.ceil(bytes / 64) * 64;

function squaredNorms(x: Matrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0, o = i * x.cols; j < x.cols; j++) s += x.data[o + j] * x.data[o + j];
    out[i] = s;
  }
  return out;
}

/** The restarts over fixed row sets (same width) for a fixed k; `close` ends the workers. */
export class KMeansRestarts {
  private readonly sets: KMeansRows[] = [];
  private readonly scratch: Scratch[] = [];
  private readonly memory: SharedWasmMemory | null;
  private readonly buffer: ArrayBufferLike;
  private readonly module: WasmModule | null;
  private readonly workers: RestartWorker[] = [];
  private mainScratch: KMeansScratch | undefined;
  private readonly control = new Int32Array(new SharedArrayBuffer(12)); // next restart, stop, restarts done
  readonly threads: number;

  constructor(
    rowSets: readonly Matrix[],
    readonly k: number,
    threads: number,
  ) {
    const cols = rowSets[0].cols;
    const stride = 4 * Math.ceil(cols / 16) * 16;
    let at = 0;
    const bases = rowSets.map((x) => {
      if (x.cols !== cols) throw new Error('k-means: the row sets differ in width');
      const base = at;
      at += x.rows * stride;
      return base;
    });
    const iotaAt = at;
    const most = Math.max(...rowSets.map((x) => x.rows));
    at = align64(at + 4 * most);
    // Several threads need shared memory and the SIMD kernel; without them, one thread.
    this.module = sharedDotsModule();
    const scratchBytes = align64(k * stride) + align64(4 * BLOCK) + align64(4 * k * BLOCK);
    const wanted = this.module ? Math.max(1, threads) : 1;
    this.memory = this.module ? createSharedMemory(at + wanted * scratchBytes) : null;
    this.threads = this.memory ? wanted : 1;
    this.buffer = this.memory ? this.memory.buffer : new ArrayBuffer(at + scratchBytes);
    const f32 = new Float32Array(this.buffer);
    rowSets.forEach((x, s) => {
      for (let i = 0; i < x.rows; i++) f32.set(x.data.subarray(i * cols, (i + 1) * cols), (bases[s] + i * stride) / 4);
      this.sets.push({ base: bases[s], n: x.rows, norms: squaredNorms(x) });
    });
    const iota = new Int32Array(this.buffer, iotaAt, most);
    for (let i = 0; i < most; i++) iota[i] = i;
    for (let t = 0; t < this.threads; t++) {
      const centAt = at + t * scratchBytes;
      const idsAt = centAt + align64(k * stride);
      this.scratch.push({ stride, cols, k, block: BLOCK, iotaAt, centAt, idsAt, outAt: idsAt + align64(4 * BLOCK) });
    }
  }

  /**
   * Runs `tasks` on row set `set`; the results in task order. The main thread and the workers
   * claim the restarts one at a time from a shared counter; the main thread yields every few
   * iterations (its caller can do other work meanwhile, the workers keep going).
   */
  async run(set: number, tasks: readonly KMeansTask[], options: RestartOptions): Promise<KMeansRun[]> {
    throwIfCancelled(options.signal);
    const control = this.control;
    Atomics.store(control, 0, 0);
    Atomics.store(control, 1, 0);
    Atomics.store(control, 2, 0);
    while (this.workers.length < this.threads - 1) {
      const scratch = this.scratch[this.workers.length + 1];
      this.workers.push(new RestartWorker({ source: KMEANS_KERNEL_SOURCE, module: this.module!, memory: this.memory!, scratch, sets: this.sets, control: control.buffer as SharedArrayBuffer }));
    }
    const out: (KMeansRun | undefined)[] = new Array(tasks.length);
    const others = this.workers.map((w) => w.run({ set, tasks, maxIter: options.maxIter, tol: options.tol }));
    // Handled now: a worker's failure must not go unhandled while this thread runs its restarts.
    const answers = Promise.all(others);
    answers.catch(() => undefined);
    const report = (): void => options.onProgress?.({ stage: 'kmeans', done: options.progressOffset + Atomics.load(control, 2), total: options.progressTotal });
    try {
      const kernel = kmeansKernel();
      const here = this.here();
      for (;;) {
        const r = Atomics.add(control, 0, 1);
        if (r >= tasks.length) break;
        const state = kernel.start(here, this.sets[set], tasks[r], options.maxIter, options.tol);
        while (!kernel.step(here, state, 5)) await checkpoint(options.signal);
        out[r] = kernel.finish(here, state);
        Atomics.add(control, 2, 1);
        report();
        await checkpoint(options.signal);
      }
    } catch (e) {
      // Stop the workers within one iteration, and let them answer before rethrowing.
      Atomics.store(control, 1, 1);
      await Promise.allSettled(others);
      throw e;
    }
    for (const answer of await answers) for (const [r, run] of answer) out[r] = run;
    if (out.some((r) => r === undefined)) throw new Error('k-means: a restart went missing');
    report();
    return out as KMeansRun[];
  }

  /** The main thread's scratch (thread 0) with its dot kernel. */
  private here(): KMeansScratch {
    this.mainScratch ??= {
      ...this.scratch[0],
      dots: this.memory ? (instantiateShared(this.module!, this.memory).dots as KMeansScratch['dots']) : kmeansKernel().scalarDots(this.buffer),
      f32: new Float32Array(this.buffer),
      i32: new Int32Array(this.buffer),
    };
    return this.mainScratch;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

interface RestartWorkerData {
  source: string;
  module: WasmModule;
  memory: SharedWasmMemory;
  scratch: Scratch;
  sets: KMeansRows[];
  control: SharedArrayBuffer;
}

/**
 * The worker's script: compiles the kernel and the shared dot kernel, then on each message claims
 * restarts from the shared counter until none is left (or the stop flag is set), and answers with
 * [restart index, result] pairs.
 */
const WORKER_SOURCE = `
const { parentPort, workerData: s } = require('node:worker_threads');
const kernel = (0, eval)(s.source);
const buffer = s.memory.buffer;
const dots = new WebAssembly.Instance(s.module, { env: { mem: s.memory } }).exports.dots;
const scratch = Object.assign({ dots, f32: new Float32Array(buffer), i32: new Int32Array(buffer) }, s.scratch);
const control = new Int32Array(s.control);
parentPort.on('message', (m) => {
  try {
    const rows = s.sets[m.set];
    const out = [];
    for (;;) {
      const r = Atomics.add(control, 0, 1);
      if (r >= m.tasks.length || Atomics.load(control, 1) !== 0) break;
      const state = kernel.start(scratch, rows, m.tasks[r], m.maxIter, m.tol);
      while (!kernel.step(scratch, state, 1) && Atomics.load(control, 1) === 0);
      if (Atomics.load(control, 1) !== 0) break;
      out.push([r, kernel.finish(scratch, state)]);
      Atomics.add(control, 2, 1);
    }
    parentPort.postMessage(out);
  } catch (e) {
    parentPort.postMessage(String((e && e.stack) || e));
  }
});
`;

class RestartWorker extends SourceWorker<[number, KMeansRun][]> {
  constructor(data: RestartWorkerData) {
    super(WORKER_SOURCE, data, 'k-means worker', true);
  }

  run(message: { set: number; tasks: readonly KMeansTask[]; maxIter: number; tol: number }): Promise<[number, KMeansRun][]> {
    return this.request(message);
  }
}
