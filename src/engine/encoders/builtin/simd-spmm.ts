/**
 * Sparse × dense products for the randomized SVD with WebAssembly SIMD (f32x4): out = X · D for a
 * CSR matrix X and a dense row-major D whose width is a multiple of 4. Each non-zero adds
 * value × (a row of D) to the output row, four floats per instruction, in float32 like the scalar
 * kernel of sparse.ts (the sums run in the same order, so the results are the same up to the
 * fused rounding of the multiply-add, i.e. a few units in the 7th digit).
 *
 * The workspace keeps Xᵀ (on several threads: its parts by ranges of X's rows) in one module memory
 * with the dense operands, so a power iteration copies nothing. Where WebAssembly SIMD is missing, `createSparseProducts` falls back to sparse.ts.
 */
import { availableParallelism } from 'node:os';
import { KernelWorker } from '../../util/kernel-worker';
import { splitByEdges } from '../../util/row-ranges';
import { compileOnce, createSharedMemory, instantiate, instantiateShared, multiFunctionModule, singleFunctionModule, type SharedWasmMemory, type WasmMemory } from '../../util/wasm-module';
import { forRange, functionBody, op } from '../../util/wasm-ops';
import { transposeRowRanges, type CsrArrays } from './row-range-transpose';
import { dropEmptyColumns, sparseTimesDense, transposeSparse, type SparseRows } from './sparse';

/**
 * spmm(indptr, indices, values, d, out, rowStart, rowEnd, stride), byte offsets in memory:
 *   for i in [rowStart, rowEnd): for p in [indptr[i], indptr[i+1]):
 *     out[i·stride + u] += values[p] · d[indices[p]·stride + u], u < stride.
 * stride is a positive multiple of 16 bytes. Each output row is done 16 floats at a time, held in
 * four f32x4 registers over the pass down the row's non-zeros (then the last floats 4 at a time):
 * per entry the same multiply then add in the same order as storing the row after every non-zero,
 * so the same bits, with a third of the instructions (no load and store of the row per non-zero).
 */
export function spmmKernelBody(): number[] {
  const [IP, II, IV, D, OUT, START, END, STRIDE] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [I, O, P, PB, PEND, J, BLOCKED, DA] = [8, 9, 10, 11, 12, 13, 14, 15];
  const [A0, A1, A2, A3, X] = [16, 17, 18, 19, 20];
  const pass = (accs: number[]): number[][] => [
    ...accs.map((a, u) => [...op.get(O), ...op.get(J), ...op.add, ...op.v128Load(16 * u), ...op.set(a)]),
    forRange(P, op.get(PB), op.get(PEND), 1, [
      op.get(IV), op.get(P), op.i32(2), op.shl, op.add, op.load32Splat(), op.set(X),
      op.get(D), op.get(II), op.get(P), op.i32(2), op.shl, op.add, op.i32Load(), op.get(STRIDE), op.mul, op.add, op.get(J), op.add, op.set(DA),
      ...accs.map((a, u) => [...op.get(a), ...op.get(X), ...op.get(DA), ...op.v128Load(16 * u), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(a)]),
    ]),
    ...accs.map((a, u) => [...op.get(O), ...op.get(J), ...op.add, ...op.get(a), ...op.v128Store(16 * u)]),
  ];
  return functionBody(8, 5, [
    op.get(STRIDE), op.i32(-64), op.and, op.set(BLOCKED),
    forRange(I, op.get(START), op.get(END), 1, [
      op.get(OUT), op.get(I), op.get(STRIDE), op.mul, op.add, op.set(O),
      op.get(IP), op.get(I), op.i32(2), op.shl, op.add, op.tee(PB), op.i32Load(4), op.set(PEND),
      op.get(PB), op.i32Load(0), op.set(PB),
      forRange(J, op.i32(0), op.get(BLOCKED), 64, pass([A0, A1, A2, A3])),
      forRange(J, op.get(BLOCKED), op.get(STRIDE), 16, pass([A0])),
    ]),
  ]);
}

