import type { Matrix } from '../util/matrix';
import { createRng, sampleIndices, type Rng } from '../util/random';
import { checkpoint, type JobOptions } from '../util/job';
import { blockDots } from './dots';

/** Points per block of the assignment step's blocked dot products. */
const ASSIGN_BLOCK = 256;

export interface KMeansOptions extends JobOptions {
  k: number;
  seed?: number;
  /** Restarts with different seeds; the lowest inertia wins. */
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
}

export interface KMeansResult {
  labels: Int32Array;
  centroids: Matrix;
  /** Sum of squared distances of the points to their centroid. */
  inertia: number;
  iterations: number;
}

/** Lloyd's k-means with k-means++ seeding, squared Euclidean distance. */
export async function kmeans(x: Matrix, options: KMeansOptions): Promise<KMeansResult> {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k-means: k must be a positive integer, got ${k}`);
  if (x.rows < k) throw new Error(`k-means: ${x.rows} points cannot make ${k} clusters`);
  const nInit = options.nInit ?? 4;
  const rng = createRng(options.seed ?? 42);
  const keep = Math.max(1, options.screenKeep ?? 3);
  if (options.screenSample !== undefined && options.screenSample >= k && x.rows > 2 * options.screenSample && nInit > keep)
    return screenedRestarts(x, options.screenSample, nInit, keep, rng, options);
  let best: KMeansResult | undefined;
  for (let run = 0; run < nInit; run++) {
    const result = await lloyd(x, k, rng, options);
    if (!best || result.inertia < best.inertia) best = result;
    options.onProgress?.({ stage: 'kmeans', done: run + 1, total: nInit });
  }
  return best!;
}

/**
 * The restarts on a sample of the points; the `keep` lowest-inertia ones continue on all points
 * from their centroids, and the lowest inertia on all points wins.
 */
async function screenedRestarts(x: Matrix, size: number, nInit: number, keep: number, rng: Rng, options: KMeansOptions): Promise<KMeansResult> {
  const { k } = options;
  const picked = sampleIndices(x.rows, size, rng).sort((a, b) => a - b);
  const data = new Float32Array(picked.length * x.cols);
  picked.forEach((r, t) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), t * x.cols));
  const sample: Matrix = { rows: picked.length, cols: x.cols, data };
  const runs: KMeansResult[] = [];
  for (let run = 0; run < nInit; run++) {
    runs.push(await lloyd(sample, k, rng, options));
    options.onProgress?.({ stage: 'kmeans', done: run + 1, total: nInit + keep });
  }
  runs.sort((a, b) => a.inertia - b.inertia);
  let best: KMeansResult | undefined;
  for (let t = 0; t < keep; t++) {
    const result = await lloyd(x, k, rng, options, runs[t].centroids.data);
    if (!best || result.inertia < best.inertia) best = result;
    options.onProgress?.({ stage: 'kmeans', done: nInit + t + 1, total: nInit + keep });
  }
  return best!;
}

function squaredNorms(x: Matrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0, o = i * x.cols; j < x.cols; j++) s += x.data[o + j] * x.data[o + j];
    out[i] = s;
  }
  return out;
}

/**
 * Greedy k-means++ seeding (scikit-learn's default): each new centre is the best of 2 + ⌊ln k⌋
 * candidates drawn with probability ∝ D², the one that lowers the total D² most. Restarts
 * (nInit) are still what keeps a run out of a poor local minimum.
 */
function kmeansPlusPlus(x: Matrix, k: number, rng: Rng): Float32Array {
  const { rows, cols, data } = x;
  const centroids = new Float32Array(k * cols);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(rng() * rows);
  centroids.set(data.subarray(first * cols, (first + 1) * cols), 0);
  const distancesTo = (p: number, current: Float64Array | undefined, out: Float64Array): number => {
    let total = 0;
    for (let i = 0, op = p * cols; i < rows; i++) {
      let s = 0;
      for (let j = 0, o = i * cols; j < cols; j++) {
        const d = data[o + j] - data[op + j];
        s += d * d;
      }
      out[i] = current && current[i] < s ? current[i] : s;
      total += out[i];
    }
    return total;
  };
  let d2 = new Float64Array(rows);
  let potential = distancesTo(first, undefined, d2);
  let candidate = new Float64Array(rows);
  let best = new Float64Array(rows);
  for (let c = 1; c < k; c++) {
    let bestPick = -1;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      let target = rng() * potential;
      let pick = rows - 1;
      for (let i = 0; i < rows; i++) {
        target -= d2[i];
        if (target <= 0) {
          pick = i;
          break;
        }
      }
      const total = distancesTo(pick, d2, candidate);
      if (total < bestPotential) {
        bestPotential = total;
        bestPick = pick;
        [best, candidate] = [candidate, best];
      }
    }
    centroids.set(data.subarray(bestPick * cols, (bestPick + 1) * cols), c * cols);
    [d2, best] = [best, d2];
    potential = bestPotential;
  }
  return centroids;
}

/**
 * Lloyd's iterations with Hamerly's bounds: each point keeps an upper bound on its distance to its
 * centroid and a lower bound on its distance to every other one; when the centroids move, the
 * bounds widen by how far they moved, and a point whose upper bound stays below its lower bound
 * keeps its cluster without any distance computed. The cluster sums are updated for the points
 * that change cluster only, and the inertia comes from them (Σ‖x‖² − 2c·S + n‖c‖² per cluster), so
 * an iteration late in a run costs little more than a pass over the bounds. Same assignments as
 * plain Lloyd's (up to rounding in near ties).
 */
async function lloyd(x: Matrix, k: number, rng: Rng, options: KMeansOptions, start?: Float32Array): Promise<KMeansResult> {
  const { rows, cols, data } = x;
  const maxIter = options.maxIter ?? 300;
  const tol = options.tol ?? 1e-6;
  const xNorms = squaredNorms(x);
  let centroids = start ? Float32Array.from(start) : kmeansPlusPlus(x, k, rng);
  const labels = new Int32Array(rows).fill(-1);
  const upper = new Float64Array(rows).fill(Infinity);
  const lower = new Float64Array(rows);
  const sums = new Float64Array(k * cols);
  const counts = new Int32Array(k);
  const normSums = new Float64Array(k);
  const dots = new Float64Array(ASSIGN_BLOCK * k);
  let inertia = Infinity;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    const cNorms = squaredNorms({ rows: k, cols, data: centroids });
    let moved = 0;
    for (let i0 = 0; i0 < rows; i0 += ASSIGN_BLOCK) {
      const i1 = Math.min(rows, i0 + ASSIGN_BLOCK);
      // The first pass computes every distance in blocks; later passes only the points whose bounds overlap.
      if (iter === 0) blockDots(data, i0, i1, centroids, 0, k, cols, dots, k);
      for (let i = i0; i < i1; i++) {
        if (upper[i] <= lower[i]) continue;
        let bestC = 0;
        let bestD = Infinity;
        let secondD = Infinity;
        const r = (i - i0) * k;
        for (let c = 0; c < k; c++) {
          let dot: number;
          if (iter === 0) dot = dots[r + c];
          else {
            dot = 0;
            for (let j = 0, o = i * cols, co = c * cols; j < cols; j++) dot += data[o + j] * centroids[co + j];
          }
          const d = Math.max(0, xNorms[i] - 2 * dot + cNorms[c]);
          if (d < bestD) {
            secondD = bestD;
            bestD = d;
            bestC = c;
          } else if (d < secondD) secondD = d;
        }
        upper[i] = Math.sqrt(bestD);
        lower[i] = Math.sqrt(secondD);
        const was = labels[i];
        if (was === bestC) continue;
        moved++;
        const o = i * cols;
        if (was >= 0) {
          counts[was]--;
          normSums[was] -= xNorms[i];
          for (let j = 0, co = was * cols; j < cols; j++) sums[co + j] -= data[o + j];
        }
        counts[bestC]++;
        normSums[bestC] += xNorms[i];
        for (let j = 0, co = bestC * cols; j < cols; j++) sums[co + j] += data[o + j];
        labels[i] = bestC;
      }
    }
    // The inertia of this assignment to the centroids it was made with.
    let newInertia = 0;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let j = 0, co = c * cols; j < cols; j++) dot += centroids[co + j] * sums[co + j];
      newInertia += Math.max(0, normSums[c] - 2 * dot + counts[c] * cNorms[c]);
    }
    const next = new Float32Array(k * cols);
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // An empty cluster takes the point farthest from its centroid.
        let far = 0;
        let farD = -1;
        for (let i = 0; i < rows; i++) {
          let s = 0;
          for (let j = 0, o = i * cols, co = labels[i] * cols; j < cols; j++) {
            const d = data[o + j] - centroids[co + j];
            s += d * d;
          }
          if (s > farD) {
            farD = s;
            far = i;
          }
        }
        next.set(data.subarray(far * cols, (far + 1) * cols), c * cols);
      } else for (let j = 0; j < cols; j++) next[c * cols + j] = sums[c * cols + j] / counts[c];
    }
    // Widen the bounds by how far the centroids moved.
    const shift = new Float64Array(k);
    let maxShift = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0, co = c * cols; j < cols; j++) {
        const d = next[co + j] - centroids[co + j];
        s += d * d;
      }
      shift[c] = Math.sqrt(s);
      if (shift[c] > maxShift) maxShift = shift[c];
    }
    // A little slack for the rounding of the distances from dot products.
    const slack = 1e-6;
    for (let i = 0; i < rows; i++) {
      upper[i] += shift[labels[i]] + slack;
      lower[i] -= maxShift + slack;
    }
    centroids = next;
    // Converged when no point changes cluster (the centroids then stay put), or when the inertia
    // has stopped moving (tol, relative).
    const converged = (iter > 0 && moved === 0) || (Number.isFinite(inertia) && Math.abs(inertia - newInertia) <= tol * Math.max(1, inertia));
    inertia = newInertia;
    if (converged) break;
    if (iter % 5 === 4) await checkpoint(options.signal);
  }
  // Final assignment against the final centroids, so labels and inertia agree.
  const cNorms = squaredNorms({ rows: k, cols, data: centroids });
  inertia = 0;
  for (let i0 = 0; i0 < rows; i0 += ASSIGN_BLOCK) {
    const i1 = Math.min(rows, i0 + ASSIGN_BLOCK);
    blockDots(data, i0, i1, centroids, 0, k, cols, dots, k);
    for (let i = i0; i < i1; i++) {
      let bestC = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = xNorms[i] - 2 * dots[(i - i0) * k + c] + cNorms[c];
        if (d < bestD) {
          bestD = d;
          bestC = c;
        }
      }
      labels[i] = bestC;
      inertia += Math.max(0, bestD);
    }
  }
  return { labels, centroids: { rows: k, cols, data: centroids }, inertia, iterations: iter + 1 };
}
