import type { AnnotateSession, AnnotationProgress, PairAgreement, PairStrategy, PairView, ProjectFileKind, SessionAgreement } from '../../../protocol/annotate';
import type { ReviewPage, ReviewQuery } from '../../../protocol/annotate-review';
import type { ActiveLoopStatus } from '../../../protocol/active-loop';

/** What a save returns: the new progress and, if others scored the pair, the agreement. */
export interface SaveResult {
  progress: AnnotationProgress;
  agreement?: PairAgreement;
  /** The agreement over every pair with two annotators or more, after this save. */
  overall?: SessionAgreement;
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
  /** Append a score now (annotator + timestamp added by the implementation); `hintShown`: an LLM pre-score was on screen. */
  score(id1: string, id2: string, score: number, note?: string, hintShown?: boolean): Promise<SaveResult>;
  /** Append a skip entry. */
  skip(id1: string, id2: string, note?: string): Promise<SaveResult>;
  /** Append an undo entry (withdraws this annotator's latest standing entry for the pair). */
  undo(id1: string, id2: string): Promise<SaveResult>;
  /** Files whose change changes the session (guidelines.md, project.json): the panel watches them. */
  readonly sessionFiles: readonly string[];
  /** The path of the project's guidelines (created from the rubric if missing) or project.json. */
  projectFile(kind: ProjectFileKind): Promise<string>;
  /** Review mode: the annotated pairs, filtered, a page at a time. */
  reviewPairs(query: ReviewQuery): Promise<ReviewPage>;
  /** Remember the chosen strategy (project or workspace state). */
  setStrategy(strategy: PairStrategy): Promise<void>;
  /**
   * Whether the LLM pre-score hints may reach the page now (the setting embeddingLab.annotate.showLlmHint).
   * `nextPairs` returns the hints whatever the setting; the panel strips them before sending when this is false.
   */
  hintsShown?(): boolean;
  /** The active loop's changes for this project (when the host runs one): a round started or ended. */
  onActiveLoop?(listener: (change: { status: ActiveLoopStatus; newRun: boolean }) => void): { dispose(): void };
}
