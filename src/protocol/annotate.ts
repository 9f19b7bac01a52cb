/** Pair annotation panel protocol (`webview/annotate` ↔ `src/host/panels/annotate`). Pure types + guards. */
import {
  isBoolean, isEmpty, isFiniteNumber, isIndex, isOptional, isShape, isString,
  type Guard, type ProtocolGuards,
} from './ipc';
import { isReviewQuery, type ReviewPage, type ReviewQuery } from './annotate-review';
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

export type PairStrategy = 'nearest' | 'random' | 'stratified' | 'uncertain' | 'cluster-border' | 'disagreement';

export const PAIR_STRATEGIES: readonly { id: PairStrategy; label: string; detail: string }[] = [
  { id: 'nearest', label: 'Nearest neighbours', detail: 'Each record with one of its closest records.' },
  { id: 'random', label: 'Random', detail: 'Uniformly random pairs.' },
  { id: 'stratified', label: 'Stratified', detail: 'Spread over the similarity range so scores cover 0–1.' },
  { id: 'uncertain', label: 'Most uncertain', detail: 'Mid-range similarity; once the active loop has trained a run, where it and the base encoder disagree most or where it is least sure.' },
  { id: 'cluster-border', label: 'Across cluster borders', detail: 'Pairs that straddle two clusters.' },
  { id: 'disagreement', label: 'Disagreements', detail: 'Pairs whose annotators differ by more than the threshold, widest first.' },
];

export interface RecordField {
  name: string;
  value: string;
  /** Words this field shares with the other record: flat [start, end, …] offsets into `value`. */
  shared?: number[];
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
  /**
   * A language model's pre-score of the pair, sent only when the user turned hints on
   * (embeddingLab.annotate.showLlmHint). Untrusted text: shown as text, never as HTML.
   */
  hint?: { score: number; reason?: string; model: string };
  agreement?: PairAgreement;
  /** Content words both records use, most frequent first (marked in the texts). */
  sharedTerms?: string[];
}

export interface SessionAgreement {
  /** Pairs scored by two annotators or more. */
  pairs: number;
  /** Annotators with at least one such pair. */
  annotators: number;
  meanAbsDiff: number;
  /** Krippendorff's alpha, interval metric on the 0–1 scale; absent when it is undefined. */
  alpha?: number;
}

export interface GuidelinesView {
  /** The file, relative to the project folder. */
  file: string;
  text: string;
  truncated?: boolean;
  /** Set when the file could not be read (the reason, naming the file). */
  problem?: string;
}

export type ProjectFileKind = 'guidelines' | 'rubric';
export const isProjectFileKind: Guard<ProjectFileKind> = (v: unknown): v is ProjectFileKind => v === 'guidelines' || v === 'rubric';

export interface AnnotationProgress {
  annotated: number;
  target: number;
}

export interface AnnotateSession {
  annotator: string;
  rubric: RubricAnchor[];
  strategy: PairStrategy;
  progress: AnnotationProgress;
  /** Agreement across the pairs scored by ≥ 2 annotators, if any. */
  agreement?: SessionAgreement;
  /** The project's guidelines.md, shown on request (G); rendered as a safe Markdown subset. */
  guidelines?: GuidelinesView;
  /** The disagreement queue serves pairs whose scores differ by more than this. */
  disagreementThreshold?: number;
  /** Set when the pairs come from a selection of records (sent from the cluster map). */
  selection?: { records: number };
  /** The active loop (background re-training every N annotations) and its Spearman so far. */
  activeLoop?: ActiveLoopStatus;
}

export type AnnotateCommands = {
  /** Save a score at once (the host appends to annotations.jsonl). */
  /** `hintShown`: an LLM pre-score was on screen when the user scored (recorded with the score). */
  score: { id1: string; id2: string; score: number; note?: string; hintShown?: boolean };
  skip: { id1: string; id2: string; note?: string };
  /** Withdraw this annotator's latest entry for the pair. */
  undo: { id1: string; id2: string };
  /** Move on from a pair this annotator already scored, without a new entry (their score stands). */
  pass: { id1: string; id2: string };
  /** Open the project's guidelines.md (made from the rubric if missing) or project.json (the rubric) in an editor. */
  openProjectFile: { file: ProjectFileKind };
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
  /** Review mode: the annotated pairs, filtered, a page at a time (an edit is a `score` command). */
  reviewPairs: { params: ReviewQuery; result: ReviewPage };
  /**
   * New pairs for a strategy (after the active loop trained a run): the host's queue becomes the
   * `keep` pairs (the one on screen) followed by these; pairs already acted on never come back.
   * `kept`: the kept pairs as they are now (e.g. with the LLM hint the setting now shows).
   */
  refreshPairs: { params: { strategy: PairStrategy; count: number; keep: PairRef[] }; result: { pairs: PairView[]; kept?: PairView[] } };
};

export interface PairRef {
  id1: string;
  id2: string;
}

export type AnnotateNotifications = {
  /** After each save: progress, the pair's agreement and the agreement over all pairs. */
  saved: { id1: string; id2: string; progress: AnnotationProgress; agreement?: PairAgreement; overall?: SessionAgreement };
  saveFailed: { id1: string; id2: string; message: string };
  /** The project's rubric, guidelines or target changed. */
  sessionChanged: AnnotateSession;
  /** The active loop changed (a round started or ended); `newRun`: its run can now steer the suggestions. */
  activeLoop: { status: ActiveLoopStatus; newRun: boolean };
  /** The setting embeddingLab.annotate.showLlmHint changed: the pairs on screen and queued are asked for again. */
  hintSettingChanged: { show: boolean };
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
    score: isShape<AnnotateCommands['score']>({ id1: isString, id2: isString, score: isScore, note: isOptional(isString), hintShown: isOptional(isBoolean) }),
    skip: isShape<AnnotateCommands['skip']>({ id1: isString, id2: isString, note: isOptional(isString) }),
    undo: isShape<AnnotateCommands['undo']>({ id1: isString, id2: isString }),
    pass: isShape<AnnotateCommands['pass']>({ id1: isString, id2: isString }),
    openProjectFile: isShape<AnnotateCommands['openProjectFile']>({ file: isProjectFileKind }),
    setStrategy: isShape<AnnotateCommands['setStrategy']>({ strategy: isPairStrategy }),
  },
  requests: {
    getSession: isEmpty,
    nextPairs: isShape<AnnotateRequests['nextPairs']['params']>({ strategy: isPairStrategy, count: isIndex }),
    pendingPairs: isShape<AnnotateRequests['pendingPairs']['params']>({ strategy: isPairStrategy }),
    reviewPairs: isReviewQuery,
    refreshPairs: isShape<AnnotateRequests['refreshPairs']['params']>({ strategy: isPairStrategy, count: isIndex, keep: isPairRefs }),
  },
};
