/**
 * Keys pressed while no pair is on screen (the page is loading or reloading after the panel
 * was hidden) are never dropped silently: they wait here, and when a pair arrives the first
 * one is applied if it was meant for that very pair (the one on screen when it was pressed);
 * the others are returned so the view can say they were not applied. Pure.
 */
export interface QueuedKey<A> {
  action: A;
  /** The key as the user pressed it, for messages ("4", "s"). */
  key: string;
  /** Key of the pair that was last on screen when it was pressed, if any. */
  meantFor?: string;
}

export class KeyQueue<A> {
  private items: QueuedKey<A>[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: QueuedKey<A>): void {
    this.items.push(item);
  }

  /**
   * A pair (`arrived`, its key) is now on screen. Returns the key to apply to it, if the first
   * queued key was meant for it, and every key that cannot be applied; empties the queue.
   */
  settle(arrived: string | undefined): { apply?: QueuedKey<A>; dropped: QueuedKey<A>[] } {
    const items = this.items;
    this.items = [];
    if (items.length && arrived !== undefined && items[0].meantFor === arrived) return { apply: items[0], dropped: items.slice(1) };
    return { dropped: items };
  }
}
