/**
 * Runs NN-descent's local joins (nn-descent-kernel.ts) on one thread or several. With several, the
 * rows (in simd-dots.ts's shared WebAssembly memory), the heaps, the candidate lists and one offer
 * list per thread live in SharedArrayBuffers. The rows are taken in blocks of BLOCK_ROWS; per block,
 * each thread joins a contiguous part of the block's rows into its own offer list, then each thread
 * applies all lists, in thread order, to the rows it owns (a fixed split of 0..n). The main thread
 * takes the first part and the first rows. The kernel explains why the graph does not depend on the
 * number of threads.
 */
import { SourceWorker } from '../util/source-worker';
import { joinKernel, offersPerRow, JOIN_KERNEL_SOURCE, type CandidateArrays, type GatherDots, type HeapArrays, type OfferList } from './nn-descent-kernel';
import type { SharedRowDots } from './simd-dots';

/** Rows per block: per thread, the offer list holds offersPerRow(max) entries for each of its rows in a block (about 9 MB at max 20 on 2 threads). */
export const BLOCK_ROWS = 1024;

export interface JoinPoolInput {
  n: number;
  /** Width of the rows. */
  d: number;
  /** Most rows per RP-tree leaf. */
  leafSize: number;
  cands: CandidateArrays;
  heaps: HeapArrays;
  /** Thread 0's dot products. */
  dots: GatherDots;
  /** With more than one thread: the shared kernel (its scratch[t] for thread t), and cands and heaps on SharedArrayBuffers. */
  shared?: SharedRowDots;
  threads: number;
}

/** The local joins of one round, block by block, on `threads` threads (the main thread and threads − 1 workers). */
export class JoinPool {
  private readonly lists: OfferList[];
  private readonly counts: Int32Array;
  /** Each heap slot's sampling priority of the round (filled by the caller before sample()). */
  readonly draws: Float64Array;
  /** The current RP tree's leaves (rp-tree.ts RpLeaves), copied where the workers read them. */
  private readonly order: Int32Array;
  private readonly starts: Int32Array;
  private readonly workers: JoinWorker[];
  private readonly threads: number;
  private readonly kernel = joinKernel();

