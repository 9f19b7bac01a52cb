/**
 * When the active loop trains: after every `every` new annotations (0 = never), one run at a
 * time. A trigger while a run is going queues one more run at most (however many triggers
 * come meanwhile); it starts when the running one ends, on the annotations there are then.
 * Pure and vscode-free: the host feeds it the number of scored pairs after each save and
 * gives it the function that starts a run.
 */
export interface ActiveLoopSchedulerOptions {
  /** New annotations between two runs; 0 turns the loop off. */
  every: number;
  /** Scored pairs there were at the last run (the next run comes at baseline + every). */
  baseline: number;
  /** Starts a run on `count` scored pairs; resolves when it ends (whatever its outcome). */
  start: (count: number) => Promise<void>;
}

export type SchedulerState = 'idle' | 'running' | 'running+queued';

export class ActiveLoopScheduler {
  private every: number;
  private baseline: number;
  private latest: number;
  private running: Promise<void> | undefined;
  private queued = false;
  private stopped = false;
  /** Runs started so far (for tests and the log). */
  started = 0;

  constructor(private readonly options: ActiveLoopSchedulerOptions) {
    this.every = options.every;
    this.baseline = options.baseline;
    this.latest = options.baseline;
  }

  get state(): SchedulerState {
    if (!this.running) return 'idle';
    return this.queued ? 'running+queued' : 'running';
  }

  /** Annotations still needed before the next run (undefined when the loop is off). */
  get untilNext(): number | undefined {
    return this.every > 0 ? Math.max(0, this.baseline + this.every - this.latest) : undefined;
  }

  /** A new setting: takes effect for the next trigger. */
  setEvery(every: number): void {
    this.every = every;
  }

  /** The number of scored pairs now (after a save or an undo); may start or queue a run. */
  annotated(count: number): void {
    this.latest = count;
    if (this.stopped || this.every <= 0) return;
    // an undo lowers the count: the next run still needs `every` more than the last one had
    if (count - this.baseline < this.every) return;
    if (this.running) {
      this.queued = true;
      return;
    }
    this.launch();
  }

  /** Stops scheduling (a queued run is dropped; the running one is the caller's to cancel). */
  dispose(): void {
    this.stopped = true;
    this.queued = false;
  }

  /** Resolves when no run is going and none is queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private launch(): void {
    const count = this.latest;
    this.baseline = count;
    this.started++;
    this.running = this.options
      .start(count)
      .catch(() => undefined)
      .then(() => {
        this.running = undefined;
        if (this.queued && !this.stopped) {
          this.queued = false;
          this.launch();
        }
      });
  }
}
