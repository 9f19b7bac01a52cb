/**
 * The keywords' terms (topicTermIds, default options) found on a worker thread while the caller
 * does other work: they depend only on the texts, so a clustering job starts them before it fits
 * and encodes, and the second core picks them up in the stretches where the encoder keeps one
 * core busy. The same terms as in-thread (test/unit/cluster/topic-terms-background.test.ts).
 */
import { SourceWorker } from '../util/source-worker';
import { termText } from '../util/term-text';
import { workerScript } from '../util/worker-script';
import { topicTermIds, type NumberedTerms } from './topics';

/** Below this many characters in all, the terms are found in-thread when asked for (a worker's start costs more). */
export const BACKGROUND_TERMS_FROM_CHARS = 200_000;

class TopicTermsWorker extends SourceWorker<NumberedTerms> {
  constructor(script: string) {
    super(script, undefined, 'topic-terms worker', true);
  }

  terms(texts: readonly string[]): Promise<NumberedTerms> {
    return this.request(texts);
  }
}

/** The terms of `texts`, being found; `get` waits for them (found in-thread when no worker ran or it failed). */
export interface BackgroundTerms {
  /** Where the terms are found: on a worker thread, or on the caller's thread when asked for. */
  readonly where: 'worker' | 'caller';
  get(): Promise<NumberedTerms>;
}

export interface BackgroundTermsOptions {
  /** 1: no worker (the terms are found in-thread when asked for). */
  threads?: number;
  /**
   * The worker starts when this settles (default: at once), so that it does not take a core from
   * work that already uses every core. `get` still waits for the terms.
   */
  startAfter?: Promise<unknown>;
}

export function topicTermsInBackground(texts: readonly string[], options: BackgroundTermsOptions = {}): BackgroundTerms {
  let chars = 0;
  for (const t of texts) chars += termText(t).length;
  const script = options.threads === 1 || chars < BACKGROUND_TERMS_FROM_CHARS ? undefined : workerScript(__filename, __dirname, 'topic-terms-worker');
  if (!script) {
    let found: NumberedTerms | undefined;
    return { where: 'caller', get: async () => (found ??= topicTermIds(texts)) };
  }
  // A worker that fails, or a start promise that rejects: the terms are found in-thread instead.
  const closed = (options.startAfter ?? Promise.resolve())
    .then(() => {
      const worker = new TopicTermsWorker(script);
      // Only what the terms are read from crosses (termText): a 10 MB text is not copied into the worker.
      return worker.terms(texts.map(termText)).finally(() => worker.close());
    })
    .catch(() => topicTermIds(texts));
  // An unread result must not become an unhandled rejection; `get` sees the outcome through `closed`.
  closed.catch(() => undefined);
  return { where: 'worker', get: () => closed };
}
