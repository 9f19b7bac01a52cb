/**
 * The annotation view's review mode: the annotated pairs, filtered, a page at a time. Pure
 * types and their guard; the engine (`engine/annotate/review.ts`) filters, the webview shows.
 */
import { isFiniteNumber, isIndex, isOptional, isShape, isString, type Guard } from './ipc';

export interface ReviewQuery {
  /** Only pairs this annotator scored; the score and date filters then apply to their score. */
  annotator?: string;
  minScore?: number;
  maxScore?: number;
  /** Local days as YYYY-MM-DD, inclusive, on the time of the (filtered) scores. */
  from?: string;
  to?: string;
  /** Words to find in either text, an id or a note (case and accents ignored). */
  text?: string;
  offset: number;
  limit: number;
}

export interface ReviewScore {
  annotator: string;
  score: number;
  /** ISO 8601 time of the standing entry. */
  time: string;
  note?: string;
}

export interface ReviewRow {
  id1: string;
  id2: string;
  /** The records' texts, cut to a preview. */
  left: string;
  right: string;
  /** Each annotator's standing score (the latest entry wins), by name. */
  scores: ReviewScore[];
  /** The latest of those times. */
  time: string;
}

export interface ReviewPage {
  /** Pairs matching the filters (rows holds `limit` of them from `offset`). */
  total: number;
  /** Every pair with a standing score, unfiltered. */
  all: number;
  rows: ReviewRow[];
  /** Every annotator with a standing score, for the filter. */
  annotators: string[];
}

const isDay: Guard<string> = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isUnitScore: Guard<number> = (v: unknown): v is number => isFiniteNumber(v) && v >= 0 && v <= 1;

export const isReviewQuery = isShape<ReviewQuery>({
  annotator: isOptional(isString),
  minScore: isOptional(isUnitScore),
  maxScore: isOptional(isUnitScore),
  from: isOptional(isDay),
  to: isOptional(isDay),
  text: isOptional(isString),
  offset: isIndex,
  limit: isIndex,
});
