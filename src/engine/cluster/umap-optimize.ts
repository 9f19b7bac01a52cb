/**
 * Runs UMAP's SGD epochs (umap-sgd.ts) on one thread or several. With several, the layout and the
 * edge schedules live in SharedArrayBuffers; the points are split into contiguous ranges of about
 * equal edge counts; the main thread takes the first range and each worker thread one other, per
 * epoch, after the main thread has refreshed the snapshot. Because a point only moves itself and
 * reads the others from the snapshot, the layout does not depend on the number of threads.
 */
import { availableParallelism } from 'node:os';
import { checkpoint, type JobOptions } from '../util/job';
import { splitByEdges } from '../util/row-ranges';
import { SourceWorker } from '../util/source-worker';
import type { FuzzyGraph } from './fuzzy-graph';
import { createSgdState, runEpochRange, type SgdState } from './umap-sgd';
import { sgdKernelSource } from './umap-sgd-kernel';

export interface OptimizeOptions extends JobOptions {
  nEpochs: number;
  /** The curve 1 / (1 + a·d^(2b)) (from spread and min_dist). */
  a: number;
  b: number;
  seed: number;
  /** Repulsion weight (default 1). */
  gamma?: number;
  /** Negative samples per positive sample (default 5). */
  negativeSampleRate?: number;
  /** Threads (default: the machine's cores up to 4, from 5,000 points; 1 below). */
  threads?: number;
  /** Stage name for progress reports. */
  stage: string;
}

/** Below this many points one thread is faster than starting workers. */
const PARALLEL_FROM = 5_000;

export { splitByEdges };

export function defaultThreads(n: number): number {
  return n < PARALLEL_FROM ? 1 : Math.max(1, Math.min(4, availableParallelism()));
}

/** Optimises `layout` (n × dim, row-major) in place. */
export async function optimizeLayout(graph: FuzzyGraph, layout: Float32Array, dim: number, options: OptimizeOptions): Promise<void> {
  const { n, head } = graph;
  for (let e = 1; e < head.length; e++) if (head[e] < head[e - 1]) throw new Error('UMAP: the graph entries must be grouped by head in increasing order');
  if (layout.length !== n * dim) throw new Error(`UMAP: the layout has ${layout.length} values, expected ${n}×${dim}`);
  const { nEpochs, a, b, stage, signal, onProgress } = options;
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreads(n), n));
  const shared = threads > 1;
  const state = createSgdState(graph, layout, dim, nEpochs, options.seed, options.negativeSampleRate ?? 5, { a, b, gamma: options.gamma ?? 1 }, shared ? (bytes) => new SharedArrayBuffer(bytes) : undefined);
  const ranges = splitByEdges(state.rowStart, threads);
  const workers = shared ? ranges.slice(1).map((r) => new EpochWorker(state, r.from, r.to)) : [];
  try {
    const params = new Float64Array([0, 1, a, b, options.gamma ?? 1]);
    for (let epoch = 0; epoch < nEpochs; epoch++) {
      state.snapshot.set(state.current);
      params[0] = epoch;
      params[1] = 1 - epoch / nEpochs;
      const others = workers.map((w) => w.run(params));
      runEpochRange(state, ranges[0].from, ranges[0].to, params);
      await Promise.all(others);
      if (epoch % 5 === 4 || epoch === nEpochs - 1) {
        onProgress?.({ stage, done: epoch + 1, total: nEpochs });
        await checkpoint(signal);
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
  layout.set(state.current);
}

/** The worker's script: the epoch kernel's source for the layout's dimension (in workerData), applied to its range on each message. */
const WORKER_SOURCE = `
const { parentPort, workerData: s } = require('node:worker_threads');
const sgdEpoch = (0, eval)(s.kernelSource);
parentPort.on('message', (params) => {
  try {
    sgdEpoch(s.current, s.snapshot, s.dim, s.n, s.rowStart, s.tail, s.epochsPerSample, s.nextSample, s.epochsPerNegative, s.nextNegative, s.rng, s.tables, s.from, s.to, params);
    parentPort.postMessage(null);
  } catch (e) {
    parentPort.postMessage(String(e && e.stack || e));
  }
});
`;

/** One worker thread owning the points [from, to) of a shared SGD state. */
class EpochWorker extends SourceWorker<null> {
  constructor(state: SgdState, from: number, to: number) {
    super(WORKER_SOURCE, { ...state, from, to, kernelSource: sgdKernelSource(state.dim) }, 'UMAP worker');
  }

  async run(params: Float64Array): Promise<void> {
    await this.request(params);
  }
}
