/**
 * Sparse × dense products for the randomized SVD with WebAssembly SIMD (f32x4): out = X · D for a
 * CSR matrix X and a dense row-major D whose width is a multiple of 4. Each non-zero adds
 * value × (a row of D) to the output row, four floats per instruction, in float32 like the scalar
 * kernel of sparse.ts (the sums run in the same order, so the results are the same up to the
 * fused rounding of the multiply-add, i.e. a few units in the 7th digit).
 *
 * The workspace keeps X and Xᵀ in one module memory with the dense operands, so a power iteration
 * copies nothing. Where WebAssembly SIMD is missing, `createSparseProducts` falls back to sparse.ts.
 */
import { availableParallelism } from 'node:os';
import { KernelWorker } from '../../util/kernel-worker';
import { splitByEdges } from '../../util/row-ranges';
import { compileOnce, createSharedMemory, instantiate, instantiateShared, sharedMemoryFunctionModule, sleb, singleFunctionModule, type SharedWasmMemory, type WasmMemory } from '../../util/wasm-module';
import { sparseTimesDense, type SparseRows } from './sparse';

/**
 * spmm(indptr, indices, values, d, out, rowStart, rowEnd, stride), byte offsets in memory:
 *   for i in [rowStart, rowEnd): for p in [indptr[i], indptr[i+1]):
 *     out[i·stride + u] += values[p] · d[indices[p]·stride + u], u < stride, 16 bytes at a time.
 * `out` must be zeroed first; stride is a positive multiple of 16 bytes.
 */
export function spmmKernelBody(): number[] {
  const GET = 0x20;
  const SET = 0x21;
  const TEE = 0x22;
  const [INDPTR, INDICES, VALUES, D, OUT, START, END, STRIDE, I, P, PEND, O, C, U, V] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const i32 = (v: number) => [0x41, ...sleb(v)];
  const add = 0x6a;
  const mul = 0x6c;
  const shl = 0x74;
  const geU = 0x4f;
  const ltU = 0x49;
  const geS = 0x4e;
  const ltS = 0x48;
  const i32Load = (offset: number) => [0x28, 0x02, offset];
  const f32Load = [0x2a, 0x02, 0x00];
  const v128Load = [0xfd, 0x00, 0x04, 0x00];
  const v128Store = [0xfd, 0x0b, 0x04, 0x00];
  const splat = [0xfd, 0x13];
  const f32x4Mul = [0xfd, 0xe6, 0x01];
  const f32x4Add = [0xfd, 0xe4, 0x01];
  const brIf = (depth: number) => [0x0d, depth];
  const body = [
    0x02, 0x06, 0x7f, 0x01, 0x7b, // locals: 6 × i32 (i, p, pend, o, c, u), 1 × v128 (v)
    0x02, 0x40, // block
    GET, START, GET, END, geU, ...brIf(0),
    GET, START, SET, I,
    0x03, 0x40, // loop over rows
    GET, OUT, GET, I, GET, STRIDE, mul, add, SET, O, // o = out + i·stride
    GET, INDPTR, GET, I, ...i32(2), shl, add, TEE, C, ...i32Load(0), SET, P, // p = indptr[i]
    GET, C, ...i32Load(4), SET, PEND, // pend = indptr[i + 1]
    0x02, 0x40, // block (row done)
    GET, P, GET, PEND, geS, ...brIf(0),
    0x03, 0x40, // loop over the row's non-zeros
    GET, VALUES, GET, P, ...i32(2), shl, add, ...f32Load, ...splat, SET, V, // v = splat(values[p])
    GET, D, GET, INDICES, GET, P, ...i32(2), shl, add, ...i32Load(0), GET, STRIDE, mul, add, SET, C, // c = d + indices[p]·stride
    ...i32(0), SET, U,
    0x03, 0x40, // loop over the row's floats, 4 at a time
    GET, O, GET, U, add, // address of the store
    GET, O, GET, U, add, ...v128Load,
    GET, V, GET, C, GET, U, add, ...v128Load, ...f32x4Mul, ...f32x4Add,
    ...v128Store,
    GET, U, ...i32(16), add, TEE, U, GET, STRIDE, ltU, ...brIf(0), // u += 16; while u < stride
    0x0b, // end loop u
    GET, P, ...i32(1), add, TEE, P, GET, PEND, ltS, ...brIf(0), // p++; while p < pend
    0x0b, // end loop p
    0x0b, // end block (row done)
    GET, I, ...i32(1), add, TEE, I, GET, END, ltU, ...brIf(0), // i++; while i < rowEnd
    0x0b, // end loop rows
    0x0b, // end block
    0x0b, // end function
  ];
  return body;
}

