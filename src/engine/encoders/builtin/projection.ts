/**
 * The built-in encoder's projection of TF-IDF rows, batch by batch: the LSA coordinates of the topic
 * rows (X·V) and the sketch of the lexical rows' part outside the LSA subspace,
 * S(x − V Vᵀx) = Sx − (SV)(Vᵀx). Through the WebAssembly kernels of projection-kernels.ts (float32,
 * SIMD) on the main thread and, for a large batch, worker threads on one shared memory, the rows
 * split into ranges of about equal work; every row is computed by the same kernel whatever the
 * split, so the result is the same bit for bit on any number of threads. Where WebAssembly SIMD
 * is missing, the same in plain float64 JavaScript (projectScalar, also the tests' reference).
 */
import { availableParallelism } from 'node:os';
import { KernelWorker } from '../../util/kernel-worker';
import { splitByEdges } from '../../util/row-ranges';
import { createSharedMemory, instantiate, instantiateShared, WASM_PAGE, type SharedWasmMemory, type WasmMemory } from '../../util/wasm-module';
import { HEADER_BYTES, HEADER_FIELDS, privateProjectionModule, sharedProjectionModule, type HeaderField, type ProjectKernel } from './projection-kernels';
import type { SketchBasisKernel } from './sketch-kernel';
import { sketchBasis, sketchRow, type HashSketch } from './sketch';
import { sparseTimesDense, type SparseRows } from './sparse';

/** What is projected on: the LSA components and, for a lexical part, the sketch and the sketched components. */
export interface ProjectionOperands {
  /** features × rank, row-major: the LSA components (the state's own array, not copied). */
  components: Float32Array;
  features: number;
  /** The rank rounded up to a multiple of 4: the row width of the coordinates. */
  width: number;
  /** The sketch of the lexical part (none: topic coordinates only). */
  sketch?: HashSketch;
  /**
   * rank × sketch.dimension, row-major: the sketch of each LSA direction (rank ≤ width). Made here
   * when missing (sketchBasis, the same bits), with SIMD from the components already in the
   * module's memory (no copy of them into another one).
   */
  sketchedBasis?: Float64Array;
  rank: number;
}

/** The projection of a batch: topic coordinates and lexical residual sketches, row-major. */
export interface ProjectedRows {
  rows: number;
  /** rows × width (the columns past the rank zero). */
  topic: Float32Array;
  width: number;
  /** rows × dimensionStride (the columns past the sketch's dimension zero); empty without a sketch. */
  residual: Float32Array;
  dimensionStride: number;
}

export interface LsaProjection {
  project(topic: SparseRows, lexical: SparseRows): Promise<ProjectedRows>;
  close(): Promise<void>;
}

export interface ProjectionSettings {
  /** Threads for every batch; by default 1 for a small batch, else the machine's cores up to 2. */
  threads?: number;
  /** false: the plain JavaScript kernels. */
  simd?: boolean;
}

/** Below this many non-zeros in a batch one thread is faster than waking a worker. */
const THREADS_FROM_NONZEROS = 100_000;

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

