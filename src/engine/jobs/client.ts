/**
 * `EngineClient`: runs jobs in a long-lived engine child process (no `vscode` import,
 * so the extension host, the tests and scripts share it). Native ML (onnxruntime-node,
 * tfjs) runs there rather than in a worker thread: a native crash in a worker thread
 * takes the whole extension host down, a crash of the child only fails its jobs.
 *
 * - `run(job, {signal, onProgress, secrets})` resolves with the job's result, rejects
 *   with the job's error (name, message and stack kept), with `CancelledError` when the
 *   signal aborts, or with `EngineExitedError` when the process dies meanwhile.
 * - Cancel sends a cancel message; if the job has not settled after the grace period,
 *   the process is killed (ORT calls cannot be interrupted) and restarted on the next job.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { CancelledError, type ProgressListener } from '../util/job';
import { deserializeError } from '../util/errors';
import {
  isFromEngineMessage,
  type CatalogueJob,
  type FromEngineMessage,
  type Job,
  type JobCatalogue,
  type JobSecrets,
  type ToEngineMessage,
} from './protocol';
import type { JobTypes } from './job-types';

export interface EngineClientOptions {
  /** The engine entry: `dist/engine-process.js`, or `src/engine/jobs/engine-process.ts` (run through tsx). */
  entry: string;
  /** Node options for the child. Default: `['--import', 'tsx']` for a .ts entry, none otherwise. */
  execArgv?: string[];
  /** Extra environment for the child (added to process.env, plus ELECTRON_RUN_AS_NODE=1). */
  env?: Record<string, string | undefined>;
  /** How long a cancelled job may take to stop before the process is killed. Default 3000 ms. */
  cancelGraceMs?: number;
  /** How long to wait for the process to say it is ready. Default 30 s. */
  startTimeoutMs?: number;
  /** The child's stderr and stdout, as text chunks (for an output channel). */
  onOutput?: (text: string) => void;
  /** Called when the process exits (crash, kill, dispose). */
  onExit?: (info: EngineExitInfo) => void;
}

export interface EngineExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Jobs that were running and were rejected. */
  pendingJobs: number;
  expected: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  secrets?: JobSecrets;
}

/** The engine process ended while jobs were running. */
export class EngineExitedError extends Error {
  override name = 'EngineExitedError';
  constructor(
    message: string,
    readonly code: number | null,
    readonly exitSignal: NodeJS.Signals | null,
  ) {
    super(message);
  }
}

interface PendingJob {
  type: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: ProgressListener;
  cancelRequested: boolean;
  cleanup(): void;
}

const STDERR_TAIL = 2000;

/** Runs the jobs of catalogue `C` (default: the engine's `JobTypes`; tests add their own through a test entry). */
export class EngineClient<C extends JobCatalogue<C> = JobTypes> {
  private child: ChildProcess | undefined;
  private starting: Promise<ChildProcess> | undefined;
  private readonly pending = new Map<number, PendingJob>();
  private nextId = 1;
  private disposed = false;
  private stderrTail = '';
  private expectedExit = new WeakSet<ChildProcess>();
  private startCount = 0;

  constructor(private readonly options: EngineClientOptions) {}

  /** How many times a process was started (1 after the first job, 2 after a restart…). */
  get starts(): number {
    return this.startCount;
  }

  /** The pid of the running engine process, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Jobs sent and not yet settled. */
  get runningJobs(): number {
    return this.pending.size;
  }

  /** Starts the process if it is not running; resolves once it is ready. */
  start(): Promise<ChildProcess> {
    if (this.disposed) return Promise.reject(new Error('The engine client was disposed'));
    if (this.child) return Promise.resolve(this.child);
    if (!this.starting) {
      this.starting = this.spawn().finally(() => {
        this.starting = undefined;
      });
    }
    return this.starting;
  }