const spmmModule = compileOnce(() => singleFunctionModule('spmm', 8, spmmKernelBody()));
/** The same kernel on an imported shared memory, for several threads (null where threads or SIMD are missing). */
const sharedSpmmModule = compileOnce(() => sharedMemoryFunctionModule('spmm', 8, spmmKernelBody()));

/** Whether the SIMD kernel compiles here. */
export function simdSpmmAvailable(): boolean {
  return spmmModule() !== null;
}

/**
 * The products of a randomized SVD of X (n × m): two dense operands, `left` (n × width) and
 * `right` (m × width), and the two products between them. `width` must be a multiple of 4.
 */
export interface SparseProducts {
  readonly width: number;
  /** n × width, row-major. */
  readonly left: Float32Array;
  /** m × width, row-major. */
  readonly right: Float32Array;
  /** out (n × width) = X · right; `out` defaults to `left`. */
  timesRight(out?: Float32Array): Float32Array;
  /** right = Xᵀ · left. */
  transposeTimesLeft(): void;
}

type Spmm = (indptr: number, indices: number, values: number, d: number, out: number, start: number, end: number, stride: number) => void;

/** X, Xᵀ and the dense operands laid out in one memory; the byte offsets of each. */
interface ProductLayout {
  left: Float32Array;
  right: Float32Array;
  scratch: Float32Array;
  x: { ip: number; ii: number; iv: number };
  xt: { ip: number; ii: number; iv: number };
  leftAt: number;
  rightAt: number;
  scratchAt: number;
}

function productBytes(x: SparseRows, width: number): number {
  const nnz = x.indptr[x.rows];
  const csrBytes = (rows: number) => 4 * (rows + 1) + 8 * nnz;
  return csrBytes(x.rows) + csrBytes(x.cols) + 4 * width * (2 * x.rows + x.cols);
}

function layOut(memory: WasmMemory | SharedWasmMemory, x: SparseRows, xt: SparseRows, width: number): ProductLayout {
  const n = x.rows;
  const m = x.cols;
  const nnz = x.indptr[n];
  let offset = 0;
  const place = <T extends Int32Array | Float32Array>(make: (buffer: ArrayBufferLike, at: number, length: number) => T, length: number): [T, number] => {
    const at = offset;
    offset += 4 * length;
    return [make(memory.buffer, at, length), at];
  };
  const i32 = (b: ArrayBufferLike, at: number, len: number) => new Int32Array(b, at, len);
  const f32 = (b: ArrayBufferLike, at: number, len: number) => new Float32Array(b, at, len);
  const csr = (s: SparseRows) => {
    const [indptr, ip] = place(i32, s.rows + 1);
    const [indices, ii] = place(i32, nnz);
    const [values, iv] = place(f32, nnz);
    indptr.set(s.indptr);
    indices.set(s.indices.subarray(0, nnz));
    values.set(s.values.subarray(0, nnz));
    return { ip, ii, iv };
  };
  const xm = csr(x);
  const xtm = csr(xt);
  const [left, leftAt] = place(f32, n * width);
  const [right, rightAt] = place(f32, m * width);
  const [scratch, scratchAt] = place(f32, n * width);
  return { left, right, scratch, x: xm, xt: xtm, leftAt, rightAt, scratchAt };
}