/**
 * spmmScatter(indptr, indices, values, d, out, colStart, colEnd, stride): X·D through the rows of Xᵀ
 * (given as CSR):
 *   for c in [colStart, colEnd): for q in [indptr[c], indptr[c+1]):
 *     out[indices[q]·stride + u] += values[q] · d[c·stride + u], 16 bytes at a time.
 * D is read once, in order, and the output rows (the smaller operand) are the ones gathered: each
 * output row gets its terms in ascending c, the order of its row of X, so the same bits as spmm.
 */
export function spmmScatterBody(): number[] {
  const [IP, II, IV, D, OUT, START, END, STRIDE] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [C, DR, Q, QEND, O, U] = [8, 9, 10, 11, 12, 13];
  const X = 14;
  return functionBody(6, 1, [
    forRange(C, op.get(START), op.get(END), 1, [
      op.get(D), op.get(C), op.get(STRIDE), op.mul, op.add, op.set(DR),
      op.get(IP), op.get(C), op.i32(2), op.shl, op.add, op.tee(Q), op.i32Load(4), op.set(QEND),
      forRange(Q, [...op.get(Q), ...op.i32Load(0)], op.get(QEND), 1, [
        op.get(IV), op.get(Q), op.i32(2), op.shl, op.add, op.load32Splat(), op.set(X),
        op.get(OUT), op.get(II), op.get(Q), op.i32(2), op.shl, op.add, op.i32Load(), op.get(STRIDE), op.mul, op.add, op.set(O),
        forRange(U, op.i32(0), op.get(STRIDE), 16, [
          op.get(O), op.get(U), op.add,
          op.get(O), op.get(U), op.add, op.v128Load(),
          op.get(X), op.get(DR), op.get(U), op.add, op.v128Load(), op.f32x4Mul, op.f32x4Add,
          op.v128Store(),
        ]),
      ]),
    ]),
  ]);
}

const spmmModule = compileOnce(() => singleFunctionModule('spmm', 8, spmmKernelBody()));
/**
 * The SVD's products: one exported function, products(scatter, …spmm's arguments), running
 * spmmScatter when `scatter` is 1 (X·right through Xᵀ's rows), else spmm (Xᵀ·left).
 */
function productsModule(shared: boolean): Uint8Array {
  const args = [1, 2, 3, 4, 5, 6, 7, 8].map((a) => op.get(a));
  const dispatch = functionBody(0, 0, [op.get(0), op.if, ...args, op.call(1), op.else, ...args, op.call(0), op.end]);
  return multiFunctionModule(
    [
      { params: 8, body: spmmKernelBody() },
      { params: 8, body: spmmScatterBody() },
      { params: 9, body: dispatch, name: 'products' },
    ],
    shared,
  );
}
const privateProductsModule = compileOnce(() => productsModule(false));
/** The same on an imported shared memory, for several threads (null where threads or SIMD are missing). */
const sharedProductsModule = compileOnce(() => productsModule(true));

/** Whether the SIMD kernel compiles here. */
export function simdSpmmAvailable(): boolean {
  return spmmModule() !== null;
}

/**
 * The products of a randomized SVD of X (n × m): two dense operands, `left` (n × width) and
 * `right` (m × width), and the two products between them. `width` must be a multiple of 4.
 * With `usedColumnsOnly` the products are those of X without its empty columns (the same products,
 * an empty column adding nothing and getting a zero row): `right` has a row per used column.
 */
export interface SparseProducts {
  readonly width: number;
  /** n × width, row-major. */
  readonly left: Float32Array;
  /** m × width, row-major (a row per `columns` entry when set). */
  readonly right: Float32Array;
  /** The columns of X that `right`'s rows stand for, ascending; null: all of them. */
  readonly columns: Int32Array | null;
  /** out (n × width) = X · right; `out` defaults to `left`. */
  timesRight(out?: Float32Array): Float32Array;
  /** right = Xᵀ · left. */
  transposeTimesLeft(): void;
}

type Products = (scatter: number, indptr: number, indices: number, values: number, d: number, out: number, start: number, end: number, stride: number) => void;

interface CsrAt {
  ip: number;
  ii: number;
  iv: number;
}

