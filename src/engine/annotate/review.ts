/**
 * Review mode: the annotated pairs with each annotator's standing score (the latest entry per
 * pair and annotator wins; an edit is a new entry appended by the caller), filtered by
 * annotator, score range, date range (local days) and words, newest first, a page at a time.
 */
import type { ReviewPage, ReviewQuery, ReviewRow, ReviewScore } from '../../protocol/annotate-review';
import type { AnnotationEntry } from '../project/annotations';
import { isScore, standingEntries } from '../project/annotations';
import { termKey } from './shared-terms';

/** Characters of each text in a row. */
export const REVIEW_PREVIEW_CHARS = 400;
const MAX_LIMIT = 200;

/** The local calendar day of an ISO time, YYYY-MM-DD (the view shows local times too). */
export function localDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso.slice(0, 10);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

const preview = (s: string) => (s.length > REVIEW_PREVIEW_CHARS ? `${s.slice(0, REVIEW_PREVIEW_CHARS - 1)}…` : s);

/** Accent- and case-free text for the word filter. */
const fold = (s: string) => termKey(s);

export function reviewAnnotations(entries: readonly AnnotationEntry[], textOf: (id: string) => string | undefined, query: ReviewQuery): ReviewPage {
  const annotators = new Set<string>();
  const rows: ReviewRow[] = [];
  const words = query.text ? fold(query.text).split(/\s+/).filter(Boolean) : [];
  const inRange = (s: ReviewScore) =>
    (query.minScore === undefined || s.score >= query.minScore - 1e-9) &&
    (query.maxScore === undefined || s.score <= query.maxScore + 1e-9) &&
    (query.from === undefined || localDay(s.time) >= query.from) &&
    (query.to === undefined || localDay(s.time) <= query.to);
  let all = 0;
  for (const per of standingEntries(entries).values()) {
    const scores: ReviewScore[] = [];
    for (const [annotator, { entry }] of per) {
      if (!isScore(entry)) continue;
      annotators.add(annotator);
      scores.push({ annotator, score: entry.score, time: entry.time, ...(entry.note ? { note: entry.note } : {}) });
    }
    if (!scores.length) continue;
    all++;
    scores.sort((a, b) => (a.annotator < b.annotator ? -1 : 1));
    const filtered = query.annotator !== undefined ? scores.filter((s) => s.annotator === query.annotator) : scores;
    if (!filtered.some(inRange)) continue;
    const { id1, id2 } = per.values().next().value!.entry;
    const left = textOf(id1) ?? '';
    const right = textOf(id2) ?? '';
    if (words.length) {
      const haystack = fold([id1, id2, left, right, ...scores.map((s) => s.note ?? '')].join('\n'));
      if (!words.every((w) => haystack.includes(w))) continue;
    }
    const time = scores.reduce((t, s) => (s.time > t ? s.time : t), '');
    rows.push({ id1, id2, left: preview(left), right: preview(right), scores, time });
  }
  rows.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  const limit = Math.min(query.limit, MAX_LIMIT);
  return { total: rows.length, all, rows: rows.slice(query.offset, query.offset + limit), annotators: [...annotators].sort() };
}
