import type { Matrix } from '../util/matrix';
import { createRng, sampleIndices, type Rng } from '../util/random';
import { throwIfCancelled, type JobOptions } from '../util/job';
import { kmeansKernel, type KMeansRun, type KMeansTask } from './kmeans-kernel';
import { defaultKMeansThreads, KMeansRestarts } from './kmeans-threads';

export interface KMeansOptions extends JobOptions {
  k: number;
  seed?: number;
  /** Restarts with different seeds; the lowest inertia wins (ties: the first restart). */
  nInit?: number;
  maxIter?: number;
  /** Stops when the relative inertia change falls below this. */
  tol?: number;
  /**
   * Run the restarts on a random sample of this many points, then only the `screenKeep` best of them
   * (by the sample's inertia) on all points, from the sample's centroids. Off by default (every
   * restart on all points).
   */
  screenSample?: number;
  /** Restarts carried from the sample to all points (default 3). */
  screenKeep?: number;
  /** Threads the restarts run on (default: the machine's cores up to 4 when the work is large enough, else 1). The result does not depend on it. */
  threads?: number;
}

export interface KMeansResult {
  labels: Int32Array;
  centroids: Matrix;
  /** Sum of squared distances of the points to their centroid. */
  inertia: number;
  iterations: number;
}

/**
 * Lloyd's k-means with greedy k-means++ seeding, squared Euclidean distance (kmeans-kernel.ts).
 * Every restart's random draws are taken from the seed's stream up front, in restart order, so
 * the restarts can run on any number of threads (kmeans-threads.ts) with the same result.
 */
export async function kmeans(x: Matrix, options: KMeansOptions): Promise<KMeansResult> {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k-means: k must be a positive integer, got ${k}`);
  if (x.rows < k) throw new Error(`k-means: ${x.rows} points cannot make ${k} clusters`);
  throwIfCancelled(options.signal);
  const nInit = Math.max(1, options.nInit ?? 4);
  const rng = createRng(options.seed ?? 42);
  const keep = Math.max(1, options.screenKeep ?? 3);
  const screen = options.screenSample !== undefined && options.screenSample >= k && x.rows > 2 * options.screenSample && nInit > keep;
  const sample = screen ? sampleRows(x, options.screenSample!, rng) : undefined;
  const tasks = restartDraws(nInit, k, rng);
  const work = (sample ? sample.rows * nInit + x.rows * keep : x.rows * nInit) * k * x.cols;
  // No more threads than restarts at a time.
  const restarts = new KMeansRestarts(sample ? [x, sample] : [x], k, Math.min(nInit, options.threads ?? defaultKMeansThreads(work)));
  const run = { maxIter: options.maxIter ?? 300, tol: options.tol ?? 1e-6, signal: options.signal, onProgress: options.onProgress, progressOffset: 0 };
  try {
    if (!sample) return asResult(best(await restarts.run(0, tasks, { ...run, progressTotal: nInit })), k, x.cols);
    // The restarts on the sample; the `keep` lowest-inertia ones continue on all points from their
    // centroids, and the lowest inertia on all points wins.
    const screened = await restarts.run(1, tasks, { ...run, progressTotal: nInit + keep });
    const order = screened.map((r, i) => i).sort((a, b) => screened[a].inertia - screened[b].inertia || a - b);
    const finals = order.slice(0, keep).map((i): KMeansTask => ({ start: screened[i].centroids }));
    return asResult(best(await restarts.run(0, finals, { ...run, progressOffset: nInit, progressTotal: nInit + keep })), k, x.cols);
  } finally {
    await restarts.close();
  }
}

/** `size` rows of x picked at random, in their order in x. */
function sampleRows(x: Matrix, size: number, rng: Rng): Matrix {
  const picked = sampleIndices(x.rows, size, rng).sort((a, b) => a - b);
  const data = new Float32Array(picked.length * x.cols);
  picked.forEach((r, t) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), t * x.cols));
  return { rows: picked.length, cols: x.cols, data };
}

/** Each restart's k-means++ draws, restart after restart from one stream. */
function restartDraws(nInit: number, k: number, rng: Rng): KMeansTask[] {
  const per = kmeansKernel().drawsPerSeeding(k);
  return Array.from({ length: nInit }, () => ({ draws: Float64Array.from({ length: per }, () => rng()) }));
}

/** The lowest inertia; on a tie, the first. */
function best(runs: readonly KMeansRun[]): KMeansRun {
  return runs.reduce((a, b) => (b.inertia < a.inertia ? b : a));
}

function asResult(run: KMeansRun, k: number, cols: number): KMeansResult {
  return { labels: run.labels, centroids: { rows: k, cols, data: run.centroids }, inertia: run.inertia, iterations: run.iterations };
}
