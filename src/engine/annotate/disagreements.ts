/**
 * The disagreement queue: pairs whose annotators' standing scores differ by more than a
 * threshold (max − min), widest first, then the most recently changed. A pair leaves an
 * annotator's queue once that annotator has scored or skipped it after every other
 * annotator's standing entry: they have seen the disagreement (a re-score is a new entry, so
 * the log keeps both). The latest entry per pair and annotator counts (`standingEntries`).
 */
import type { AnnotationEntry } from '../project/annotations';
import { isScore, standingEntries } from '../project/annotations';

export interface DisagreementPair {
  id1: string;
  id2: string;
  /** max − min of the standing scores. */
  spread: number;
  mean: number;
  scores: Array<{ annotator: string; score: number }>;
  /** This annotator's standing score, if any. */
  mine?: number;
}

export interface DisagreementOptions {
  /** Whose queue: pairs this annotator already reviewed are left out. */
  annotator: string;
  /** Pairs with a spread above this are served (a score range of 0–1). */
  threshold: number;
  /** Both records of every pair must be in this set (a dataset, a selection on the map). */
  ids?: ReadonlySet<string>;
}

export function disagreementQueue(entries: readonly AnnotationEntry[], options: DisagreementOptions): DisagreementPair[] {
  const out: Array<DisagreementPair & { changed: number }> = [];
  for (const per of standingEntries(entries).values()) {
    const scores: DisagreementPair['scores'] = [];
    let othersLast = -1;
    let first: AnnotationEntry | undefined;
    for (const [annotator, { entry, index }] of per) {
      first ??= entry;
      if (annotator !== options.annotator) othersLast = Math.max(othersLast, index);
      if (isScore(entry)) scores.push({ annotator, score: entry.score });
    }
    if (!first || scores.length < 2) continue;
    if (options.ids && !(options.ids.has(first.id1) && options.ids.has(first.id2))) continue;
    const values = scores.map((s) => s.score);
    const spread = Math.max(...values) - Math.min(...values);
    if (!(spread > options.threshold + 1e-9)) continue;
    const mine = per.get(options.annotator);
    if (mine && mine.index > othersLast) continue;
    scores.sort((a, b) => (a.annotator < b.annotator ? -1 : 1));
    const pair: DisagreementPair & { changed: number } = {
      id1: first.id1,
      id2: first.id2,
      spread,
      mean: values.reduce((a, b) => a + b, 0) / values.length,
      scores,
      changed: Math.max(othersLast, mine?.index ?? -1),
    };
    if (mine && isScore(mine.entry)) pair.mine = mine.entry.score;
    out.push(pair);
  }
  out.sort((a, b) => b.spread - a.spread || b.changed - a.changed);
  return out.map(({ changed: _changed, ...p }) => p);
}
