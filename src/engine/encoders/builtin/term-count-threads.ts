/**
 * Counting the terms of a corpus (term-counter.ts) on several threads: the texts are split into
 * contiguous shares of about equal length, the main thread counts the first and a worker thread
 * (term-count-worker.ts) each other one, chunk by chunk, so that progress is reported and a cancel
 * stops the work between chunks. The shares' vocabularies come back in text order (tfidf.ts merges
 * them); each share's term lists stay where they were counted, and its rows of columns and of both
 * views are computed there too, so every row is computed the same way whatever the thread count.
 * Small corpora are counted on the main thread alone (starting a worker costs more).
 */
import { availableParallelism } from 'node:os';
import { checkpoint, type JobOptions } from '../../util/job';
import { splitByEdges } from '../../util/row-ranges';
import { SourceWorker } from '../../util/source-worker';
import { workerScript } from '../../util/worker-script';
import { MAX_TERM_TEXT_CHARS } from '../../util/term-text';
import { columnCounts, concatColumnCounts, type ColumnCounts, type TermColumnMaps } from './column-counts';
import type { TermCountRequest } from './term-count-worker';
import { TermCounter, type ShareVocabulary, type TermLists } from './term-counter';
import { buildViews, concatViews, type ViewRows, type ViewWeights } from './tfidf-rows';
import type { TermOptions } from './tokenize';

export interface TermCountJob extends JobOptions {
  /** Threads to count on (default: `defaultCountThreads`). */
  threads?: number;
  /** The progress stage's name. */
  stage?: string;
}

/** One share of the corpus: texts [from, to) and its vocabulary; for the main thread's share, its counter. */
export interface CountedShare {
  from: number;
  to: number;
  vocabulary: ShareVocabulary;
  counter?: TermCounter;
}

/**
 * The counted shares, and the rest of the stage run where each share's term lists are (the main
 * thread's share here, the others in their workers). `close` ends the workers.
 */
export interface TermCountSession {
  shares: CountedShare[];
  /** Every text's distinct columns and counts, the shares' rows one after the other. */
  columnCounts(maps: readonly TermColumnMaps[], cols: number): Promise<ColumnCounts>;
  /** Both views' rows, after columnCounts. */
  views(weights: ViewWeights): Promise<ViewRows>;
  close(): Promise<void>;
}

/** Below this many characters (each text's first MAX_TERM_TEXT_CHARS) one thread is faster than starting a worker. */
export const THREADS_FROM_CHARS = 300_000;

/** Texts per chunk between two progress reports (per thread). */
const CHUNK_TEXTS = 500;

/** The default thread count: the machine's cores up to 4 for a corpus of THREADS_FROM_CHARS characters or more, else 1. */
export function defaultCountThreads(texts: readonly string[]): number {
  let chars = 0;
  for (const t of texts) {
    chars += Math.min(t.length, MAX_TERM_TEXT_CHARS);
    if (chars >= THREADS_FROM_CHARS) return Math.max(1, Math.min(4, availableParallelism()));
  }
  return 1;
}

/** Counts the terms of `texts`; one share per thread, in text order. */
export async function countTerms(texts: readonly string[], options: TermOptions, job: TermCountJob = {}): Promise<TermCountSession> {
  const script = workerScript(__filename, __dirname, 'term-count-worker');
  const threads = script ? Math.max(1, Math.min(job.threads ?? defaultCountThreads(texts), texts.length)) : 1;
  const offsets = new Float64Array(texts.length + 1);
  texts.forEach((t, i) => (offsets[i + 1] = offsets[i] + Math.min(t.length, MAX_TERM_TEXT_CHARS) + 1));
  const ranges = threads > 1 ? splitByEdges(offsets, threads) : [{ from: 0, to: texts.length }];
  const main = new TermCounter(options);
  const workers = script ? ranges.slice(1).map(() => new TermCountWorker(script, options)) : [];
  const close = () => Promise.all(workers.map((w) => w.close())).then(() => undefined);
  try {
    const rounds = Math.max(1, ...ranges.map((s) => Math.ceil((s.to - s.from) / CHUNK_TEXTS)));
    const chunk = (s: { from: number; to: number }, r: number): [number, number] => {
      const length = s.to - s.from;
      return [s.from + Math.floor((length * r) / rounds), s.from + Math.floor((length * (r + 1)) / rounds)];
    };
    let done = 0;
    for (let r = 0; r < rounds; r++) {
      const others = workers.map((w, t) => {
        const [from, to] = chunk(ranges[t + 1], r);
        done += to - from;
        return w.count(texts.slice(from, to));
      });
      const [from, to] = chunk(ranges[0], r);
      try {
        for (let i = from; i < to; i++) main.add(texts[i]);
      } finally {
        await Promise.all(others);
      }
      done += to - from;
      if (done < texts.length) job.onProgress?.({ stage: job.stage ?? 'tfidf', done, total: texts.length });
      await checkpoint(job.signal);
    }
    const { textStart, terms, counts, ...own } = main.result();
    let lists: TermLists | undefined = { textStart, terms, counts };
    let counted: ColumnCounts | undefined;
    const vocabularies = [own, ...(await Promise.all(workers.map((w) => w.finish())))];
    const shares = ranges.map((s, t) => ({ ...s, vocabulary: vocabularies[t], counter: t === 0 ? main : undefined }));
    return {
      shares,
      async columnCounts(maps, cols) {
        if (!lists) throw new Error('term counting: columnCounts asked for twice');
        const others = workers.map((w, t) => w.columns(maps[t + 1], cols));
        const parts = [columnCounts([{ counts: lists, ...maps[0] }], cols), ...(await Promise.all(others))];
        lists = undefined;
        counted = parts[0];
        return concatColumnCounts(parts);
      },
      async views(weights) {
        if (!counted) throw new Error('term counting: views asked for before columnCounts');
        const others = workers.map((w) => w.views(weights));
        const parts = [buildViews(counted, weights), ...(await Promise.all(others))];
        counted = undefined;
        return concatViews(parts);
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

class TermCountWorker extends SourceWorker<ShareVocabulary | ColumnCounts | ViewRows | null> {
  constructor(script: string, options: TermOptions) {
    const { wordNgrams, charNgrams } = options;
    super(script, { wordNgrams, charNgrams }, 'term-count worker', true);
  }

  async count(texts: string[]): Promise<void> {
    await this.request({ texts } satisfies TermCountRequest);
  }

  /** The share's vocabulary (its term lists stay in the worker). */
  async finish(): Promise<ShareVocabulary> {
    return (await this.request({ finish: true } satisfies TermCountRequest)) as ShareVocabulary;
  }

  async columns(maps: TermColumnMaps, cols: number): Promise<ColumnCounts> {
    const { wordColumn, charColumn } = maps;
    return (await this.request({ columns: { wordColumn, charColumn, cols } } satisfies TermCountRequest)) as ColumnCounts;
  }

  async views(weights: ViewWeights): Promise<ViewRows> {
    return (await this.request({ views: weights } satisfies TermCountRequest)) as ViewRows;
  }
}
