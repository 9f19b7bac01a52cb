/** Small dense linear algebra for the randomized SVD (row-major arrays). */
import { simdDenseProduct } from './gemm-kernel';
import { simdGram } from './gram-kernel';
import { createFixedRightProduct, denseAsSparse } from './simd-spmm';

/**
 * G (l × l, float64) = Aᵀ · B for A, B of n × l. The columns are copied to float64 column-major
 * (zero-padded to a multiple of 4) and G is computed in 4 × 4 tiles, 16 sums held in registers
 * over a pass down 8 contiguous columns: 6× faster than adding each row's outer product into G
 * (which loads and stores G for every multiply-add). When A is B only the upper tiles are
 * computed and mirrored. Each entry is summed in float64 in row order. Where l is a multiple of 4,
 * through the SIMD kernel of gram-kernel.ts (the same sums, the same bits).
 */
export function gram(a: Float32Array, b: Float32Array, n: number, l: number): Float64Array {
  return simdGram(a, b, n, l) ?? scalarGram(a, b, n, l);
}

/** gram in plain JavaScript (any l; the reference of gram-kernel.ts). */
export function scalarGram(a: Float32Array, b: Float32Array, n: number, l: number): Float64Array {
  const l4 = Math.ceil(l / 4) * 4;
  const columns = (m: Float32Array): Float64Array => {
    const t = new Float64Array(l4 * n);
    for (let i = 0; i < n; i++) for (let p = 0, o = i * l; p < l; p++) t[p * n + i] = m[o + p];
    return t;
  };
  const symmetric = a === b;
  const at = columns(a);
  const bt = symmetric ? at : columns(b);
  const g = new Float64Array(l * l);
  for (let p0 = 0; p0 < l4; p0 += 4) {
    const a0 = p0 * n;
    const a1 = a0 + n;
    const a2 = a1 + n;
    const a3 = a2 + n;
    for (let q0 = symmetric ? p0 : 0; q0 < l4; q0 += 4) {
      const b0 = q0 * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let i = 0; i < n; i++) {
        const x0 = at[a0 + i];
        const x1 = at[a1 + i];
        const x2 = at[a2 + i];
        const x3 = at[a3 + i];
        const y0 = bt[b0 + i];
        const y1 = bt[b1 + i];
        const y2 = bt[b2 + i];
        const y3 = bt[b3 + i];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
      }
      const tile = [s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33];
      for (let u = 0; u < 4 && p0 + u < l; u++)
        for (let v = 0; v < 4 && q0 + v < l; v++) {
          const s = tile[u * 4 + v];
          g[(p0 + u) * l + q0 + v] = s;
          if (symmetric) g[(q0 + v) * l + p0 + u] = s;
        }
    }
  }
  return g;
}

/** Upper Cholesky factor R (Rᵀ R = G) of a symmetric positive matrix, with a small ridge when needed. */
function cholesky(g: Float64Array, l: number): Float64Array {
  let trace = 0;
  for (let i = 0; i < l; i++) trace += g[i * l + i];
  let ridge = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    const r = new Float64Array(l * l);
    let ok = true;
    for (let j = 0; j < l && ok; j++) {
      let s = g[j * l + j] + ridge;
      for (let k = 0; k < j; k++) s -= r[k * l + j] * r[k * l + j];
      if (!(s > 0)) {
        ok = false;
        break;
      }
      const d = Math.sqrt(s);
      r[j * l + j] = d;
      for (let i = j + 1; i < l; i++) {
        let t = g[j * l + i];
        for (let k = 0; k < j; k++) t -= r[k * l + j] * r[k * l + i];
        r[j * l + i] = t / d;
      }
    }
    if (ok) return r;
    ridge = ridge === 0 ? Math.max(trace / l, 1e-30) * 1e-10 : ridge * 100;
  }
  throw new Error('orthonormalisation failed: the matrix has no usable columns');
}

/** The inverse of an upper triangular l × l matrix (back substitution, float64). */
export function invertUpper(r: Float64Array, l: number): Float64Array {
  const inv = new Float64Array(l * l);
  for (let j = 0; j < l; j++) {
    inv[j * l + j] = 1 / r[j * l + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * l + k] * inv[k * l + j];
      inv[i * l + j] = -s / r[i * l + i];
    }
  }
  return inv;
}

/**
 * Orthonormalises the columns of Y (n × l, l a multiple of 4) in place: Cholesky QR, twice, for
 * accuracy. The Gram matrix sums in float64; Y ← Y R⁻¹ runs through the SIMD dense product (gemm-kernel.ts).
 */
export function orthonormalize(y: Float32Array, n: number, l: number): void {
  if (l % 4 !== 0) return orthonormalizeScalar(y, n, l);
  for (let pass = 0; pass < 2; pass++) {
    const inv = Float32Array.from(invertUpper(cholesky(gram(y, y, n, l), l), l));
    if (!simdDenseProduct(y, n, l, inv, l, y)) createFixedRightProduct(inv, l, l).multiply(denseAsSparse(y, n, l), y);
  }
}

/** Orthonormalise without the SIMD kernel (any l): forward substitution row by row. */
export function orthonormalizeScalar(y: Float32Array, n: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const r = cholesky(gram(y, y, n, l), l);
    // Y ← Y R⁻¹, row by row (forward substitution on each row).
    const rowv = new Float64Array(l);
    for (let i = 0; i < n; i++) {
      const o = i * l;
      for (let j = 0; j < l; j++) {
        let s = y[o + j];
        for (let k = 0; k < j; k++) s -= rowv[k] * r[k * l + j];
        rowv[j] = s / r[j * l + j];
      }
      for (let j = 0; j < l; j++) y[o + j] = rowv[j];
    }
  }
}

/**
 * Eigen-decomposition of a symmetric l × l matrix by cyclic Jacobi rotations. Returns the
 * eigenvalues in decreasing order and the eigenvectors as columns of `vectors` (l × l).
 * The rotations' product is kept transposed (vt: a row per eigenvector), so that its update reads
 * and writes two contiguous rows instead of two strided columns: the same operations on the same
 * numbers (AG News, l = 88: a quarter less time).
 */
export function symmetricEigen(input: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const vt = new Float64Array(l * l);
  for (let i = 0; i < l; i++) vt[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < l; p++) {
      diag += a[p * l + p] * a[p * l + p];
      for (let q = p + 1; q < l; q++) off += a[p * l + q] * a[p * l + q];
    }
    if (off <= 1e-26 * diag || off === 0) break;
    for (let p = 0; p < l - 1; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * l + p];
        const aqq = a[q * l + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0, op = p * l, oq = q * l; k < l; k++) {
          const vkp = vt[op + k];
          const vkq = vt[oq + k];
          vt[op + k] = c * vkp - s * vkq;
          vt[oq + k] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: l }, (_, i) => i).sort((i, j) => a[j * l + j] - a[i * l + i]);
  const values = new Float64Array(l);
  const vectors = new Float64Array(l * l);
  order.forEach((src, dst) => {
    values[dst] = a[src * l + src];
    // Fix the sign: the largest-magnitude component is positive (deterministic output).
    let big = 0;
    for (let k = 0; k < l; k++) if (Math.abs(vt[src * l + k]) > Math.abs(big)) big = vt[src * l + k];
    const sgn = big < 0 ? -1 : 1;
    for (let k = 0; k < l; k++) vectors[k * l + dst] = sgn * vt[src * l + k];
  });
  return { values, vectors };
}
