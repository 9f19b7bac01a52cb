/**
 * Gathered dot products with WebAssembly SIMD (f32x4), about 3× the speed of the scalar kernels of
 * dots.ts, for NN-descent where such products are nearly all the work. The rows live in the module's
 * memory, padded to a multiple of 16 floats (zeros change no product); products are summed in float32
 * over 16 lanes, so they differ from the float64 sums of dots.ts by a few units in the 7th digit.
 * Where WebAssembly SIMD is missing, `createRowDots` falls back to dots.ts.
 */
import { gatherDots } from './dots';
import { compileOnce, createSharedMemory, instantiate, instantiateShared, sharedMemoryFunctionModule, singleFunctionModule, type SharedWasmMemory, type WasmModule } from '../util/wasm-module';

/** Dot products of one vector with rows picked by id, over a fixed set of rows. */
export interface RowDots {
  /** out[t] = row a · row ids[t], t < count. */
  rows(a: number, ids: Int32Array, count: number, out: Float64Array): void;
  /** out[t] = v · row ids[t], t < count (v has the rows' width). */
  vector(v: Float32Array, ids: Int32Array, count: number, out: Float64Array): void;
}

/**
 * The kernel, hand-assembled (no toolchain needed). One function
 * dots(a, ids, count, stride, out, base), all byte offsets in memory:
 *   for t < count: row = base + ids[t]·stride; out[t] = Σ_u a[u]·row[u] (f32x4, four accumulators)
 * `stride` is a multiple of 64 bytes and at least 64.
 */
function kernelBody(): number[] {
  const LOCAL_GET = 0x20;
  const LOCAL_SET = 0x21;
  const LOCAL_TEE = 0x22;
  const [A, IDS, COUNT, STRIDE, OUT, BASE, T, ROW, U, ACC0, ACC1, ACC2, ACC3] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const v128Load = (offset: number) => [0xfd, 0x00, 0x00, offset];
  const f32x4Mul = [0xfd, 0xe6, 0x01];
  const f32x4Add = [0xfd, 0xe4, 0x01];
  const lane = (l: number) => [0xfd, 0x1f, l];
  const accumulate = (acc: number, offset: number) => [
    LOCAL_GET, acc,
    LOCAL_GET, A, LOCAL_GET, U, 0x6a, ...v128Load(offset),
    LOCAL_GET, ROW, LOCAL_GET, U, 0x6a, ...v128Load(offset),
    ...f32x4Mul, ...f32x4Add, LOCAL_SET, acc,
  ];
  const body = [
    0x02, 0x03, 0x7f, 0x04, 0x7b, // locals: 3 × i32 (t, row, u), 4 × v128 (acc0..acc3)
    0x02, 0x40, // block
    LOCAL_GET, COUNT, 0x45, 0x0d, 0x00, // if count == 0: break
    0x03, 0x40, // loop over t
    LOCAL_GET, BASE, LOCAL_GET, IDS, LOCAL_GET, T, 0x41, 0x02, 0x74, 0x6a, 0x28, 0x02, 0x00, // ids[t]
    LOCAL_GET, STRIDE, 0x6c, 0x6a, LOCAL_SET, ROW, // row = base + ids[t]·stride
    0xfd, 0x0c, ...new Array<number>(16).fill(0), LOCAL_TEE, ACC0, LOCAL_TEE, ACC1, LOCAL_TEE, ACC2, LOCAL_SET, ACC3, // acc0..acc3 = 0
    0x41, 0x00, LOCAL_SET, U, // u = 0
    0x03, 0x40, // loop over u
    ...accumulate(ACC0, 0),
    ...accumulate(ACC1, 16),
    ...accumulate(ACC2, 32),
    ...accumulate(ACC3, 48),
    LOCAL_GET, U, 0x41, 0xc0, 0x00, 0x6a, LOCAL_TEE, U, LOCAL_GET, STRIDE, 0x49, 0x0d, 0x00, // u += 64; while u < stride
    0x0b, // end loop u
    LOCAL_GET, OUT, LOCAL_GET, T, 0x41, 0x02, 0x74, 0x6a, // &out[t]
    LOCAL_GET, ACC0, LOCAL_GET, ACC1, ...f32x4Add, LOCAL_GET, ACC2, LOCAL_GET, ACC3, ...f32x4Add, ...f32x4Add, LOCAL_TEE, ACC0, ...lane(0),
    LOCAL_GET, ACC0, ...lane(1), 0x92,
    LOCAL_GET, ACC0, ...lane(2), 0x92,
    LOCAL_GET, ACC0, ...lane(3), 0x92,
    0x38, 0x02, 0x00, // f32.store
    LOCAL_GET, T, 0x41, 0x01, 0x6a, LOCAL_TEE, T, LOCAL_GET, COUNT, 0x49, 0x0d, 0x00, // t++; while t < count
    0x0b, // end loop t
    0x0b, // end block
    0x0b, // end function
  ];
  return body;
}

const simdModule = compileOnce(() => singleFunctionModule('dots', 6, kernelBody()));
/** The same kernel on an imported shared memory, for worker threads. */
const sharedSimdModule = compileOnce(() => sharedMemoryFunctionModule('dots', 6, kernelBody()));

