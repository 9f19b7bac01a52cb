/**
 * The annotation session the host keeps for one panel: the pairs it sent, per strategy, that
 * were neither scored nor skipped, in order. A hidden panel loses its page; the page that
 * comes back asks for these instead of new suggestions, so the user finds the same pair and
 * the same queue. A pair scored or skipped leaves the queue; an undo puts it back in front.
 * No vscode import: unit-tested on its own.
 */
import type { PairStrategy, PairView } from '../../../protocol/annotate';

/** Order-free key of a pair. */
export function servedPairKey(id1: string, id2: string): string {
  return id1 < id2 ? `${id1}\u0000${id2}` : `${id2}\u0000${id1}`;
}

/** A pending pair as suggested again: the new view, or (listed the other way round) the old sides with the new hint. */
function withNewView(old: PairView, suggested: PairView | undefined): PairView {
  if (!suggested) return old;
  if (suggested.id1 === old.id1) return suggested;
  const { hint: _oldHint, ...rest } = old;
  return suggested.hint ? { ...rest, hint: suggested.hint } : rest;
}

/** The pairs as the page may see them while LLM hints are off: without their pre-scores. */
export function withoutHints(pairs: readonly PairView[]): PairView[] {
  return pairs.map((p) => {
    if (!p.hint) return p;
    const { hint: _hint, ...rest } = p;
    return rest;
  });
}

/** How many acted-on pairs are remembered so an undo can put them back. */
const RECENT = 200;

export class ServedPairs {
  private readonly pending = new Map<PairStrategy, PairView[]>();
  /** Pairs scored or skipped, newest last, with the strategy they came from. */
  private readonly recent: { pair: PairView; strategy: PairStrategy }[] = [];
  /** Pairs passed (already scored, left as they were): not served again in this session. */
  private readonly passed = new Set<string>();

  /** Remembers pairs just sent for `strategy` (pairs already pending are not added twice). */
  served(strategy: PairStrategy, pairs: readonly PairView[]): void {
    const list = this.pending.get(strategy) ?? [];
    const seen = new Set(list.map((p) => servedPairKey(p.id1, p.id2)));
    for (const p of pairs) {
      const k = servedPairKey(p.id1, p.id2);
      if (!seen.has(k)) {
        seen.add(k);
        list.push(p);
      }
    }
    this.pending.set(strategy, list);
  }

  /** The pairs sent for `strategy` and not yet scored or skipped, oldest first. */
  pendingFor(strategy: PairStrategy): PairView[] {
    return [...(this.pending.get(strategy) ?? [])];
  }

  /**
   * New suggestions replace the queue of `strategy` (the active loop trained a run): the `keep`
   * pairs that are still pending stay in front, then the new pairs, leaving out any pair just
   * scored or skipped (a suggestion may have been made before that save landed). A kept pair that
   * is among the new suggestions takes its new view (its LLM hint now shown or hidden).
   */
  replacePending(strategy: PairStrategy, keep: readonly { id1: string; id2: string }[], pairs: readonly PairView[]): PairView[] {
    return this.refreshPending(strategy, keep, pairs).fresh;
  }

  /** `replacePending`, also returning the kept pairs as they now are (in the order kept). */
  refreshPending(strategy: PairStrategy, keep: readonly { id1: string; id2: string }[], pairs: readonly PairView[]): { kept: PairView[]; fresh: PairView[] } {
    const keepKeys = new Set(keep.map((p) => servedPairKey(p.id1, p.id2)));
    const acted = new Set(this.recent.map((r) => servedPairKey(r.pair.id1, r.pair.id2)));
    const suggested = new Map(pairs.map((p) => [servedPairKey(p.id1, p.id2), p]));
    const kept = (this.pending.get(strategy) ?? [])
      .filter((p) => keepKeys.has(servedPairKey(p.id1, p.id2)))
      .map((p) => withNewView(p, suggested.get(servedPairKey(p.id1, p.id2))));
    const seen = new Set(kept.map((p) => servedPairKey(p.id1, p.id2)));
    const fresh: PairView[] = [];
    for (const p of pairs) {
      const k = servedPairKey(p.id1, p.id2);
      if (seen.has(k) || acted.has(k)) continue;
      seen.add(k);
      fresh.push(p);
    }
    this.pending.set(strategy, [...kept, ...fresh]);
    return { kept, fresh };
  }

  /** A score or skip: the pair leaves every strategy's queue. */
  done(id1: string, id2: string): void {
    const k = servedPairKey(id1, id2);
    for (const [strategy, list] of this.pending) {
      const i = list.findIndex((p) => servedPairKey(p.id1, p.id2) === k);
      if (i < 0) continue;
      this.recent.push({ pair: list[i], strategy });
      if (this.recent.length > RECENT) this.recent.shift();
      list.splice(i, 1);
    }
  }

  /** A pass (a pair this annotator had scored, left as it was): it leaves the queues for this session. */
  pass(id1: string, id2: string): void {
    this.done(id1, id2);
    this.passed.add(servedPairKey(id1, id2));
  }

  /** `pairs` without those passed in this session (the log knows nothing of a pass). */
  withoutPassed(pairs: readonly PairView[]): PairView[] {
    return pairs.filter((p) => !this.passed.has(servedPairKey(p.id1, p.id2)));
  }

  /** An undo: the pair, if it was acted on here, goes back to the front of its queue. */
  undone(id1: string, id2: string): void {
    const k = servedPairKey(id1, id2);
    this.passed.delete(k);
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const { pair, strategy } = this.recent[i];
      if (servedPairKey(pair.id1, pair.id2) !== k) continue;
      this.recent.splice(i, 1);
      const list = this.pending.get(strategy) ?? [];
      if (!list.some((p) => servedPairKey(p.id1, p.id2) === k)) list.unshift(pair);
      this.pending.set(strategy, list);
      return;
    }
  }
}
