/**
 * A worker thread that runs one exported function of a WebAssembly module on a shared memory
 * (modules of wasm-module.ts sharedMemoryFunctionModule), once per `run`, with i32 arguments.
 * The main thread and the workers split a kernel's output rows between them; the memory is one
 * SharedArrayBuffer, so nothing is copied. An idle worker is unref'd: it never keeps the process
 * alive, even if `close` is forgotten.
 */
import { SourceWorker } from './source-worker';
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

export class KernelWorker extends SourceWorker<null> {
  constructor(module: WasmModule, memory: SharedWasmMemory, name: string) {
    super(WORKER_SOURCE, { module, memory, name }, 'kernel worker', true);
  }

  /** Runs the kernel with `args` in the worker; resolves when it returns. */
  async run(args: readonly number[]): Promise<void> {
    await this.request(args);
  }
}
