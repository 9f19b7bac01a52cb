/**
 * A worker thread that runs one exported function of a WebAssembly module on a shared memory
 * (modules of wasm-module.ts sharedMemoryFunctionModule), once per `run`, with i32 arguments.
 * The main thread and the workers split a kernel's output rows between them; the memory is one
 * SharedArrayBuffer, so nothing is copied. An idle worker is unref'd: it never keeps the process
 * alive, even if `close` is forgotten.
 */
import { Worker } from 'node:worker_threads';
import type { SharedWasmMemory, WasmModule } from './wasm-module';

const WORKER_SOURCE = `
const { parentPort, workerData: s } = require('node:worker_threads');
const kernel = new WebAssembly.Instance(s.module, { env: { mem: s.memory } }).exports[s.name];
parentPort.on('message', (args) => {
  try {
    kernel(...args);
    parentPort.postMessage(null);
  } catch (e) {
    parentPort.postMessage(String((e && e.stack) || e));
  }
});
`;

export class KernelWorker {
  private readonly worker: Worker;
  private pending: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(module: WasmModule, memory: SharedWasmMemory, name: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, name } });
    this.worker.unref();
    this.worker.on('message', (message: string | null) => {
      this.worker.unref();
      const p = this.pending;
      this.pending = undefined;
      if (message === null) p?.resolve();
      else p?.reject(new Error(`kernel worker: ${message}`));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`kernel worker exited with code ${code}`)));
  }

  /** Runs the kernel with `args` in the worker; resolves when it returns. */
  run(args: readonly number[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('kernel worker: a run is already in progress'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(args);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.failure);
  }
}
