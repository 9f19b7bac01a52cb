/**
 * The sketch of the LSA basis (sketch.ts sketchBasis) with WebAssembly SIMD: for each column of the
 * basis and each of its hashes, its row (float32, promoted to float64) times the hash's weight is
 * added to its bucket's row, two float64 at a time. Promoting a float32 and multiplying it by a
 * float32 weight is exact in float64, and each sum gets its terms in the same order as the plain
 * loop (columns ascending, then hashes), with no fused multiply-add: the same bits.
 */
import { compileOnce, instantiate, multiFunctionModule } from '../../util/wasm-module';
import { forRange, functionBody, op } from '../../util/wasm-ops';

/**
 * sketch(basis, basisStride, rowBytes, columns, count, buckets, weights, hashes, out), byte offsets in memory:
 *   for r < count: c = columns[r]; for j < hashes: e = c·hashes + j;
 *     out[buckets[e] + 2u] (f64) += f64(basis[c·basisStride + u] (f32)) · weights[e] (f64), u < rowBytes.
 * buckets[e] is the byte offset of the bucket's row in `out`; rowBytes a positive multiple of 8 (the
 * rank rounded up to even: past an odd rank a row's last pair reads the next row's first float,
 * whose sums land in `out`'s padding column).
 */
function sketchBody(): number[] {
  const [BASIS, STRIDE, ROW, COLUMNS, COUNT, BUCKETS, WEIGHTS, HASHES, OUT] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [R, C, B, J, E, O, U] = [9, 10, 11, 12, 13, 14, 15];
  const W = 16;
  return functionBody(7, 1, [
    forRange(R, op.i32(0), op.get(COUNT), 1, [
      op.get(COLUMNS), op.get(R), op.i32(2), op.shl, op.add, op.i32Load(), op.set(C),
      op.get(BASIS), op.get(C), op.get(STRIDE), op.mul, op.add, op.set(B),
      forRange(J, op.i32(0), op.get(HASHES), 1, [
        op.get(C), op.get(HASHES), op.mul, op.get(J), op.add, op.set(E),
        op.get(OUT), op.get(BUCKETS), op.get(E), op.i32(2), op.shl, op.add, op.i32Load(), op.add, op.set(O),
        op.get(WEIGHTS), op.get(E), op.i32(3), op.shl, op.add, op.load64Splat(), op.set(W),
        forRange(U, op.i32(0), op.get(ROW), 8, [
          op.get(O), op.get(U), op.i32(1), op.shl, op.add,
          op.get(O), op.get(U), op.i32(1), op.shl, op.add, op.v128Load(),
          op.get(B), op.get(U), op.add, op.load64Zero(), op.f64x2PromoteLow, op.get(W), op.f64x2Mul, op.f64x2Add,
          op.v128Store(),
        ]),
      ]),
    ]),
  ]);
}

const sketchModule = compileOnce(() => multiFunctionModule([{ params: 9, body: sketchBody(), name: 'sketch' }], false));

type SketchKernel = (basis: number, basisStride: number, rowBytes: number, columns: number, count: number, buckets: number, weights: number, hashes: number, out: number) => void;

/**
 * Sᵀ applied to the basis (columns × rank, row-major) as a dimension × rank float64 matrix (a row
 * of `stride` ≥ rank floats per bucket, a view of the module's memory); the columns whose basis row
 * is zero are left out (their ±0 terms change no sum). null where WebAssembly SIMD is missing or
 * the operands do not fit in 2 GiB.
 */
export function simdSketchByBucket(buckets: Int32Array, weights: Float32Array, hashes: number, dimension: number, basis: Float32Array, rank: number): { sums: Float64Array; stride: number } | null {
  const module = sketchModule();
  const columns = buckets.length / hashes;
  const rank2 = rank + (rank % 2);
  const outBytes = 8 * dimension * rank2;
  const basisBytes = Math.ceil((4 * columns * rank + 8) / 8) * 8;
  const bytes = outBytes + basisBytes + 4 * columns + 12 * columns * hashes + 8;
  if (!module || bytes > 2 ** 31) return null;
  const { exports, memory } = instantiate(module, bytes);
  const buffer = memory.buffer;
  // out, the basis (one float of slack after it), the used columns, the buckets (as byte offsets of out's rows), the weights.
  const basisAt = outBytes;
  new Float32Array(buffer, basisAt, columns * rank).set(basis.subarray(0, columns * rank));
  const columnsAt = basisAt + basisBytes;
  const used = new Int32Array(buffer, columnsAt, columns);
  let count = 0;
  for (let c = 0; c < columns; c++) {
    let zero = true;
    for (let k = c * rank, end = k + rank; k < end && zero; k++) zero = basis[k] === 0;
    if (!zero) used[count++] = c;
  }
  const bucketsAt = columnsAt + 4 * columns;
  const weightsAt = Math.ceil((bucketsAt + 4 * columns * hashes) / 8) * 8;
  const offsets = new Int32Array(buffer, bucketsAt, columns * hashes);
  const w64 = new Float64Array(buffer, weightsAt, columns * hashes);
  for (let e = 0; e < columns * hashes; e++) {
    offsets[e] = buckets[e] * rank2 * 8;
    w64[e] = weights[e];
  }
  (exports.sketch as SketchKernel)(basisAt, 4 * rank, 4 * rank2, columnsAt, count, bucketsAt, weightsAt, hashes, 0);
  return { sums: new Float64Array(buffer, 0, dimension * rank2), stride: rank2 };
}