  constructor(private readonly input: JoinPoolInput) {
    const threads = input.shared ? Math.max(1, input.threads) : 1;
    this.threads = threads;
    // A thread's part of a block of leaves: at most its share of BLOCK_ROWS + leafSize rows plus one leaf, leafSize − 1 offers each.
    const leafOffers = (Math.ceil((BLOCK_ROWS + input.leafSize) / threads) + input.leafSize) * (input.leafSize - 1);
    const capacity = Math.max(Math.ceil(BLOCK_ROWS / threads) * offersPerRow(input.cands.max), leafOffers);
    const alloc = (bytes: number) => (threads > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    this.lists = Array.from({ length: threads }, () => ({
      rows: new Int32Array(alloc(4 * capacity)),
      ids: new Int32Array(alloc(4 * capacity)),
      dists: new Float64Array(alloc(8 * capacity)),
    }));
    this.counts = new Int32Array(threads);
    this.draws = new Float64Array(alloc(8 * input.n * input.heaps.k));
    this.order = new Int32Array(alloc(4 * input.n));
    this.starts = new Int32Array(alloc(4 * (input.n + 1)));
    const shared = input.shared;
    this.workers = shared
      ? this.lists.slice(1).map((list, i) => {
          const t = i + 1;
          return new JoinWorker({ source: JOIN_KERNEL_SOURCE, module: shared.module, memory: shared.memory, n: input.n, d: input.d, stride: shared.stride, maxCount: shared.maxCount, idsOff: shared.scratch[t].ids, outOff: shared.scratch[t].out, cands: input.cands, heaps: input.heaps, list, lists: this.lists, order: this.order, starts: this.starts, draws: this.draws });
        })
      : [];
  }

  /** Joins the rows [from, to) and applies their offers; returns how many heap entries changed. */
  async block(from: number, to: number): Promise<number> {
    const { cands, heaps, dots } = this.input;
    const T = this.threads;
    const part = (t: number) => from + Math.floor(((to - from) * t) / T);
    const joins = this.workers.map((w, i) => w.call('join', part(i + 1), part(i + 2)));
    this.counts[0] = this.kernel.join(part(0), part(1), cands, heaps, dots, this.lists[0]);
    return this.applyAll(await Promise.all(joins));
  }

  /** Rebuilds the candidate lists from the heaps at the priorities in `draws`, each thread for the rows it owns. */
  async sample(): Promise<void> {
    const { heaps, cands, n } = this.input;
    const T = this.threads;
    const own = (t: number) => Math.floor((n * t) / T);
    let others = this.workers.map((w, i) => w.call('sample', own(i + 1), own(i + 2)));
    this.kernel.sample(own(0), own(1), heaps, cands, this.draws);
    await Promise.all(others);
    others = this.workers.map((w, i) => w.call('mark', own(i + 1), own(i + 2)));
    this.kernel.markSampled(own(0), own(1), heaps, cands);
    await Promise.all(others);
  }

  /** Sets the RP tree whose leaves leafBlock compares. */
  setTree(order: Int32Array, starts: Int32Array): void {
    this.order.set(order);
    this.starts.set(starts);
  }

  /**
   * Compares the pairs inside the current tree's leaves [l0, l1) and applies their offers; returns how
   * many heap entries changed. The leaves are split among the threads by rows.
   */
  async leafBlock(l0: number, l1: number): Promise<number> {
    const { heaps, dots } = this.input;
    const T = this.threads;
    const starts = this.starts;
    const rows = starts[l1] - starts[l0];
    const cut = [l0];
    for (let t = 1, leaf = l0; t < T; t++) {
      while (leaf < l1 && (starts[leaf] - starts[l0]) * T < rows * t) leaf++;
      cut.push(leaf);
    }
    cut.push(l1);
    const joins = this.workers.map((w, i) => w.call('leaves', cut[i + 1], cut[i + 2]));
    this.counts[0] = this.kernel.leaves(cut[0], cut[1], this.order, starts, heaps, dots, this.lists[0]);
    return this.applyAll(await Promise.all(joins));
  }

  /** With counts[0] set and the workers' counts given: each thread applies every list to its own rows. */
  private async applyAll(counted: number[]): Promise<number> {
    const { heaps, n } = this.input;
    const T = this.threads;
    for (let t = 1; t < T; t++) this.counts[t] = counted[t - 1];
    const own = (t: number) => Math.floor((n * t) / T);
    const applies = this.workers.map((w, i) => w.call('apply', own(i + 1), own(i + 2), this.counts));
    let updates = this.kernel.apply(own(0), own(1), this.lists, this.counts, heaps);
    for (const u of await Promise.all(applies)) updates += u;
    return updates;
  }

  /**
   * Recomputes every heap entry's distance in float64 (the SIMD kernel sums in float32), as the exact
   * graph has them, each thread for the rows it owns. `data` (n × d) is read where there are no workers.
   */
  async exactDistances(data: Float32Array, d: number): Promise<void> {
    const { n, heaps, shared } = this.input;
    const T = this.threads;
    const own = (t: number) => Math.floor((n * t) / T);
    const others = this.workers.map((w, i) => w.call('exact', own(i + 1), own(i + 2)));
    if (shared) this.kernel.exact(own(0), own(1), new Float32Array(shared.memory.buffer, 0, (n * shared.stride) / 4), shared.stride / 4, d, heaps);
    else this.kernel.exact(0, n, data, d, d, heaps);
    await Promise.all(others);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

interface JoinWorkerData {
  source: string;
  n: number;
  d: number;
  module: object;
  memory: object;
  stride: number;
  maxCount: number;
  idsOff: number;
  outOff: number;
  cands: CandidateArrays;
  heaps: HeapArrays;
  list: OfferList;
  lists: OfferList[];
  order: Int32Array;
  starts: Int32Array;
  draws: Float64Array;
}

/** The worker's script: compiles the kernel and the shared dot kernel, then joins or applies on each message. */
const WORKER_SOURCE = `
const { parentPort, workerData: s } = require('node:worker_threads');
const kernel = (0, eval)(s.source);
const dotsFn = new WebAssembly.Instance(s.module, { env: { mem: s.memory } }).exports.dots;
const dots = kernel.simdDots(dotsFn, s.memory.buffer, s.stride, s.idsOff, s.outOff, s.maxCount);
const rows = new Float32Array(s.memory.buffer, 0, s.n * s.stride / 4);
parentPort.on('message', (m) => {
  try {
    let r = 0;
    if (m[0] === 'join') r = kernel.join(m[1], m[2], s.cands, s.heaps, dots, s.list);
    else if (m[0] === 'leaves') r = kernel.leaves(m[1], m[2], s.order, s.starts, s.heaps, dots, s.list);
    else if (m[0] === 'apply') r = kernel.apply(m[1], m[2], s.lists, m[3], s.heaps);
    else if (m[0] === 'sample') kernel.sample(m[1], m[2], s.heaps, s.cands, s.draws);
    else if (m[0] === 'mark') kernel.markSampled(m[1], m[2], s.heaps, s.cands);
    else kernel.exact(m[1], m[2], rows, s.stride / 4, s.d, s.heaps);
    parentPort.postMessage(r);
  } catch (e) {
    parentPort.postMessage(String(e && e.stack || e));
  }
});
`;

/** One worker thread of the pool. */
class JoinWorker extends SourceWorker<number> {
  constructor(data: JoinWorkerData) {
    super(WORKER_SOURCE, data, 'NN-descent worker');
  }

  call(op: 'join' | 'leaves' | 'apply' | 'exact' | 'sample' | 'mark', a: number, b: number, counts?: Int32Array): Promise<number> {
    return this.request(counts ? [op, a, b, Array.from(counts)] : [op, a, b]);
  }
}
