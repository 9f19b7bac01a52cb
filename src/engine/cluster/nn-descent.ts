/**
 * Approximate cosine kNN graph by NN-descent (Dong, Charikar & Li 2011) started from
 * random-projection-tree leaves, the method of pynndescent:
 *  1. a few angular RP trees (rp-tree.ts); every pair inside each leaf is compared, which gives each
 *     row a first list of neighbours (rows still short of k get random ones);
 *  2. rounds of local joins: each row gathers a sample of its neighbours, split into "new" entries
 *     (not yet joined) and "old" ones, together with the rows that list it (reverse neighbours); every
 *     pair new×new and new×old among them is compared and offered to both rows' lists. A neighbour's
 *     neighbour is likely a neighbour, so the lists converge to the true ones;
 *  3. rounds stop when fewer than `delta`·n·k entries changed, or after `maxIterations`.
 * Rows are L2-normalised, so the cosine distance is 1 − a·b. Everything random comes from one seeded
 * generator and runs in a fixed order, so a seed gives the same graph. The leaves' pairs, the
 * candidate sampling, the local joins and the final distances run on worker threads
 * (nn-descent-threads.ts); the graph is the same bit for bit for any number of threads.
 */
import type { Matrix } from '../util/matrix';
import { checkpoint, type JobOptions } from '../util/job';
import { createRng, gaussian, type Rng } from '../util/random';
import { normalizedCopy, type KnnResult } from './knn';
import { gatherDots } from './dots';
import { createRowDots, createSharedRowDots, sharedRowDotsOnThisThread, type RowDots } from './simd-dots';
import { NeighbourHeaps } from './neighbour-heaps';
import { angularRpTreeLeaves } from './rp-tree';
import { JoinPool, BLOCK_ROWS } from './nn-descent-threads';
import type { CandidateArrays, GatherDots } from './nn-descent-kernel';
import { defaultThreads } from './umap-optimize';

export interface NnDescentOptions extends JobOptions {
  seed?: number;
  /** RP trees for the first graph (default min(64, 5 + round(√n / 20)), as umap-learn uses). */
  nTrees?: number;
  /** Most rows per leaf (default max(10, k)). */
  leafSize?: number;
  /** Sampled new (and old) candidates per row and round, forward and reverse together (default 20: recall@15 0.96–0.98 at 100k in bench/cluster.ts, 30 gains 0.01 for 20% more time). */
  maxCandidates?: number;
  /** Most local-join rounds (default max(5, round(log₂ n))). */
  maxIterations?: number;
  /** Stop when a round changes at most this share of the n·k entries (default 0.001). */
  delta?: number;
  /**
   * Dimensions the trees split in (default 64): wider rows are first projected onto this many random
   * gaussian directions (Johnson–Lindenstrauss) and renormalised, and the trees split the projected
   * rows; the leaves' pairs and the local joins still compare the full rows. 0 or ≥ d: the full rows.
   */
  treeDims?: number;
  /** Use the WebAssembly SIMD kernel where it is available (default true). */
  simd?: boolean;
  /**
   * Threads for the local joins (default: the machine's cores up to 4, from 5,000 rows; 1 below, or
   * without WebAssembly SIMD and shared memory). The graph is the same for any number.
   */
  threads?: number;
}

/** How often (ms) long loops yield to the event loop and report progress. */
const YIELD_MS = 50;

