/**
 * Runs engine jobs for the host: one long-lived engine child process (EngineClient),
 * a cancellable progress notification per long job, the status-bar item, the output
 * channel (engine stderr), and secrets handed over per job.
 */
import * as vscode from 'vscode';
import { EngineClient } from '../engine/jobs/client';
import type { Job, JobResult, JobType } from '../engine/jobs/protocol';
import { isCancelledError, type Progress } from '../engine/util/job';
import type { JobStatusBar } from './views/job-status-bar';
import { JobProgress, progressLine, type ProgressView } from './job-progress';
import type { Secrets } from './secrets';

export interface RunJobOptions {
  /** Show a cancellable notification (default true). False: status bar only. */
  notification?: boolean;
  /** Extra cancel signal (e.g. a panel closing). */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export class JobRunner implements vscode.Disposable {
  private readonly client: EngineClient;
  private readonly running = new Set<AbortController>();

  constructor(
    engineEntry: string,
    private readonly output: vscode.LogOutputChannel,
    private readonly statusBar: JobStatusBar,
    private readonly secrets: Secrets,
    cancelGraceMs: number,
  ) {
    this.client = new EngineClient({
      entry: engineEntry,
      cancelGraceMs,
      onOutput: (text) => {
        for (const line of text.split(/\r?\n/)) if (line.trim()) this.output.info(`[engine] ${line}`);
      },
      onExit: (info) => {
        const how = `engine process exited (code ${info.code}, signal ${info.signal})`;
        if (info.expected) this.output.info(how);
        else this.output.error(`${how}; ${info.pendingJobs} job(s) failed; it restarts on the next job`);
      },
    });
  }

  /** The engine process pid (for diagnostics). */
  get enginePid(): number | undefined {
    return this.client.pid;
  }

  /** Cancels every running job. */
  cancelAll(): number {
    const n = this.running.size;
    for (const c of this.running) c.abort();
    return n;
  }

  get runningCount(): number {
    return this.running.size;
  }

  /**
   * Runs a job with progress and cancel. Resolves with the result, or `undefined` when
   * the user cancelled. Errors are logged and re-thrown (commands show them).
   */
  async run<T extends JobType>(title: string, job: Job<T>, options: RunJobOptions = {}): Promise<JobResult<T> | undefined> {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    this.running.add(controller);
    const key = this.statusBar.begin(title);
    const started = Date.now();
    this.output.info(`${title}: started (${job.type})`);
    const secrets = await this.secrets.forJob();
    const tracker = new JobProgress(job.type);
    const execute = async (report?: (view: ProgressView) => void): Promise<JobResult<T> | undefined> => {
      try {
        const result = await this.client.run(job, {
          signal: controller.signal,
          secrets,
          onProgress: (p) => {
            const view = tracker.update(p);
            this.statusBar.update(key, view);
            report?.(view);
            options.onProgress?.(p);
          },
        });
        this.output.info(`${title}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return result;
      } catch (err) {
        if (isCancelledError(err)) {
          this.output.info(`${title}: cancelled`);
          return undefined;
        }
        const e = err as Error;
        this.output.error(`${title}: ${e.name}: ${e.message}${e.stack ? `\n${e.stack}` : ''}`);
        throw err;
      } finally {
        this.running.delete(controller);
        this.statusBar.end(key);
        options.signal?.removeEventListener('abort', onOuterAbort);
      }
    };
    if (options.notification === false) return execute();
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Embedding Lab: ${title}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        // One overall percentage per job (the bar is told increments of it), with the stage's plain name.
        let lastPct = 0;
        return execute((view) => {
          const pct = view.percent ?? lastPct;
          const increment = Math.max(0, pct - lastPct);
          lastPct = Math.max(lastPct, pct);
          progress.report({ message: progressLine(view), increment });
        });
      },
    );
  }

  /** A job result without notification or status bar, for quick lookups (search). */
  quick<T extends JobType>(job: Job<T>, signal?: AbortSignal): Promise<JobResult<T>> {
    return this.secrets.forJob().then((secrets) => this.client.run(job, { signal, secrets }));
  }

  dispose(): void {
    this.cancelAll();
    void this.client.dispose();
  }
}