  /** Runs a job in the engine process. */
  async run<T extends keyof C & string>(job: CatalogueJob<C, T>, options: RunOptions = {}): Promise<C[T]['result']> {
    const { signal } = options;
    if (signal?.aborted) throw new CancelledError();
    const child = await this.start();
    if (signal?.aborted) throw new CancelledError();
    const id = this.nextId++;
    return new Promise<C[T]['result']>((resolve, reject) => {
      let graceTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        const entry = this.pending.get(id);
        if (!entry || entry.cancelRequested) return;
        entry.cancelRequested = true;
        this.send(child, { kind: 'cancel', id });
        graceTimer = setTimeout(() => {
          if (!this.pending.has(id) || this.child !== child) return;
          this.options.onOutput?.(`[engine] job ${id} (${job.type}) did not stop within the grace period; killing the engine process\n`);
          child.kill('SIGKILL');
        }, this.options.cancelGraceMs ?? 3000);
      };
      const entry: PendingJob = {
        type: job.type,
        resolve: (value) => resolve(value as C[T]['result']),
        reject,
        onProgress: options.onProgress,
        cancelRequested: false,
        cleanup: () => {
          if (graceTimer) clearTimeout(graceTimer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      this.pending.set(id, entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.send(child, { kind: 'run', id, job: job as unknown as Job, secrets: options.secrets });
    });
  }

  /**
   * Stops the process (pending jobs are rejected). The engine cancels its jobs when the
   * IPC channel closes and exits once they stopped; SIGTERM after 2.5 s, SIGKILL after 5 s.
   * The next `run` starts a new process.
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectedExit.add(child);
    await new Promise<void>((resolve) => {
      const term = setTimeout(() => child.kill('SIGTERM'), 2500);
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(term);
        clearTimeout(kill);
        resolve();
      });
      if (child.connected) child.disconnect();
      else child.kill('SIGTERM');
    });
  }

  /** Stops the process and refuses further jobs. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
  }

  private send(child: ChildProcess, message: ToEngineMessage): void {
    if (child.connected) child.send(message);
  }

  private spawn(): Promise<ChildProcess> {
    const entry = this.options.entry;
    const execArgv = this.options.execArgv ?? (entry.endsWith('.ts') ? ['--import', 'tsx'] : []);
    const child = fork(entry, [], {
      execArgv,
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.startCount++;
    this.stderrTail = '';
    const output = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
      this.options.onOutput?.(text);
    };
    child.stdout?.on('data', output);
    child.stderr?.on('data', output);

    return new Promise<ChildProcess>((resolve, reject) => {
      let ready = false;
      const startTimer = setTimeout(() => {
        if (ready) return;
        this.expectedExit.add(child);
        child.kill('SIGKILL');
        reject(new Error(`The engine process did not start within ${this.options.startTimeoutMs ?? 30_000} ms\n${this.stderrTail}`));
      }, this.options.startTimeoutMs ?? 30_000);
      child.on('message', (message: unknown) => {
        if (!isFromEngineMessage(message)) return;
        if (message.kind === 'ready') {
          ready = true;
          clearTimeout(startTimer);
          this.child = child;
          resolve(child);
          return;
        }
        this.onMessage(message);
      });
      child.on('error', (err) => {
        if (!ready) {
          clearTimeout(startTimer);
          reject(err);
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(startTimer);
        if (!ready) {
          reject(new EngineExitedError(`The engine process exited during start (code ${code}, signal ${signal})\n${this.stderrTail}`, code, signal));
        }
        this.onExit(child, code, signal);
      });
    });
  }

  private onMessage(message: FromEngineMessage): void {
    if (message.kind === 'ready') return;
    const entry = this.pending.get(message.id);
    if (!entry) return;
    switch (message.kind) {
      case 'progress':
        entry.onProgress?.(message.progress);
        return;
      case 'result':
        this.settle(message.id);
        entry.resolve(message.result);
        return;
      case 'error': {
        this.settle(message.id);
        if (message.error.name === 'CancelledError') {
          const err = new CancelledError(message.error.message);
          if (message.error.stack) err.stack = message.error.stack;
          entry.reject(err);
        } else {
          entry.reject(deserializeError(message.error));
        }
        return;
      }
    }
  }

  private settle(id: number): void {
    this.pending.get(id)?.cleanup();
    this.pending.delete(id);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) this.child = undefined;
    const expected = this.expectedExit.has(child);
    const entries = [...this.pending.entries()];
    this.pending.clear();
    for (const [, entry] of entries) {
      entry.cleanup();
      if (entry.cancelRequested) {
        entry.reject(new CancelledError(`The ${entry.type} job was cancelled (the engine process was stopped)`));
      } else {
        const why = expected ? 'was stopped' : `exited unexpectedly (code ${code}, signal ${signal})`;
        const tail = this.stderrTail.trim() ? `\nLast output:\n${this.stderrTail.trim()}` : '';
        entry.reject(new EngineExitedError(`The engine process ${why} while running a ${entry.type} job.${tail}`, code, signal));
      }
    }
    this.options.onExit?.({ code, signal, pendingJobs: entries.length, expected });
  }
}
