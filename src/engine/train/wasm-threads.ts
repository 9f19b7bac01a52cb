/**
 * The threaded SIMD build of the tfjs wasm backend, in Node. tfjs-backend-wasm 4.22 never
 * chooses it there: its WASM_HAS_MULTITHREAD_SUPPORT flag returns false whenever IS_NODE
 * (tfjs issue #3830), and its loader hands Emscripten browser-only things: the pthread worker
 * script as a `blob:` URL (Node's worker_threads.Worker takes a file path, a file: or data:
 * URL, or source with `eval: true`, never a blob: URL) and the module script as a Blob for
 * the worker to `importScripts` (the worker's Node shim reads a path with fs.readFileSync).
 *
 * Everything else works in Node 20: shared WebAssembly memory, Atomics.wait on the main
 * thread, worker_threads. So, for the first initialisation only, this swaps
 * worker_threads.Worker for a subclass that starts the worker from the package's own worker
 * source (`eval: true`) and passes the module script as a file path, then puts the original
 * Worker back. Emscripten keeps its pool of pthread workers for the life of the process.
 */
import { existsSync } from 'node:fs';
import type * as WorkerThreadsModule from 'node:worker_threads';
import * as path from 'node:path';

/** The two scripts the threaded build needs besides its .wasm, when both are found. */
export interface ThreadedSimdScripts {
  /** tfjs-backend-wasm-threaded-simd.worker.js (a CommonJS module exporting `wasmWorkerContents`). */
  workerModule: string;
  /** tfjs-backend-wasm-threaded-simd.js (the Emscripten module the workers load). */
  moduleScript: string;
}

const WORKER_FILE = 'tfjs-backend-wasm-threaded-simd.worker.js';
const MODULE_FILE = 'tfjs-backend-wasm-threaded-simd.js';
const WASM_FILE = 'tfjs-backend-wasm-threaded-simd.wasm';

/**
 * The scripts beside the wasm files (`wasmDir`, where the build copies them next to the
 * bundle) or in the package's wasm-out/ folder (`wasmDir` being its dist/).
 */
export function findThreadedSimdScripts(wasmDir: string): ThreadedSimdScripts | undefined {
  if (!existsSync(path.join(wasmDir, WASM_FILE))) return undefined;
  for (const dir of [wasmDir, path.join(wasmDir, '..', 'wasm-out')]) {
    const workerModule = path.join(dir, WORKER_FILE);
    const moduleScript = path.join(dir, MODULE_FILE);
    if (existsSync(workerModule) && existsSync(moduleScript)) return { workerModule, moduleScript };
  }
  return undefined;
}

type WorkerThreads = typeof WorkerThreadsModule;
type WorkerCtor = WorkerThreads['Worker'];

interface LoadMessage {
  cmd?: unknown;
  urlOrBlob?: unknown;
}

/** A Worker class that starts Emscripten's pthread workers from files instead of blob: URLs. */
function pthreadWorkerClass(base: WorkerCtor, workerSource: string, moduleScript: string): WorkerCtor {
  // Inside a string literal of the source, "\n" must stay an escape (as tfjs does for its Blob).
  const source = workerSource.replace(/\n/g, '\\n');
  return class PthreadWorker extends base {
    constructor(url: string | URL, options?: ConstructorParameters<WorkerCtor>[1]) {
      if (typeof url === 'string' && url.startsWith('blob:')) super(source, { eval: true });
      else super(url, options);
    }
    override postMessage(message: unknown, transfer?: Parameters<InstanceType<WorkerCtor>['postMessage']>[1]): void {
      const m = message as LoadMessage | null;
      if (m && m.cmd === 'load' && typeof m.urlOrBlob !== 'string') message = { ...m, urlOrBlob: moduleScript };
      super.postMessage(message, transfer);
    }
  };
}

/**
 * Runs `init` (the first `tf.setBackend('wasm')`) with worker_threads.Worker swapped for the
 * pthread-worker class, and restores it afterwards whatever happens.
 */
export async function withPthreadWorkers<T>(scripts: ThreadedSimdScripts, init: () => Promise<T>): Promise<T> {
  // The CommonJS module object (an ES namespace import cannot be assigned to).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const workerThreads = require('node:worker_threads') as WorkerThreads & { Worker: WorkerCtor };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { wasmWorkerContents } = require(scripts.workerModule) as { wasmWorkerContents: string };
  const original = workerThreads.Worker;
  workerThreads.Worker = pthreadWorkerClass(original, wasmWorkerContents, scripts.moduleScript);
  // The backend sizes its thread pool as min(requested, logical cores / 2) (backend.cc: "many x86-64
  // processors have 2 threads per core"), which is one thread on a 2-core machine. While it starts,
  // os.cpus() lists every core twice, so the cap becomes the number of logical cores.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('node:os') as { cpus: () => unknown[] };
  const cpus = os.cpus;
  os.cpus = () => {
    const list = cpus();
    return [...list, ...list];
  };
  try {
    return await init();
  } finally {
    workerThreads.Worker = original;
    os.cpus = cpus;
  }
}

/** Whether this Node can run the threaded build at all (shared memory and workers). */
export function nodeSupportsWasmThreads(): boolean {
  const wasm = (globalThis as { WebAssembly?: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: ArrayBufferLike } } }).WebAssembly;
  try {
    return wasm !== undefined && new wasm.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

interface PthreadRegistry {
  runningWorkers?: { unref?: () => void }[];
  unusedWorkers?: { unref?: () => void }[];
}

/**
 * Lets the process exit with the backend's thread pool alive: the pool's pthreads run for the
 * life of the process and Emscripten `ref()`s their workers, so Node would never exit on its
 * own (the CLI would hang after its output). Call after the backend started.
 */
export function unrefPthreadWorkers(wasmModule: { PThread?: PthreadRegistry } | undefined): number {
  const registry = wasmModule?.PThread;
  let n = 0;
  for (const w of [...(registry?.runningWorkers ?? []), ...(registry?.unusedWorkers ?? [])]) {
    w.unref?.();
    n++;
  }
  return n;
}