/** The kernel on an imported shared memory (`dots`, 6 i32 parameters), for code that lays out its own rows; null where WebAssembly SIMD is missing. */
export function sharedDotsModule(): WasmModule | null {
  return sharedSimdModule();
}

/** Whether the SIMD kernel compiles here. */
export function simdAvailable(): boolean {
  return simdModule() !== null;
}

/**
 * Dot products over the n rows (width d) of `data`. `maxCount` bounds the ids per call.
 * `simd: false` forces the scalar kernels.
 */
export function createRowDots(data: Float32Array, n: number, d: number, maxCount: number, simd = true): RowDots {
  const module = simd ? simdModule() : null;
  const width = Math.ceil(d / 16) * 16;
  const bytes = 4 * (n + 1) * width + 8 * maxCount;
  if (!module || bytes > 2 ** 31) return scalarRowDots(data, d);
  const stride = 4 * width;
  const vecOff = n * stride;
  const idsOff = vecOff + stride;
  const outOff = idsOff + 4 * maxCount;
  const { exports, memory } = instantiate(module, outOff + 4 * maxCount);
  const rows = new Float32Array(memory.buffer, 0, n * width);
  for (let i = 0; i < n; i++) rows.set(data.subarray(i * d, (i + 1) * d), i * width);
  return kernelRowDots(exports.dots as DotsKernel, memory.buffer, { vec: vecOff, ids: idsOff, out: outOff }, stride, maxCount);
}

type DotsKernel = (a: number, ids: number, count: number, stride: number, out: number, base: number) => void;

/** RowDots through the SIMD kernel: ids are written to the scratch's ids, products read from its out. */
function kernelRowDots(dots: DotsKernel, buffer: ArrayBufferLike, scratch: { vec: number; ids: number; out: number }, stride: number, maxCount: number): RowDots {
  const vec = new Float32Array(buffer, scratch.vec, stride / 4);
  const idsView = new Int32Array(buffer, scratch.ids, maxCount);
  const outView = new Float32Array(buffer, scratch.out, maxCount);
  const run = (a: number, ids: Int32Array, count: number, out: Float64Array) => {
    if (count > maxCount) throw new Error(`simd dots: ${count} ids, at most ${maxCount}`);
    idsView.set(ids.subarray(0, count));
    dots(a, scratch.ids, count, stride, scratch.out, 0);
    for (let t = 0; t < count; t++) out[t] = outView[t];
  };
  return {
    rows: (a, ids, count, out) => run(a * stride, ids, count, out),
    vector: (v, ids, count, out) => {
      vec.set(v);
      run(scratch.vec, ids, count, out);
    },
  };
}

function scalarRowDots(data: Float32Array, d: number): RowDots {
  return {
    rows: (a, ids, count, out) => gatherDots(data, a * d, data, ids, count, d, out),
    vector: (v, ids, count, out) => gatherDots(v, 0, data, ids, count, d, out),
  };
}

/**
 * The padded rows in one shared WebAssembly memory that several threads run the SIMD kernel on,
 * with a scratch region per thread (ids to gather, products out). Every thread instantiates
 * `module` on `memory` (workers receive both in their workerData) and calls
 * dots(a · stride, scratch[t].ids, count, stride, scratch[t].out, 0).
 */
export interface SharedRowDots {
  module: WasmModule;
  memory: SharedWasmMemory;
  /** Bytes per padded row. */
  stride: number;
  /** Most ids per call. */
  maxCount: number;
  /** Byte offsets of each thread's vector (one padded row), ids (Int32) and products (Float32). */
  scratch: { vec: number; ids: number; out: number }[];
}

/** The rows of `data` (n × d) in a shared memory with scratch for `threads` threads; null where WebAssembly SIMD or shared memories are missing. */
export function createSharedRowDots(data: Float32Array, n: number, d: number, maxCount: number, threads: number): SharedRowDots | null {
  const module = sharedSimdModule();
  if (!module) return null;
  const width = Math.ceil(d / 16) * 16;
  const stride = 4 * width;
  const scratchBytes = stride + 8 * maxCount;
  const memory = createSharedMemory(n * stride + threads * scratchBytes);
  if (!memory) return null;
  const rows = new Float32Array(memory.buffer, 0, n * width);
  for (let i = 0; i < n; i++) rows.set(data.subarray(i * d, (i + 1) * d), i * width);
  const scratch = Array.from({ length: threads }, (_, t) => {
    const vec = n * stride + t * scratchBytes;
    return { vec, ids: vec + stride, out: vec + stride + 4 * maxCount };
  });
  return { module, memory, stride, maxCount, scratch };
}

/** A RowDots on thread `thread`'s scratch of a shared kernel (the same products as createRowDots gives). */
export function sharedRowDotsOnThisThread(shared: SharedRowDots, thread: number): RowDots {
  const { stride, maxCount, memory } = shared;
  return kernelRowDots(instantiateShared(shared.module, memory).dots as DotsKernel, memory.buffer, shared.scratch[thread], stride, maxCount);
}
