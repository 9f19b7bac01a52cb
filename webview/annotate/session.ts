/**
 * The annotation session's navigation (pure): a queue of upcoming pairs, the current pair,
 * and a history of what was done, so skip, undo and back behave predictably.
 *  - score/skip: record the action, move on;
 *  - undo: take back the last action (the caller sends an undo for a score or skip) and show that pair again;
 *  - back: show the previous pair again without withdrawing anything (re-scoring appends a newer entry).
 */
/** A pass moves on from a pair already scored, leaving the score as it is (no log entry). */
export type PairAction = 'score' | 'skip' | 'pass';

export interface HistoryEntry<T> {
  pair: T;
  action: PairAction;
  score?: number;
}

export class PairSession<T> {
  private queue: T[] = [];
  current: T | undefined;
  readonly history: HistoryEntry<T>[] = [];

  get remaining(): number {
    return this.queue.length;
  }

  /** Append pairs to the queue (skipping any whose key is already queued or current). */
  enqueue(pairs: readonly T[], key: (p: T) => string): void {
    const seen = new Set(this.queue.map(key));
    if (this.current) seen.add(key(this.current));
    for (const p of pairs) {
      const k = key(p);
      if (!seen.has(k)) {
        seen.add(k);
        this.queue.push(p);
      }
    }
    if (!this.current) this.current = this.queue.shift();
  }

  /**
   * Makes the queued pair whose key is `wanted` the current one (the pair that was on screen
   * before the page was reloaded); the pairs before it stay queued in order. False if absent.
   */
  focus(wanted: string, key: (p: T) => string): boolean {
    if (this.current && key(this.current) === wanted) return true;
    const i = this.queue.findIndex((p) => key(p) === wanted);
    if (i < 0) return false;
    const [pair] = this.queue.splice(i, 1);
    if (this.current) this.queue.unshift(this.current);
    this.current = pair;
    return true;
  }

  /**
   * New suggestions replace the queue (the active loop trained a run): the current pair stays on
   * screen, and pairs already acted on (in the history) or listed twice are left out.
   */
  replaceQueue(pairs: readonly T[], key: (p: T) => string): void {
    const skip = new Set(this.history.map((h) => key(h.pair)));
    if (this.current) skip.add(key(this.current));
    this.queue = [];
    for (const p of pairs) {
      const k = key(p);
      if (skip.has(k)) continue;
      skip.add(k);
      this.queue.push(p);
    }
    if (!this.current) this.current = this.queue.shift();
  }

  /** The current pair's newer view (same key: e.g. with or without its LLM hint); false when `pair` is not current. */
  updateCurrent(pair: T, key: (p: T) => string): boolean {
    if (!this.current || key(this.current) !== key(pair)) return false;
    this.current = pair;
    return true;
  }

  /** Forget the queue (strategy change); keeps current and history. */
  clearQueue(): void {
    this.queue = [];
  }

  /** Record an action on the current pair and advance. Returns the pair acted on. */
  act(action: PairAction, score?: number): T | undefined {
    const pair = this.current;
    if (!pair) return undefined;
    this.history.push({ pair, action, score });
    this.current = this.queue.shift();
    return pair;
  }

  /** Undo the last action: returns it (the caller withdraws it) and shows its pair again. */
  undo(): HistoryEntry<T> | undefined {
    const last = this.history.pop();
    if (!last) return undefined;
    if (this.current) this.queue.unshift(this.current);
    this.current = last.pair;
    return last;
  }

  /** Go back to the previous pair without withdrawing; returns its entry (to show the earlier score). */
  back(): HistoryEntry<T> | undefined {
    return this.undo();
  }
}
