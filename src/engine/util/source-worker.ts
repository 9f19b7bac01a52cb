/**
 * A worker thread running a script given as source text, one request at a time. Each message the
 * script posts back answers the request in flight: a string is an error (its stack), anything else
 * the result. The map's kernels (UMAP epochs, NN-descent joins) and the built-in encoder's sparse
 * products run in these on shared memory. With `unrefWhenIdle`, an idle worker never keeps the
 * process alive, even if `close` is forgotten.
 */
import { Worker } from 'node:worker_threads';

export class SourceWorker<Result> {
  private readonly worker: Worker;
  private pending: { resolve: (value: Result) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(
    source: string,
    workerData: unknown,
    private readonly label: string,
    private readonly unrefWhenIdle = false,
  ) {
    this.worker = new Worker(source, { eval: true, workerData });
    if (unrefWhenIdle) this.worker.unref();
    this.worker.on('message', (message: Result | string) => {
      if (this.unrefWhenIdle) this.worker.unref();
      const p = this.pending;
      this.pending = undefined;
      if (typeof message === 'string') p?.reject(new Error(`${this.label}: ${message}`));
      else p?.resolve(message);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`${this.label} exited with code ${code}`)));
  }

  /** Posts `message` to the script; resolves with its answer. */
  protected request(message: unknown): Promise<Result> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error(`${this.label}: a request is already in progress`));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      if (this.unrefWhenIdle) this.worker.ref();
      this.worker.postMessage(message);
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
