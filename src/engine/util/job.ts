/**
 * Progress and cancellation for long engine work. Every long engine function takes
 * `JobOptions`: an AbortSignal to cancel and a progress listener. The engine never
 * blocks its caller for long: loops call `checkpoint()` which yields to the event loop
 * and throws `CancelledError` once the signal is aborted.
 */

export interface Progress {
  /** A short machine-friendly stage name, e.g. "tokenize", "encode", "umap". */
  stage: string;
  /** Units done in this stage, and the total (0 when unknown). */
  done: number;
  total: number;
  message?: string;
}

export type ProgressListener = (progress: Progress) => void;

export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'The job was cancelled') {
    super(message);
  }
}

/**
 * The abort reason when the caller went away rather than cancelled (the editor closed): work that
 * lives on elsewhere (a Ray Jobs run on its cluster) is left running, to be re-attached later.
 */
export class CallerGoneError extends Error {
  // An abort like any other to code that checks the name (fetch, timers, retry loops).
  override name = 'AbortError';
  constructor() {
    super('The caller went away (the editor closed)');
  }
}

/** Aborts a controller because its caller went away (not a cancel). */
export const abortCallerGone = (controller: AbortController): void => controller.abort(new CallerGoneError());

export const isCallerGone = (signal: AbortSignal | undefined): boolean => signal?.aborted === true && signal.reason instanceof CallerGoneError;

export function isCancelledError(err: unknown): err is CancelledError {
  return err instanceof Error && err.name === 'CancelledError';
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * Settles like `promise`, or rejects with a CancelledError as soon as `signal` aborts. Used around
 * reads of fetch bodies: undici does not always settle a pending body read when its request is
 * aborted, and a promise that never settles lets node exit with code 0 in the middle of a job.
 */
export function untilCancelled<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new CancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Lets other work run, then throws if the job was cancelled meanwhile. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfCancelled(signal);
}

/**
 * Wraps a progress listener so that it fires at most every `intervalMs`, except for the
 * first and the last (done === total) report of each stage, which always pass.
 */
export function throttleProgress(listener: ProgressListener | undefined, intervalMs = 100): ProgressListener {
  if (!listener) return () => undefined;
  let last = 0;
  let lastStage = '';
  return (p) => {
    const now = Date.now();
    const final = p.total > 0 && p.done >= p.total;
    if (p.stage !== lastStage || final || now - last >= intervalMs) {
      last = now;
      lastStage = p.stage;
      listener(p);
    }
  };
}