/** The products over X and Xᵀ; the scalar kernel of sparse.ts when `simd` is false or `width` is not a multiple of 4. */
export function createSparseProducts(x: SparseRows, xt: SparseRows, width: number, simd = true): SparseProducts {
  const module = simd && width % 4 === 0 ? spmmModule() : null;
  const n = x.rows;
  const m = x.cols;
  const bytes = productBytes(x, width);
  if (!module || bytes > 2 ** 31) return scalarProducts(x, xt, width);
  const { exports, memory } = instantiate(module, bytes);
  const spmm = exports.spmm as Spmm;
  const { left, right, scratch, x: xm, xt: xtm, leftAt, rightAt, scratchAt } = layOut(memory, x, xt, width);
  const stride = 4 * width;
  return {
    width,
    left,
    right,
    timesRight(out = left) {
      if (out === left) {
        left.fill(0);
        spmm(xm.ip, xm.ii, xm.iv, rightAt, leftAt, 0, n, stride);
        return left;
      }
      if (out.length !== n * width) throw new Error('sparse products: the output must be n × width');
      scratch.fill(0);
      spmm(xm.ip, xm.ii, xm.iv, rightAt, scratchAt, 0, n, stride);
      out.set(scratch);
      return out;
    },
    transposeTimesLeft() {
      right.fill(0);
      // Xᵀ · left into `right`: the operand is `left`, the output `right`.
      spmm(xtm.ip, xtm.ii, xtm.iv, leftAt, rightAt, 0, m, stride);
    },
  };
}

/** SparseProducts whose products may run on several threads; `close` ends the workers. */
export interface ThreadedSparseProducts {
  readonly width: number;
  readonly left: Float32Array;
  readonly right: Float32Array;
  /** How many threads the products run on (1 when the shared-memory kernel is unavailable). */
  readonly threads: number;
  timesRight(out?: Float32Array): Promise<Float32Array>;
  transposeTimesLeft(): Promise<void>;
  close(): Promise<void>;
}

/** Below this many non-zeros one thread is faster than starting a worker. */
const THREADS_FROM_NONZEROS = 200_000;