/** The parts of Xᵀ by ranges of X's rows and the dense operands laid out in one memory; the byte offsets of each. */
interface ProductLayout {
  left: Float32Array;
  right: Float32Array;
  scratch: Float32Array;
  /** Xᵀ restricted to each range of X's rows (Xᵀ itself for one range), and the indptr of each. */
  parts: CsrAt[];
  partIndptrs: Int32Array[];
  leftAt: number;
  rightAt: number;
  scratchAt: number;
  /** The columns of X that `right`'s rows stand for (null: all), and how many rows `right` has. */
  columns: Int32Array | null;
  m: number;
}

function productBytes(x: SparseRows, width: number, threads: number): number {
  const nnz = x.indptr[x.rows];
  return 4 * (x.cols + 1) * threads + 8 * nnz + 4 * width * (2 * x.rows + x.cols);
}

/**
 * The parts of Xᵀ by ranges of X's rows and the dense operands, laid out in one memory: the parts
 * are written straight into it (row-range-transpose.ts), `right` has a row per row of Xᵀ.
 */
function layOut(memory: WasmMemory | SharedWasmMemory, x: SparseRows, width: number, rowRanges: { from: number; to: number }[], usedColumnsOnly: boolean): ProductLayout {
  const n = x.rows;
  let offset = 0;
  const place = <T extends Int32Array | Float32Array>(make: (buffer: ArrayBufferLike, at: number, length: number) => T, length: number): [T, number] => {
    const at = offset;
    offset += 4 * length;
    return [make(memory.buffer, at, length), at];
  };
  const i32 = (b: ArrayBufferLike, at: number, len: number) => new Int32Array(b, at, len);
  const f32 = (b: ArrayBufferLike, at: number, len: number) => new Float32Array(b, at, len);
  const placed: CsrAt[] = [];
  const allocate = (rows: number, nnz: number): CsrArrays => {
    const [indptr, ip] = place(i32, rows + 1);
    const [indices, ii] = place(i32, nnz);
    const [values, iv] = place(f32, nnz);
    placed.push({ ip, ii, iv });
    return { indptr, indices, values };
  };
  const { parts, columns } = transposeRowRanges(x, rowRanges, usedColumnsOnly, allocate);
  const m = parts[0].rows;
  const [left, leftAt] = place(f32, n * width);
  const [right, rightAt] = place(f32, m * width);
  const [scratch, scratchAt] = place(f32, n * width);
  return { left, right, scratch, parts: placed, partIndptrs: parts.map((p) => p.indptr), leftAt, rightAt, scratchAt, columns, m };
}

/**
 * The products over X and Xᵀ; the scalar kernel of sparse.ts when `simd` is false or `width` is not
 * a multiple of 4. Both run through Xᵀ's rows: Xᵀ·left gathers rows of `left` into each row of
 * `right`; X·right reads `right` once, in order, and adds into the rows of the output (spmmScatter).
 */
export function createSparseProducts(x: SparseRows, width: number, options: ProductOptions = {}): SparseProducts {
  const module = options.simd !== false && width % 4 === 0 ? privateProductsModule() : null;
  const n = x.rows;
  const bytes = productBytes(x, width, 1);
  if (!module || bytes > 2 ** 31) return scalarProducts(x, width, options.usedColumnsOnly === true);
  const { exports, memory } = instantiate(module, bytes);
  const products = exports.products as Products;
  const { left, right, scratch, parts, leftAt, rightAt, scratchAt, columns, m } = layOut(memory, x, width, [{ from: 0, to: n }], options.usedColumnsOnly === true);
  const xtm = parts[0];
  const stride = 4 * width;
  return {
    width,
    left,
    right,
    columns,
    timesRight(out = left) {
      if (out === left) {
        left.fill(0);
        products(1, xtm.ip, xtm.ii, xtm.iv, rightAt, leftAt, 0, m, stride);
        return left;
      }
      if (out.length !== n * width) throw new Error('sparse products: the output must be n × width');
      scratch.fill(0);
      products(1, xtm.ip, xtm.ii, xtm.iv, rightAt, scratchAt, 0, m, stride);
      out.set(scratch);
      return out;
    },
    transposeTimesLeft() {
      right.fill(0);
      // Xᵀ · left into `right`: the operand is `left`, the output `right`.
      products(0, xtm.ip, xtm.ii, xtm.iv, leftAt, rightAt, 0, m, stride);
    },
  };
}

