/** Pair annotation panel protocol (`webview/annotate` ↔ `src/host/panels/annotate`). Pure types + guards. */
import {
  isEmpty, isFiniteNumber, isIndex, isOptional, isShape, isString,
  type Guard, type ProtocolGuards,
} from './ipc';
import type { ActiveLoopStatus } from './active-loop';

/** One anchor of the 0–1 scale; the project can edit the rubric, so it comes from the host. */
export interface RubricAnchor {
  score: number;
  label: string;
  description: string;
}

/** The default rubric (the host sends the project's own when it has one). */
export const DEFAULT_RUBRIC: readonly RubricAnchor[] = [
  { score: 0, label: 'Unrelated', description: 'Nothing in common.' },
  { score: 0.25, label: 'Broad topic', description: 'Same broad topic or region.' },
  { score: 0.5, label: 'Topic or country', description: 'Same topic, or same country.' },
  { score: 0.75, label: 'Topic and country', description: 'Same topic and same country.' },
  { score: 1, label: 'Same event', description: 'Same event or very narrow topic.' },
];

export type PairStrategy = 'nearest' | 'random' | 'stratified' | 'uncertain' | 'cluster-border';

export const PAIR_STRATEGIES: readonly { id: PairStrategy; label: string; detail: string }[] = [
  { id: 'nearest', label: 'Nearest neighbours', detail: 'Each record with one of its closest records.' },
  { id: 'random', label: 'Random', detail: 'Uniformly random pairs.' },
  { id: 'stratified', label: 'Stratified', detail: 'Spread over the similarity range so scores cover 0–1.' },
  { id: 'uncertain', label: 'Most uncertain', detail: 'Mid-range similarity; once the active loop has trained a run, where it and the base encoder disagree most or where it is least sure.' },
  { id: 'cluster-border', label: 'Across cluster borders', detail: 'Pairs that straddle two clusters.' },
];

export interface RecordField {
  name: string;
  value: string;
}

export interface RecordView {
  id: string;
  /** Shown in order, e.g. title then summary. */
  fields: RecordField[];
  /** The record's label in the dataset, shown under "Details" (key I). */
  label?: string;
  /** The record's other fields (those the text template does not show), shown under "Details". */
  metadata?: RecordField[];
}

export interface AnnotatorScore {
  annotator: string;
  score: number;
}

/** Agreement for a pair that several annotators scored. */
export interface PairAgreement {
  scores: AnnotatorScore[];
  mean: number;
  /** max − min of the scores. */
  spread: number;
}

export interface PairView {
  id1: string;
  id2: string;
  left: RecordView;
  right: RecordView;
  strategy: PairStrategy;
  /** Cosine similarity under the current encoder. */
  similarity?: number;
  /** Cosine similarity under the active loop's latest run (pairs it suggested). */
  similarityRun?: number;
  /** This annotator's standing score/note for the pair, if any. */
  previous?: { score: number; note?: string };
  agreement?: PairAgreement;
}

export interface AnnotationProgress {
  annotated: number;
  target: number;
}

export interface AnnotateSession {
  annotator: string;
  rubric: RubricAnchor[];
  strategy: PairStrategy;
  progress: AnnotationProgress;
  /** Overall agreement across pairs scored by ≥ 2 annotators (mean absolute difference), if any. */
  agreement?: { pairs: number; meanAbsDiff: number };
  /** Set when the pairs come from a selection of records (sent from the cluster map). */
  selection?: { records: number };
  /** The active loop (background re-training every N annotations) and its Spearman so far. */
  activeLoop?: ActiveLoopStatus;
}

export type AnnotateCommands = {
  /** Save a score at once (the host appends to annotations.jsonl). */
  score: { id1: string; id2: string; score: number; note?: string };
  skip: { id1: string; id2: string; note?: string };
  /** Withdraw this annotator's latest entry for the pair. */
  undo: { id1: string; id2: string };
  setStrategy: { strategy: PairStrategy };
};

export type AnnotateRequests = {
  getSession: { params: Record<string, never>; result: AnnotateSession };
  /** The next pairs to show for a strategy (already-annotated and skipped pairs left out). */
  nextPairs: { params: { strategy: PairStrategy; count: number }; result: { pairs: PairView[] } };
  /**
   * The pairs the host already sent for a strategy and that were neither scored nor skipped,
   * in order: the webview, reloaded after being hidden, resumes the same queue instead of a
   * new one.
   */
  pendingPairs: { params: { strategy: PairStrategy }; result: { pairs: PairView[] } };
  /**
   * New pairs for a strategy (after the active loop trained a run): the host's queue becomes the
   * `keep` pairs (the one on screen) followed by these; pairs already acted on never come back.
   */
  refreshPairs: { params: { strategy: PairStrategy; count: number; keep: PairRef[] }; result: { pairs: PairView[] } };
};

export interface PairRef {
  id1: string;
  id2: string;
}

export type AnnotateNotifications = {
  /** After each save: progress and the pair's agreement. */
  saved: { id1: string; id2: string; progress: AnnotationProgress; agreement?: PairAgreement };
  saveFailed: { id1: string; id2: string; message: string };
  /** The project's rubric or target changed. */
  sessionChanged: AnnotateSession;
  /** The active loop changed (a round started or ended); `newRun`: its run can now steer the suggestions. */
  activeLoop: { status: ActiveLoopStatus; newRun: boolean };
};

export type AnnotateProtocol = {
  commands: AnnotateCommands;
  requests: AnnotateRequests;
  notifications: AnnotateNotifications;
};

export const isPairStrategy: Guard<PairStrategy> = (v: unknown): v is PairStrategy =>
  PAIR_STRATEGIES.some((s) => s.id === v);

const isScore: Guard<number> = (v: unknown): v is number => isFiniteNumber(v) && v >= 0 && v <= 1;

const isPairRef = isShape<PairRef>({ id1: isString, id2: isString });
const MAX_KEPT = 50;
const isPairRefs: Guard<PairRef[]> = (v: unknown): v is PairRef[] => Array.isArray(v) && v.length <= MAX_KEPT && v.every(isPairRef);

export const annotateGuards: ProtocolGuards<AnnotateProtocol> = {
  commands: {
    score: isShape<AnnotateCommands['score']>({ id1: isString, id2: isString, score: isScore, note: isOptional(isString) }),
    skip: isShape<AnnotateCommands['skip']>({ id1: isString, id2: isString, note: isOptional(isString) }),
    undo: isShape<AnnotateCommands['undo']>({ id1: isString, id2: isString }),
    setStrategy: isShape<AnnotateCommands['setStrategy']>({ strategy: isPairStrategy }),
  },
  requests: {
    getSession: isEmpty,
    nextPairs: isShape<AnnotateRequests['nextPairs']['params']>({ strategy: isPairStrategy, count: isIndex }),
    pendingPairs: isShape<AnnotateRequests['pendingPairs']['params']>({ strategy: isPairStrategy }),
    refreshPairs: isShape<AnnotateRequests['refreshPairs']['params']>({ strategy: isPairStrategy, count: isIndex, keep: isPairRefs }),
  },
};
