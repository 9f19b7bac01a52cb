/**
 * Dense products C = A·B (float32, row-major) with WebAssembly SIMD for the randomized SVD's dense
 * steps (Y R⁻¹ of the Cholesky QR, the components Z·coef): for each row of A, 16 columns of C held
 * in four f32x4 registers over one pass down B's rows, then the last columns four at a time. Each
 * entry is 0 plus A[i,k]·B[k,j] for k ascending, multiply then add, as the sparse kernel of
 * simd-spmm.ts sums a dense matrix given as CSR, so the result is the same bit for bit, without the
 * CSR copy and with C kept in registers instead of loaded and stored for every k.
 */
import { compileOnce, multiFunctionModule, reusableInstance } from '../../util/wasm-module';
import { forRange, functionBody, op } from '../../util/wasm-ops';

/** gemm(a, aStride, b, kBytes, c, nBytes, blockedBytes, rows): all byte counts; blockedBytes = nBytes rounded down to 64. */
function gemmBody(): number[] {
  const [A, ASTRIDE, B, KB, C, NB, BLOCKED, ROWS] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [I, AR, CR, J, K, S] = [8, 9, 10, 11, 12, 13];
  const [A0, A1, A2, A3, X] = [14, 15, 16, 17, 18];
  const acc = [A0, A1, A2, A3];
  const pass = (accs: number[]): number[][] => [
    ...accs.map((a) => [...op.v128Zero, ...op.set(a)]),
    op.get(B), op.get(J), op.add, op.set(S),
    forRange(K, op.i32(0), op.get(KB), 4, [
      op.get(AR), op.get(K), op.add, op.load32Splat(), op.set(X),
      ...accs.map((a, u) => [...op.get(a), ...op.get(X), ...op.get(S), ...op.v128Load(16 * u), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(a)]),
      op.get(S), op.get(NB), op.add, op.set(S),
    ]),
    ...accs.map((a, u) => [...op.get(CR), ...op.get(J), ...op.add, ...op.get(a), ...op.v128Store(16 * u)]),
  ];
  return functionBody(6, 5, [
    forRange(I, op.i32(0), op.get(ROWS), 1, [
      op.get(A), op.get(I), op.get(ASTRIDE), op.mul, op.add, op.set(AR),
      op.get(C), op.get(I), op.get(NB), op.mul, op.add, op.set(CR),
      forRange(J, op.i32(0), op.get(BLOCKED), 64, pass(acc)),
      forRange(J, op.get(BLOCKED), op.get(NB), 16, pass([A0])),
    ]),
  ]);
}

const gemmModule = compileOnce(() => multiFunctionModule([{ params: 8, body: gemmBody(), name: 'gemm' }], false));

type GemmKernel = (a: number, aStride: number, b: number, kBytes: number, c: number, nBytes: number, blockedBytes: number, rows: number) => void;
let workspace: ReturnType<typeof reusableInstance> | undefined;
/** Memory kept between calls. */
const KEEP_BYTES = 32 << 20;

/** Rows of A per kernel call: bounds the memory (A and C of a block) for a tall A. */
const BLOCK_ROWS = 8192;

/**
 * out (rows × n) = A (rows × k) · B (k × n), n a multiple of 4; into `out` when given (it may be A
 * itself when k = n). null where WebAssembly SIMD is missing or n is not a multiple of 4.
 */
export function simdDenseProduct(a: Float32Array, rows: number, k: number, b: Float32Array, n: number, out?: Float32Array): Float32Array | null {
  const module = gemmModule();
  if (!module || n % 4 !== 0 || k < 1) return null;
  const block = Math.min(rows, BLOCK_ROWS);
  const bBytes = 4 * k * n;
  const aAt = Math.ceil(bBytes / 64) * 64;
  const cAt = aAt + Math.ceil((4 * block * k) / 64) * 64;
  const bytes = cAt + 4 * block * n;
  if (bytes > 2 ** 31) return null;
  workspace ??= reusableInstance(module, KEEP_BYTES);
  const { exports, memory } = workspace(bytes);
  const gemm = exports.gemm as GemmKernel;
  const buffer = memory.buffer;
  new Float32Array(buffer, 0, k * n).set(b.subarray(0, k * n));
  const target = out ?? new Float32Array(rows * n);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const count = Math.min(block, rows - r0);
    new Float32Array(buffer, aAt, count * k).set(a.subarray(r0 * k, (r0 + count) * k));
    gemm(aAt, 4 * k, 0, 4 * k, cAt, 4 * n, Math.floor(n / 16) * 64, count);
    target.set(new Float32Array(buffer, cAt, count * n), r0 * n);
  }
  return target;
}
