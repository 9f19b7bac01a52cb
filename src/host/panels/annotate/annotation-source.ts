import type { AnnotateSession, AnnotationProgress, PairAgreement, PairStrategy, PairView } from '../../../protocol/annotate';
import type { ActiveLoopStatus } from '../../../protocol/active-loop';

/** What a save returns: the new progress and, if others scored the pair, the agreement. */
export interface SaveResult {
  progress: AnnotationProgress;
  agreement?: PairAgreement;
}

/**
 * What pair annotation needs from the project; the host implements it with the annotation
 * store (`src/engine/project/annotations.ts`, append-only, flushed per entry) and pair
 * suggestion (`src/engine/annotate/suggest-pairs.ts`) run as engine jobs.
 */
export interface AnnotationSource {
  readonly title: string;
  /** Opaque key identifying the project across restarts (e.g. the project dir). */
  readonly restoreKey: string;
  /** Annotator name, rubric (the project's, else DEFAULT_RUBRIC), strategy, progress, overall agreement. */
  getSession(): Promise<AnnotateSession>;
  /** Up to `count` pairs for `strategy`, leaving out pairs this annotator already scored or skipped. */
  nextPairs(strategy: PairStrategy, count: number): Promise<PairView[]>;
  /** Append a score now (annotator + timestamp added by the implementation). */
  score(id1: string, id2: string, score: number, note?: string): Promise<SaveResult>;
  /** Append a skip entry. */
  skip(id1: string, id2: string, note?: string): Promise<SaveResult>;
  /** Append an undo entry (withdraws this annotator's latest standing entry for the pair). */
  undo(id1: string, id2: string): Promise<SaveResult>;
  /** Remember the chosen strategy (project or workspace state). */
  setStrategy(strategy: PairStrategy): Promise<void>;
  /** The active loop's changes for this project (when the host runs one): a round started or ended. */
  onActiveLoop?(listener: (change: { status: ActiveLoopStatus; newRun: boolean }) => void): { dispose(): void };
}
