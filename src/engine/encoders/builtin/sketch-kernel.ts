/**
 * The sketch of the LSA basis (sketch.ts sketchBasis) with WebAssembly SIMD: for each column of the
 * basis and each of its hashes, its row (float32, promoted to float64) times the hash's weight is
 * added to its bucket's row, two float64 at a time. Promoting a float32 and multiplying it by a
 * float32 weight is exact in float64, and each sum gets its terms in the same order as the plain
 * loop (columns ascending, then hashes), with no fused multiply-add: the same bits. A zero row
 * of the basis adds ±0 terms, which change no sum (a sum that starts at +0 is never -0).
 */
import { compileOnce, instantiate, multiFunctionModule } from '../../util/wasm-module';
import { forRange, functionBody, op } from '../../util/wasm-ops';

/**
 * sketchBasis(basis, basisStride, rowBytes, columns, buckets, weights, hashes, out), byte offsets in memory:
 *   for c < columns: for j < hashes: e = c·hashes + j;
 *     out[buckets[e]·2·rowBytes + 2u] (f64) += f64(basis[c·basisStride + u] (f32)) · f64(weights[e] (f32)), u < rowBytes.
 * buckets are i32 bucket numbers; rowBytes a positive multiple of 8 (the rank rounded up to even:
 * past an odd rank a row's last pair reads one float more, whose sums land in `out`'s padding column).
 * Also a function of the projection's module (projection-kernels.ts), on the components in its memory.
 */
export function sketchBasisBody(): number[] {
  const [BASIS, STRIDE, ROW, COLS, BUCKETS, WEIGHTS, HASHES, OUT] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [C, B, J, E, O, U] = [8, 9, 10, 11, 12, 13];
  const W = 14;
  return functionBody(6, 1, [
    forRange(C, op.i32(0), op.get(COLS), 1, [
      op.get(BASIS), op.get(C), op.get(STRIDE), op.mul, op.add, op.set(B),
      forRange(J, op.i32(0), op.get(HASHES), 1, [
        op.get(C), op.get(HASHES), op.mul, op.get(J), op.add, op.i32(2), op.shl, op.set(E),
        op.get(OUT), op.get(BUCKETS), op.get(E), op.add, op.i32Load(), op.get(ROW), op.i32(1), op.shl, op.mul, op.add, op.set(O),
        op.get(WEIGHTS), op.get(E), op.add, op.load32Splat(), op.f64x2PromoteLow, op.set(W),
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

const sketchModule = compileOnce(() => multiFunctionModule([{ params: 8, body: sketchBasisBody(), name: 'sketchBasis' }], false));

export type SketchBasisKernel = (basis: number, basisStride: number, rowBytes: number, columns: number, buckets: number, weights: number, hashes: number, out: number) => void;

/**
 * Sᵀ applied to the basis (columns × rank, row-major) as a dimension × rank float64 matrix (a row
 * of `stride` ≥ rank floats per bucket, a view of the module's memory). null where WebAssembly
 * SIMD is missing or the operands do not fit in 2 GiB.
 */
export function simdSketchByBucket(buckets: Int32Array, weights: Float32Array, hashes: number, dimension: number, basis: Float32Array, rank: number): { sums: Float64Array; stride: number } | null {
  const module = sketchModule();
  const columns = buckets.length / hashes;
  const rank2 = rank + (rank % 2);
  const outBytes = 8 * dimension * rank2;
  // out, the basis (one float of slack after it), the buckets, the weights.
  const basisAt = outBytes;
  const bucketsAt = basisAt + Math.ceil((4 * columns * rank + 4) / 16) * 16;
  const weightsAt = bucketsAt + 4 * columns * hashes;
  const bytes = weightsAt + 4 * columns * hashes;
  if (!module || bytes > 2 ** 31) return null;
  const { exports, memory } = instantiate(module, bytes);
  const buffer = memory.buffer;
  new Float32Array(buffer, basisAt, columns * rank).set(basis.subarray(0, columns * rank));
  new Int32Array(buffer, bucketsAt, columns * hashes).set(buckets.subarray(0, columns * hashes));
  new Float32Array(buffer, weightsAt, columns * hashes).set(weights.subarray(0, columns * hashes));
  (exports.sketchBasis as SketchBasisKernel)(basisAt, 4 * rank, 4 * rank2, columns, bucketsAt, weightsAt, hashes, 0);
  return { sums: new Float64Array(buffer, 0, dimension * rank2), stride: rank2 };
}