export interface ProductOptions {
  /** false: the scalar kernel of sparse.ts. */
  simd?: boolean;
  /** The products of X without its empty columns (see SparseProducts). */
  usedColumnsOnly?: boolean;
}

/** SparseProducts whose products may run on several threads; `close` ends the workers. */
export interface ThreadedSparseProducts {
  readonly width: number;
  readonly left: Float32Array;
  readonly right: Float32Array;
  readonly columns: Int32Array | null;
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
 * The products of createSparseProducts on `threads` threads: the parts of Xᵀ and the operands in one
 * shared WebAssembly memory, the output rows split into contiguous ranges of about equal non-zeros,
 * the main thread taking the first. Each output row is summed by the same kernel in the same order
 * whatever the split, so the results are bit-identical for any thread count.
 */
export function createThreadedSparseProducts(x: SparseRows, width: number, threads: number, options: Pick<ProductOptions, 'usedColumnsOnly'> = {}): ThreadedSparseProducts {
  const module = threads > 1 && width % 4 === 0 ? sharedProductsModule() : null;
  const bytes = productBytes(x, width, threads);
  // Past 2 GiB (or without shared memories) the products run on one thread.
  const memory = module ? createSharedMemory(bytes) : null;
  if (!module || !memory) {
    const p = createSparseProducts(x, width, options);
    return {
      width,
      left: p.left,
      right: p.right,
      columns: p.columns,
      threads: 1,
      timesRight: async (out) => p.timesRight(out),
      transposeTimesLeft: async () => p.transposeTimesLeft(),
      close: async () => undefined,
    };
  }
  const products = instantiateShared(module, memory).products as Products;
  // X·right: thread t adds into the output rows of its range, through its part of Xᵀ (all of X's
  // columns, in order); Xᵀ·left: part after part, thread t adds into the rows of `right` of its
  // range of columns (split by that part's entries). Row c of Xᵀ is row c of every part in turn,
  // and the kernel sums a row after what is stored in it as it would have gone on (float32 kept
  // exactly), so the same bits as through Xᵀ, without building it.
  const rowRanges = splitByEdges(x.indptr, threads);
  const layout = layOut(memory, x, width, rowRanges, options.usedColumnsOnly === true);
  const colRanges = layout.partIndptrs.map((indptr) => splitByEdges(indptr, threads));
  const { left, right, scratch, leftAt, rightAt, scratchAt, columns, m } = layout;
  const workers = rowRanges.slice(1).map(() => new KernelWorker(module, memory, 'products'));
  const stride = 4 * width;
  const run = async (calls: number[][]): Promise<void> => {
    const others = workers.map((w, t) => w.run(calls[t + 1]));
    try {
      products(...(calls[0] as Parameters<Products>));
    } finally {
      await Promise.all(others);
    }
  };
  return {
    width,
    left,
    right,
    columns,
    threads,
    async timesRight(out = left) {
      if (out !== left && out.length !== x.rows * width) throw new Error('sparse products: the output must be n × width');
      const target = out === left ? left : scratch;
      const targetAt = out === left ? leftAt : scratchAt;
      target.fill(0);
      await run(layout.parts.map((p) => [1, p.ip, p.ii, p.iv, rightAt, targetAt, 0, m, stride]));
      if (out === left) return left;
      out.set(scratch);
      return out;
    },
    async transposeTimesLeft() {
      right.fill(0);
      for (const [k, t] of layout.parts.entries()) await run(colRanges[k].map((r) => [0, t.ip, t.ii, t.iv, leftAt, rightAt, r.from, r.to, stride]));
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

function scalarProducts(whole: SparseRows, width: number, usedColumnsOnly: boolean): SparseProducts {
  const used = usedColumnsOnly ? dropEmptyColumns(whole) : null;
  const x = used && used.x.cols < whole.cols ? used.x : whole;
  const xt = transposeSparse(x);
  const left = new Float32Array(x.rows * width);
  const right = new Float32Array(x.cols * width);
  return {
    width,
    left,
    right,
    columns: x === whole ? null : (used?.columns ?? null),
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
