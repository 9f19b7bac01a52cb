import { sleep } from '../http/retry';
import { CancelledError, throwIfCancelled } from '../util/job';

/**
 * Limits how many requests are in flight and follows rate limits: a 429 halves the limit (not
 * below 1) and holds new starts until its Retry-After wait is over; each run of `limit`
 * successes raises it by one again, up to the maximum.
 */
export class AdaptiveLimiter {
  private current: number;
  private active = 0;
  private successes = 0;
  private pausedUntil = 0;
  private readonly waiters: Array<() => void> = [];
  /** The most requests that were ever in flight at once (for tests and reports). */
  peak = 0;
  /** How many 429s were seen. */
  rateLimits = 0;

  constructor(readonly max: number) {
    this.current = Math.max(1, Math.floor(max));
  }

  get limit(): number {
    return this.current;
  }

  /** Called on a 429: fewer requests at once, and none started during `waitMs`. */
  rateLimited(waitMs: number): void {
    this.rateLimits++;
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.successes = 0;
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + waitMs);
  }

  private succeeded(): void {
    if (++this.successes >= this.current && this.current < this.max) {
      this.current++;
      this.successes = 0;
    }
  }

  /** Runs `task` when a slot is free (and no 429 pause holds); cancelled waits reject. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (;;) {
      throwIfCancelled(signal);
      const pause = this.pausedUntil - Date.now();
      if (pause > 0) {
        await sleep(pause, signal).catch(() => {
          throw new CancelledError();
        });
        continue;
      }
      if (this.active < this.current) break;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new CancelledError());
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      const out = await task();
      this.succeeded();
      return out;
    } finally {
      this.active--;
      this.waiters.splice(0).forEach((wake) => wake());
    }
  }
}