/** Approximate cosine kNN graph (self excluded, nearest first) by RP-tree-initialised NN-descent. */
export async function nnDescentKnn(x: Matrix, k: number, options: NnDescentOptions = {}): Promise<KnnResult> {
  const { rows: n, cols: d } = x;
  if (!Number.isInteger(k) || k < 1) throw new Error(`kNN: k must be a positive integer, got ${k}`);
  if (k >= n) throw new Error(`kNN: need more than k=${k} points, got ${n}`);
  const data = normalizedCopy(x);
  const rng = createRng(options.seed ?? 42);
  const progress = new Pacer(options);
  const maxCandidates = Math.max(1, options.maxCandidates ?? 20);
  const leafSize = Math.max(2, options.leafSize ?? Math.max(10, k));
  const simd = options.simd ?? true;
  const maxCount = Math.max(n, 2 * maxCandidates);
  const wantThreads = Math.max(1, Math.min(options.threads ?? defaultThreads(n), Math.ceil(n / 2)));
  // Several threads share the rows in one WebAssembly memory (null without SIMD or shared memories: one thread).
  const shared = simd && wantThreads > 1 ? createSharedRowDots(data, n, d, maxCount, wantThreads) : null;
  const threads = shared ? wantThreads : 1;
  const kernel = shared ? sharedRowDotsOnThisThread(shared, 0) : createRowDots(data, n, d, maxCount, simd);
  const heaps = new NeighbourHeaps(n, k, threads > 1);

  const nTrees = options.nTrees ?? Math.min(64, 5 + Math.round(Math.sqrt(n) / 20));
  const treeDims = options.treeDims ?? DEFAULT_TREE_DIMS;
  const split = treeDims > 0 && treeDims < d ? projectedRows(data, n, d, treeDims, kernel, rng, options.simd ?? true) : { data, d, kernel };
  const maxIterations = options.maxIterations ?? Math.max(5, Math.round(Math.log2(n)));
  const minUpdates = (options.delta ?? 0.001) * n * k;
  const cands = candidateArrays(n, maxCandidates, threads > 1);
  const pool = new JoinPool({ n, d, leafSize, cands, heaps, dots: gatherOn(kernel, Math.max(2 * maxCandidates, leafSize)), shared: shared ?? undefined, threads });
  try {
    await initFromTrees(pool, n, split, nTrees, leafSize, rng, progress);
    fillRandom(heaps, data, d, rng);
    for (let it = 0; it < maxIterations; it++) {
      await sampleCandidates(pool, heaps, rng);
      const updates = await localJoin(pool, n, progress, it, maxIterations);
      if (updates <= minUpdates) break;
    }
    await pool.exactDistances(data, d);
  } finally {
    await pool.close();
  }
  options.onProgress?.({ stage: 'knn', done: PROGRESS_TOTAL, total: PROGRESS_TOTAL });
  const { indices, distances } = heaps.sorted();
  return { n, k, indices, distances, metric: 'cosine' };
}

/** Progress units of the whole graph: the trees take the first TREE_SHARE, the rounds the rest. */
const PROGRESS_TOTAL = 1000;
const TREE_SHARE = 0.3;

/** Progress (one monotonic 'knn' stage) and cancellation, at most every YIELD_MS. */
class Pacer {
  private last = performance.now();
  constructor(private readonly options: JobOptions) {}
  /** `fraction` of the whole work is done. */
  async tick(fraction: number, message: string): Promise<void> {
    if (performance.now() - this.last < YIELD_MS) return;
    this.options.onProgress?.({ stage: 'knn', done: Math.min(PROGRESS_TOTAL - 1, Math.round(fraction * PROGRESS_TOTAL)), total: PROGRESS_TOTAL, message });
    await checkpoint(this.options.signal);
    this.last = performance.now();
  }
}

/**
 * Where the trees split: each tree projects every row of a node onto a hyperplane normal, about
 * log₂(n / leafSize) full passes over the rows per tree, which at 100k × 384 cost as much as all the
 * local joins. In 64 random dimensions those passes cost a sixth, and the leaves are nearly as good
 * (bench/cluster.ts measures the recall of the finished graph).
 */
const DEFAULT_TREE_DIMS = 64;

interface SplitSpace {
  data: Float32Array;
  d: number;
  kernel: RowDots;
}

/** The unit rows projected onto `dims` seeded gaussian directions and renormalised, with their own dot kernel. */
function projectedRows(data: Float32Array, n: number, d: number, dims: number, kernel: RowDots, rng: Rng, simd: boolean): SplitSpace {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const direction = new Float32Array(d);
  const column = new Float64Array(n);
  const out = new Float32Array(n * dims);
  for (let c = 0; c < dims; c++) {
    for (let t = 0; t < d; t++) direction[t] = gaussian(rng);
    kernel.vector(direction, all, n, column);
    for (let i = 0; i < n; i++) out[i * dims + c] = column[i];
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < dims; c++) s += out[i * dims + c] * out[i * dims + c];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let c = 0; c < dims; c++) out[i * dims + c] *= inv;
  }
  return { data: out, d: dims, kernel: createRowDots(out, n, dims, n, simd) };
}