/** The default thread count of the SVD's products: the machine's cores up to 2 for a large matrix, else 1. */
export function defaultProductThreads(x: SparseRows): number {
  return x.indptr[x.rows] < THREADS_FROM_NONZEROS ? 1 : Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * The products of createSparseProducts on `threads` threads: X, Xᵀ and the operands in one shared
 * WebAssembly memory, the output rows split into contiguous ranges of about equal non-zeros, the
 * main thread taking the first. Each output row is summed by the same kernel in the same order
 * whatever the split, so the results are bit-identical for any thread count.
 */
export function createThreadedSparseProducts(x: SparseRows, xt: SparseRows, width: number, threads: number): ThreadedSparseProducts {
  const module = threads > 1 && width % 4 === 0 ? sharedSpmmModule() : null;
  const bytes = productBytes(x, width);
  // Past 2 GiB (or without shared memories) the products run on one thread.
  const memory = module ? createSharedMemory(bytes) : null;
  if (!module || !memory) {
    const p = createSparseProducts(x, xt, width);
    return {
      width,
      left: p.left,
      right: p.right,
      threads: 1,
      timesRight: async (out) => p.timesRight(out),
      transposeTimesLeft: async () => p.transposeTimesLeft(),
      close: async () => undefined,
    };
  }
  const spmm = instantiateShared(module, memory).spmm as Spmm;
  const layout = layOut(memory, x, xt, width);
  const { left, right, scratch, leftAt, rightAt, scratchAt } = layout;
  const rowRanges = splitByEdges(x.indptr, threads);
  const colRanges = splitByEdges(xt.indptr, threads);
  const workers = rowRanges.slice(1).map(() => new KernelWorker(module, memory, 'spmm'));
  const stride = 4 * width;
  const run = async (csr: { ip: number; ii: number; iv: number }, d: number, out: number, ranges: { from: number; to: number }[]): Promise<void> => {
    const others = workers.map((w, t) => w.run([csr.ip, csr.ii, csr.iv, d, out, ranges[t + 1].from, ranges[t + 1].to, stride]));
    try {
      spmm(csr.ip, csr.ii, csr.iv, d, out, ranges[0].from, ranges[0].to, stride);
    } finally {
      await Promise.all(others);
    }
  };
  return {
    width,
    left,
    right,
    threads,
    async timesRight(out = left) {
      if (out !== left && out.length !== x.rows * width) throw new Error('sparse products: the output must be n × width');
      const target = out === left ? left : scratch;
      target.fill(0);
      await run(layout.x, rightAt, out === left ? leftAt : scratchAt, rowRanges);
      if (out === left) return left;
      out.set(scratch);
      return out;
    },
    async transposeTimesLeft() {
      right.fill(0);
      await run(layout.xt, leftAt, rightAt, colRanges);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

function scalarProducts(x: SparseRows, xt: SparseRows, width: number): SparseProducts {
  const left = new Float32Array(x.rows * width);
  const right = new Float32Array(x.cols * width);
  return {
    width,
    left,
    right,
    timesRight(out = left) {
      return sparseTimesDense(x, right, width, out);
    },
    transposeTimesLeft() {
      sparseTimesDense(xt, left, width, right);
    },
  };
}

/** Products X · D for a fixed dense D (features × width, row-major) and any number of X. */
export interface FixedRightProduct {
  readonly width: number;
  /** rows(X) × width, row-major; into `out` when given. */
  multiply(x: SparseRows, out?: Float32Array): Float32Array;
}

/**
 * X · D with D kept in the module's memory between calls (the projection of TF-IDF rows on the
 * LSA components, batch after batch). A width that is not a multiple of 4 takes the scalar kernel.
 */
export function createFixedRightProduct(d: Float32Array, features: number, width: number, simd = true): FixedRightProduct {
  if (d.length < features * width) throw new Error('sparse products: D is smaller than features × width');
  const module = simd && width % 4 === 0 ? spmmModule() : null;
  const dBytes = 4 * features * width;
  if (!module || dBytes > 2 ** 30) {
    return { width, multiply: (x, out) => sparseTimesDense(x, d, width, out) };
  }
  const { exports, memory } = instantiate(module, dBytes);
  const spmm = exports.spmm as (indptr: number, indices: number, values: number, d: number, out: number, start: number, end: number, stride: number) => void;
  new Float32Array(memory.buffer, 0, features * width).set(d.subarray(0, features * width));
  return {
    width,
    multiply(x, out) {
      const nnz = x.indptr[x.rows];
      const ip = dBytes;
      const ii = ip + 4 * (x.rows + 1);
      const iv = ii + 4 * nnz;
      const io = iv + 4 * nnz;
      const end = io + 4 * x.rows * width;
      if (end > 2 ** 31) return sparseTimesDense(x, d, width, out);
      const have = memory.buffer.byteLength;
      if (end > have) memory.grow(Math.ceil((end - have) / 65536));
      const buffer = memory.buffer;
      new Int32Array(buffer, ip, x.rows + 1).set(x.indptr.subarray(0, x.rows + 1));
      new Int32Array(buffer, ii, nnz).set(x.indices.subarray(0, nnz));
      new Float32Array(buffer, iv, nnz).set(x.values.subarray(0, nnz));
      const result = new Float32Array(buffer, io, x.rows * width);
      result.fill(0);
      spmm(ip, ii, iv, 0, io, 0, x.rows, 4 * width);
      const target = out ?? new Float32Array(x.rows * width);
      target.set(result);
      return target;
    },
  };
}

/** A dense row-major matrix as CSR (every entry stored), so dense products can use the SIMD kernel. */
export function denseAsSparse(a: Float32Array, rows: number, cols: number): SparseRows {
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    indptr[i + 1] = (i + 1) * cols;
    for (let j = 0; j < cols; j++) indices[i * cols + j] = j;
  }
  return { rows, cols, indptr, indices, values: a.subarray(0, rows * cols) };
}
