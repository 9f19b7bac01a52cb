/**
 * The Gram matrix G = Aᵀ·B of dense.ts with WebAssembly SIMD (f64x2): the columns packed in float64
 * panels of 4 (row i of a panel is its 4 columns' entries, 32 contiguous bytes), and one 4 × 4 tile
 * of G per kernel call, its 16 sums held in 8 registers over one pass down the two panels. Each sum
 * is the same float64 products added in row order as in the JavaScript of dense.ts, so G is the same
 * bit for bit, in about half the time.
 */
import { compileOnce, multiFunctionModule, reusableInstance } from '../../util/wasm-module';
import { forRange, functionBody, op } from '../../util/wasm-ops';

/** tile(a, b, rowBytes, out): out[4u + v] = Σ_i a[i][u] · b[i][v] over panels of rowBytes / 32 rows. */
function tileBody(): number[] {
  const [A, B, END, OUT] = [0, 1, 2, 3];
  const I = 4;
  const [Y0, Y1, X] = [5, 6, 7];
  const acc = [8, 9, 10, 11, 12, 13, 14, 15]; // acc[2u + h]: row u, columns 2h, 2h + 1
  return functionBody(1, 11, [
    ...acc.map((a) => [...op.v128Zero, ...op.set(a)]),
    forRange(I, op.i32(0), op.get(END), 32, [
      op.get(B), op.get(I), op.add, op.v128Load(0), op.set(Y0),
      op.get(B), op.get(I), op.add, op.v128Load(16), op.set(Y1),
      ...[0, 1, 2, 3].map((u) => [
        ...op.get(A), ...op.get(I), ...op.add, ...op.load64Splat(8 * u), ...op.set(X),
        ...op.get(acc[2 * u]), ...op.get(X), ...op.get(Y0), ...op.f64x2Mul, ...op.f64x2Add, ...op.set(acc[2 * u]),
        ...op.get(acc[2 * u + 1]), ...op.get(X), ...op.get(Y1), ...op.f64x2Mul, ...op.f64x2Add, ...op.set(acc[2 * u + 1]),
      ]),
    ]),
    ...acc.map((a, k) => [...op.get(OUT), ...op.get(a), ...op.v128Store(16 * k)]),
  ]);
}

const gramModule = compileOnce(() => multiFunctionModule([{ params: 4, body: tileBody(), name: 'tile' }], false));

/** Memory kept between calls (AG News' 7600 × 88 panels take 5.4 MB). */
const KEEP_BYTES = 32 << 20;

type TileKernel = (a: number, b: number, rowBytes: number, out: number) => void;
let workspace: ReturnType<typeof reusableInstance> | undefined;

/**
 * G (l × l) = Aᵀ · B for A, B of n × l (row-major float32, l a multiple of 4); only the upper
 * tiles, mirrored, when A is B. null where WebAssembly SIMD is missing or the panels would not fit.
 */
export function simdGram(a: Float32Array, b: Float32Array, n: number, l: number): Float64Array | null {
  const module = gramModule();
  const panelBytes = 32 * n;
  const symmetric = a === b;
  const bytes = 128 + (symmetric ? 1 : 2) * (l / 4) * panelBytes;
  if (!module || l % 4 !== 0 || bytes > 2 ** 31) return null;
  workspace ??= reusableInstance(module, KEEP_BYTES);
  const { exports, memory } = workspace(bytes);
  const tile = exports.tile as TileKernel;
  const panels = l / 4;
  const pack = (m: Float32Array, at: number): void => {
    const t = new Float64Array(memory.buffer, at, panels * 4 * n);
    for (let i = 0; i < n; i++) for (let p = 0, o = i * l; p < l; p++) t[(p >> 2) * 4 * n + i * 4 + (p & 3)] = m[o + p];
  };
  const aAt = 128;
  const bAt = symmetric ? aAt : aAt + panels * panelBytes;
  pack(a, aAt);
  if (!symmetric) pack(b, bAt);
  const sums = new Float64Array(memory.buffer, 0, 16);
  const g = new Float64Array(l * l);
  for (let p = 0; p < panels; p++)
    for (let q = symmetric ? p : 0; q < panels; q++) {
      tile(aAt + p * panelBytes, bAt + q * panelBytes, panelBytes, 0);
      for (let u = 0; u < 4; u++)
        for (let v = 0; v < 4; v++) {
          const s = sums[u * 4 + v];
          g[(4 * p + u) * l + 4 * q + v] = s;
          if (symmetric) g[(4 * q + v) * l + 4 * p + u] = s;
        }
    }
  return g;
}