export function createLsaProjection(operands: ProjectionOperands, settings: ProjectionSettings = {}): LsaProjection {
  const { components, features, width, sketch, sketchedBasis, rank } = operands;
  if (width % 4 !== 0 || width < rank || components.length < features * rank) throw new Error('LSA projection: components must be features × rank, width a multiple of 4 of at least the rank');
  if (sketch && sketchedBasis && sketchedBasis.length < rank * sketch.dimension) throw new Error('LSA projection: the sketched components are smaller than rank × dimension');
  const dimension = sketch?.dimension ?? 0;
  const dimensionStride = Math.ceil(dimension / 16) * 16;
  const wantThreads = settings.threads ?? Math.max(1, Math.min(2, availableParallelism()));
  const sharedModule = settings.simd !== false && wantThreads > 1 ? sharedProjectionModule() : null;
  const privateModule = settings.simd !== false ? privateProjectionModule() : null;
  const hashes = sketch?.hashes ?? 0;
  // Fixed part of the memory: header, components, sketch tables, sketched basis.
  const at = { components: align(HEADER_BYTES), buckets: 0, weights: 0, basis: 0, batch: 0 };
  at.buckets = align(at.components + 4 * features * width);
  at.weights = align(at.buckets + 4 * features * hashes);
  at.basis = align(at.weights + 4 * features * hashes);
  at.batch = align(at.basis + 4 * width * dimensionStride);
  // The sketch of the LSA directions, when made here, goes first where the batches go later.
  const rank2 = rank + (rank % 2);
  const initialBytes = at.batch + (sketch && !sketchedBasis ? 8 * dimension * rank2 : 0);
  if (!privateModule || at.batch > 2 ** 30) return scalarProjection(operands, dimensionStride);

  let memory: WasmMemory | SharedWasmMemory;
  let kernel: ProjectKernel;
  let sketchKernel: SketchBasisKernel;
  let shared: { module: object; memory: SharedWasmMemory } | undefined;
  const sharedMemory = sharedModule ? createSharedMemory(initialBytes) : null;
  if (sharedModule && sharedMemory) {
    memory = sharedMemory;
    const exports = instantiateShared(sharedModule, sharedMemory);
    kernel = exports.project as ProjectKernel;
    sketchKernel = exports.sketchBasis as SketchBasisKernel;
    shared = { module: sharedModule, memory: sharedMemory };
  } else {
    const instance = instantiate(privateModule, initialBytes);
    memory = instance.memory;
    kernel = instance.exports.project as ProjectKernel;
    sketchKernel = instance.exports.sketchBasis as SketchBasisKernel;
  }
  // The components padded to `width` columns, written straight into the module's memory.
  const padded = new Float32Array(memory.buffer, at.components, features * width);
  for (let c = 0; c < features; c++) padded.set(components.subarray(c * rank, (c + 1) * rank), c * width);
  if (sketch) {
    new Int32Array(memory.buffer, at.buckets, features * hashes).set(sketch.buckets.subarray(0, features * hashes));
    new Float32Array(memory.buffer, at.weights, features * hashes).set(sketch.weights.subarray(0, features * hashes));
    const basis = new Float32Array(memory.buffer, at.basis, width * dimensionStride);
    if (sketchedBasis) for (let k = 0; k < rank; k++) for (let j = 0; j < dimension; j++) basis[k * dimensionStride + j] = sketchedBasis[k * dimension + j];
    else {
      // dimension × rank2 float64 sums (the memory is fresh: zero), then each rounded to float32 as above.
      sketchKernel(at.components, 4 * width, 4 * rank2, features, at.buckets, at.weights, hashes, at.batch);
      const byBucket = new Float64Array(memory.buffer, at.batch, dimension * rank2);
      for (let k = 0; k < rank; k++) for (let j = 0; j < dimension; j++) basis[k * dimensionStride + j] = byBucket[j * rank2 + k];
    }
  }
  const workers: KernelWorker[] = [];
  let scalarOperands: ProjectionOperands | undefined;
  const header: Partial<Record<HeaderField, number>> = {
    components: at.components,
    stride: 4 * width,
    buckets: at.buckets,
    weights: at.weights,
    hashes,
    sketchedBasis: at.basis,
    dimensionBytes: 4 * dimensionStride,
  };

  return {
    async project(topic, lexical) {
      const rows = topic.rows;
      if (lexical.rows !== rows) throw new Error('LSA projection: the two views must have the same rows');
      const lex = sketch ? lexical : emptyRows(rows);
      const nnzT = topic.indptr[rows];
      const nnzL = lex.indptr[rows];
      // The batch: both CSR matrices, then the three outputs.
      let offset = at.batch;
      const place = (bytes: number): number => {
        const o = offset;
        offset = align(offset + bytes);
        return o;
      };
      const b = {
        topicIndptr: place(4 * (rows + 1)),
        topicIndices: place(4 * nnzT),
        topicValues: place(4 * nnzT),
        lexicalIndptr: place(4 * (rows + 1)),
        lexicalIndices: place(4 * nnzL),
        lexicalValues: place(4 * nnzL),
        topicOut: place(4 * rows * width),
        subspaceOut: place(4 * rows * width),
        residualOut: place(4 * rows * dimensionStride),
      };
      if (offset > 2 ** 31) return projectScalar((scalarOperands ??= withSketchedBasis(operands)), dimensionStride, topic, lexical);
      const have = memory.buffer.byteLength;
      if (offset > have) memory.grow(Math.ceil((offset - have) / WASM_PAGE));
      const buffer = memory.buffer;
      const copyRows = (s: SparseRows, ip: number, ii: number, iv: number, nnz: number): void => {
        new Int32Array(buffer, ip, rows + 1).set(s.indptr.subarray(0, rows + 1));
        new Int32Array(buffer, ii, nnz).set(s.indices.subarray(0, nnz));
        new Float32Array(buffer, iv, nnz).set(s.values.subarray(0, nnz));
      };
      copyRows(topic, b.topicIndptr, b.topicIndices, b.topicValues, nnzT);
      copyRows(lex, b.lexicalIndptr, b.lexicalIndices, b.lexicalValues, nnzL);
      new Float32Array(buffer, b.topicOut, rows * width).fill(0);
      new Float32Array(buffer, b.subspaceOut, rows * width).fill(0);
      const values: Record<HeaderField, number> = { ...(header as Record<HeaderField, number>), ...b };
      new Int32Array(buffer, 0, HEADER_FIELDS.length).set(HEADER_FIELDS.map((f) => values[f]));
      const threads = !shared ? 1 : settings.threads ?? (nnzT + nnzL < THREADS_FROM_NONZEROS ? 1 : wantThreads);
      await runRows(kernel, rows, threads, workCurve(topic, lex, dimensionStride), shared, workers);
      return {
        rows,
        width,
        topic: new Float32Array(buffer, b.topicOut, rows * width).slice(),
        residual: new Float32Array(buffer, b.residualOut, rows * dimensionStride).slice(),
        dimensionStride,
      };
    },
    async close() {
      await Promise.all(workers.splice(0).map((w) => w.close()));
    },
  };
}