/** Compares every pair of rows inside each leaf of `nTrees` RP trees (split in `split`'s space, compared in full on the pool's threads). */
async function initFromTrees(pool: JoinPool, n: number, split: SplitSpace, nTrees: number, leafSize: number, rng: Rng, pacer: Pacer): Promise<void> {
  for (let tree = 0; tree < nTrees; tree++) {
    const { order, starts } = angularRpTreeLeaves(split.data, n, split.d, leafSize, rng, split.kernel);
    pool.setTree(order, starts);
    const leaves = starts.length - 1;
    for (let l0 = 0; l0 < leaves; ) {
      let l1 = l0;
      while (l1 < leaves && starts[l1] - starts[l0] < BLOCK_ROWS) l1++;
      await pool.leafBlock(l0, l1);
      l0 = l1;
      await pacer.tick((TREE_SHARE * (tree + l0 / leaves)) / nTrees, 'random-projection trees');
    }
  }
}

/** Tops up rows that are still short of k entries with random rows (needs n > k). */
function fillRandom(heaps: NeighbourHeaps, data: Float32Array, d: number, rng: Rng): void {
  const { n, k } = heaps;
  const one = new Int32Array(1);
  const dot = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    if (heaps.worst(i) !== Infinity) continue;
    let filled = heaps.filled(i);
    while (filled < k) {
      const j = Math.floor(rng() * n);
      if (j === i) continue;
      one[0] = j;
      gatherDots(data, i * d, data, one, 1, d, dot);
      filled += heaps.push(i, 1 - dot[0], j);
    }
  }
}

/** Empty candidate lists of n rows of up to `max` new and `max` old entries (those the threads read in SharedArrayBuffers when `shared`). */
function candidateArrays(n: number, max: number, shared: boolean): CandidateArrays {
  const alloc = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    newIds: new Int32Array(alloc(4 * n * max)),
    oldIds: new Int32Array(alloc(4 * n * max)),
    newPri: new Float32Array(alloc(4 * n * max)),
    oldPri: new Float32Array(alloc(4 * n * max)),
    newCount: new Int32Array(alloc(4 * n)),
    oldCount: new Int32Array(alloc(4 * n)),
    max,
  };
}

/**
 * Samples one round's candidates: each heap entry gets a random priority (drawn here, in slot order,
 * from the one seeded generator), then the pool rebuilds every row's new and old lists from them
 * (nn-descent-kernel.ts sample, markSampled).
 */
async function sampleCandidates(pool: JoinPool, heaps: NeighbourHeaps, rng: Rng): Promise<void> {
  const draws = pool.draws;
  const ids = heaps.ids;
  for (let t = 0; t < ids.length; t++) if (ids[t] >= 0) draws[t] = rng();
  await pool.sample();
}

/** One round of local joins, BLOCK_ROWS rows at a time on the pool's threads; returns the number of entries that changed. */
async function localJoin(pool: JoinPool, n: number, pacer: Pacer, it: number, iterations: number): Promise<number> {
  let updates = 0;
  for (let from = 0; from < n; from += BLOCK_ROWS) {
    updates += await pool.block(from, Math.min(n, from + BLOCK_ROWS));
    await pacer.tick(TREE_SHARE + ((1 - TREE_SHARE) * (it + Math.min(n, from + BLOCK_ROWS) / n)) / iterations, `NN-descent round ${it + 1}`);
  }
  return updates;
}

/** The join kernel's GatherDots over a RowDots (ids in, products out, up to `maxCount`). */
function gatherOn(kernel: RowDots, maxCount: number): GatherDots {
  const ids = new Int32Array(maxCount);
  const out = new Float64Array(maxCount);
  return { ids, out, rows: (a, count) => kernel.rows(a, ids, count, out) };
}
