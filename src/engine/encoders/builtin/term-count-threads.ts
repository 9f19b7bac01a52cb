/**
 * Counting the terms of a corpus (term-counter.ts) on several threads: the texts are split into
 * contiguous shares of about equal length, the main thread counts the first and a worker thread
 * (term-count-worker.ts) each other one, chunk by chunk, so that progress is reported and a cancel
 * stops the work between chunks. The shares come back in text order; tfidf.ts merges them.
 * Small corpora are counted on the main thread alone (starting a worker costs more).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { checkpoint, type JobOptions } from '../../util/job';
import { splitByEdges } from '../../util/row-ranges';
import { SourceWorker } from '../../util/source-worker';
import { MAX_TERM_TEXT_CHARS } from '../../util/term-text';
import type { TermCountRequest } from './term-count-worker';
import { TermCounter, type TermCounts } from './term-counter';
import type { TermOptions } from './tokenize';

export interface TermCountJob extends JobOptions {
  /** Threads to count on (default: `defaultCountThreads`). */
  threads?: number;
  /** The progress stage's name. */
  stage?: string;
}

/** One share of the corpus: texts [from, to), its counts and, for the main thread's share, its counter. */
export interface CountedShare {
  from: number;
  to: number;
  counts: TermCounts;
  counter?: TermCounter;
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
export async function countTerms(texts: readonly string[], options: TermOptions, job: TermCountJob = {}): Promise<CountedShare[]> {
  const script = workerScript();
  const threads = script ? Math.max(1, Math.min(job.threads ?? defaultCountThreads(texts), texts.length)) : 1;
  const offsets = new Float64Array(texts.length + 1);
  texts.forEach((t, i) => (offsets[i + 1] = offsets[i] + Math.min(t.length, MAX_TERM_TEXT_CHARS) + 1));
  const shares = threads > 1 ? splitByEdges(offsets, threads) : [{ from: 0, to: texts.length }];
  const main = new TermCounter(options);
  const workers = script ? shares.slice(1).map(() => new TermCountWorker(script, options)) : [];
  try {
    const rounds = Math.max(1, ...shares.map((s) => Math.ceil((s.to - s.from) / CHUNK_TEXTS)));
    const chunk = (s: { from: number; to: number }, r: number): [number, number] => {
      const length = s.to - s.from;
      return [s.from + Math.floor((length * r) / rounds), s.from + Math.floor((length * (r + 1)) / rounds)];
    };
    let done = 0;
    for (let r = 0; r < rounds; r++) {
      const others = workers.map((w, t) => {
        const [from, to] = chunk(shares[t + 1], r);
        done += to - from;
        return w.count(texts.slice(from, to));
      });
      const [from, to] = chunk(shares[0], r);
      try {
        for (let i = from; i < to; i++) main.add(texts[i]);
      } finally {
        await Promise.all(others);
      }
      done += to - from;
      if (done < texts.length) job.onProgress?.({ stage: job.stage ?? 'tfidf', done, total: texts.length });
      await checkpoint(job.signal);
    }
    const counts = [main.result(), ...(await Promise.all(workers.map((w) => w.finish())))];
    return shares.map((s, t) => ({ ...s, counts: counts[t], counter: t === 0 ? main : undefined }));
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}

/**
 * The source of a worker's script: the bundle's dist/term-count-worker.js next to the running
 * bundle or, when running from the TypeScript sources (tests, benches under tsx), the worker's
 * source compiled by tsx in the worker too. Undefined when neither is there (count in-thread).
 */
function workerScript(): string | undefined {
  if (__filename.endsWith('.ts')) {
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    return `require(${JSON.stringify(tsx)});\nrequire(${JSON.stringify(join(__dirname, 'term-count-worker.ts'))});`;
  }
  const bundled = join(__dirname, 'term-count-worker.js');
  return existsSync(bundled) ? `require(${JSON.stringify(bundled)});` : undefined;
}

class TermCountWorker extends SourceWorker<TermCounts | null> {
  constructor(script: string, options: TermOptions) {
    const { wordNgrams, charNgrams } = options;
    super(script, { wordNgrams, charNgrams }, 'term-count worker', true);
  }

  async count(texts: string[]): Promise<void> {
    await this.request({ texts } satisfies TermCountRequest);
  }

  async finish(): Promise<TermCounts> {
    const counts = await this.request({ finish: true } satisfies TermCountRequest);
    if (!counts) throw new Error('term-count worker: no counts came back');
    return counts;
  }
}