/** The rows [0, rows) on `threads` threads (the main thread takes the first range); workers started as needed. */
async function runRows(
  kernel: ProjectKernel,
  rows: number,
  threads: number,
  work: Int32Array,
  shared: { module: object; memory: SharedWasmMemory } | undefined,
  workers: KernelWorker[],
): Promise<void> {
  if (threads <= 1 || !shared || rows < 2) {
    kernel(0, 0, rows);
    return;
  }
  const ranges = splitByEdges(work, threads);
  while (workers.length < threads - 1) workers.push(new KernelWorker(shared.module, shared.memory, 'project'));
  const others = ranges.slice(1).map((r, t) => workers[t].run([0, r.from, r.to]));
  try {
    kernel(0, ranges[0].from, ranges[0].to);
  } finally {
    await Promise.all(others);
  }
}

/** Cumulative work per row (rows + 1 entries): its non-zeros in both views plus the dense residual's share. */
function workCurve(topic: SparseRows, lexical: SparseRows, dimensionStride: number): Int32Array {
  const curve = new Int32Array(topic.rows + 1);
  for (let i = 0; i < topic.rows; i++) curve[i + 1] = curve[i] + topic.indptr[i + 1] + lexical.indptr[i + 1] - topic.indptr[i] - lexical.indptr[i] + dimensionStride;
  return curve;
}

/** The operands with the sketched basis made (sketchBasis) when a sketch has none. */
function withSketchedBasis(operands: ProjectionOperands): ProjectionOperands {
  const { sketch, sketchedBasis, components, rank } = operands;
  return sketch && !sketchedBasis ? { ...operands, sketchedBasis: sketchBasis(sketch, components, rank) } : operands;
}

function emptyRows(rows: number): SparseRows {
  return { rows, cols: 0, indptr: new Int32Array(rows + 1), indices: new Int32Array(0), values: new Float32Array(0) };
}

function scalarProjection(given: ProjectionOperands, dimensionStride: number): LsaProjection {
  const operands = withSketchedBasis(given);
  return {
    project: async (topic, lexical) => projectScalar(operands, dimensionStride, topic, lexical),
    close: async () => undefined,
  };
}

/** The projection in plain JavaScript, the residual summed in float64. */
export function projectScalar(operands: ProjectionOperands, dimensionStride: number, topic: SparseRows, lexical: SparseRows): ProjectedRows {
  const { components, width, sketch, sketchedBasis, rank } = withSketchedBasis(operands);
  const rows = topic.rows;
  const coordinates = (x: SparseRows): Float32Array => {
    const out = new Float32Array(x.rows * width);
    const dense = sparseTimesDense(x, components, rank);
    for (let i = 0; i < x.rows; i++) out.set(dense.subarray(i * rank, (i + 1) * rank), i * width);
    return out;
  };
  const topicOut = coordinates(topic);
  const residual = new Float32Array(rows * dimensionStride);
  if (sketch && sketchedBasis) {
    const d = sketch.dimension;
    const inSubspace = coordinates(lexical);
    const row = new Float64Array(d);
    for (let i = 0; i < rows; i++) {
      row.fill(0);
      sketchRow(sketch, lexical, i, row);
      for (let k = 0; k < rank; k++) {
        const z = inSubspace[i * width + k];
        if (z === 0) continue;
        for (let j = 0, o = k * d; j < d; j++) row[j] -= z * sketchedBasis[o + j];
      }
      residual.set(row, i * dimensionStride);
    }
  }
  return { rows, topic: topicOut, width, residual, dimensionStride };
}
