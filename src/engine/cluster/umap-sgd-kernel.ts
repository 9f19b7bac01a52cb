/**
 * The SGD epoch kernel of umap-sgd.ts, generated as source text for one layout dimension with every
 * per-coordinate loop unrolled into named locals (o0…, v0…). V8 keeps those in registers; the generic
 * form, with loops over `dim` and the moving point in a small Float64Array, ran 2.7× slower at 5-d and
 * 1.6× slower at 2-d on 100k points (bench/profile-map.ts), and made a 5-d epoch cost three 2-d ones.
 * The arithmetic is the same, operation for operation, so the layout is the same bit for bit as the
 * generic loops gave (test/unit/cluster/umap-sgd-kernel.test.ts keeps that generic form as its oracle).
 *
 * The source is self-contained (no closures, no imports): the main thread compiles it once per
 * dimension and umap-optimize.ts's worker threads compile the same text.
 */

/**
 * One epoch for the points [from, to): attraction along their sampled edges and repulsion from their
 * negative samples, reading the other points from `snapshot`. `params` is [epoch, alpha, a, b, gamma].
 */
export type SgdEpochKernel = (
  current: Float32Array,
  snapshot: Float32Array,
  dim: number,
  n: number,
  rowStart: Int32Array,
  tail: Int32Array,
  eps: Float64Array,
  nextSample: Float64Array,
  epsNegative: Float64Array,
  nextNegative: Float64Array,
  rng: Int32Array,
  tables: Float64Array,
  from: number,
  to: number,
  params: Float64Array,
) => void;

/** Above this many dimensions the generated source would grow past any use (UMAP layouts have a few). */
export const MAX_KERNEL_DIM = 64;

/** `dim` copies of `line(d)`, joined by `sep`. */
function each(dim: number, line: (d: number) => string, sep = '\n'): string {
  return Array.from({ length: dim }, (_, d) => line(d)).join(sep);
}

/**
 * The kernel's source (a parenthesised function expression) for layouts of `dim` columns. The
 * coefficient tables are gradientTables' (umap-sgd.ts): their offsets are written in as literals.
 */
export function sgdKernelSource(dim: number): string {
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_KERNEL_DIM) throw new Error(`UMAP: the layout dimension must be an integer in 1..${MAX_KERNEL_DIM}, got ${dim}`);
  const clip = (g: string) => `${g} = ${g} > 4 ? 4 : ${g} < -4 ? -4 : ${g};`;
  return `(function sgdEpoch${dim}(current, snapshot, dim, n, rowStart, tail, eps, nextSample, epsNegative, nextNegative, rng, tables, from, to, params) {
  "use strict";
  if (dim !== ${dim}) throw new Error("UMAP: a ${dim}-d kernel called for " + dim + " dimensions");
  const epoch = params[0];
  const alpha = params[1];
  const a = params[2];
  const b = params[3];
  const gamma = params[4];
  const toIndex = n / 4294967296; // a uint32 draw times this, truncated: a point in [0, n)
  const base = 107 << 8; // TABLE_BASE
  const size = 40 << 8; // TABLE_SIZE
  const repel = size + 1;
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let j = from; j < to; j++) {
    const end = rowStart[j + 1];
    let e = rowStart[j];
    while (e < end && nextSample[e] > epoch) e++;
    if (e === end) continue;
    const cj = j * ${dim};
    ${each(dim, (d) => `let o${d} = current[cj + ${d}];`)}
    let s = rng[j];
    for (; e < end; e++) {
      if (nextSample[e] > epoch) continue;
      const ck = tail[e] * ${dim};
      ${each(dim, (d) => `const v${d} = o${d} - snapshot[ck + ${d}];`)}
      const d2 = ${each(dim, (d) => `v${d} * v${d}`, ' + ')};
      if (d2 > 0) {
        f32[0] = d2;
        const bits = u32[0];
        const t = (bits >>> 15) - base;
        let coeff;
        if (t >= 0 && t < size) coeff = tables[t] + (bits & 0x7fff) * (1 / 32768) * (tables[t + 1] - tables[t]);
        else {
          const pb = Math.exp(b * Math.log(d2));
          coeff = (-2 * a * b * pb) / d2 / (a * pb + 1);
        }
        ${each(dim, (d) => `{ let g = coeff * v${d}; ${clip('g')} o${d} += 2 * g * alpha; }`)}
      }
      nextSample[e] += eps[e];
      const negatives = Math.floor((epoch - nextNegative[e]) / epsNegative[e]);
      for (let p = 0; p < negatives; p++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const k = ((s >>> 0) * toIndex) | 0;
        if (k === j) continue;
        const c1 = k * ${dim};
        ${each(dim, (d) => `const w${d} = o${d} - snapshot[c1 + ${d}];`)}
        const q2 = ${each(dim, (d) => `w${d} * w${d}`, ' + ')};
        if (!(q2 > 0)) continue;
        f32[0] = q2;
        const bits = u32[0];
        const t = (bits >>> 15) - base;
        const coeff =
          t >= 0 && t < size
            ? tables[repel + t] + (bits & 0x7fff) * (1 / 32768) * (tables[repel + t + 1] - tables[repel + t])
            : (2 * gamma * b) / ((0.001 + q2) * (a * Math.exp(b * Math.log(q2)) + 1));
        ${each(dim, (d) => `{ let g = coeff * w${d}; ${clip('g')} o${d} += g * alpha; }`)}
      }
      nextNegative[e] += negatives * epsNegative[e];
    }
    rng[j] = s;
    ${each(dim, (d) => `current[cj + ${d}] = o${d};`)}
  }
})`;
}

const compiled = new Map<number, SgdEpochKernel>();

/** The kernel for `dim` columns, compiled once per process. */
export function sgdKernel(dim: number): SgdEpochKernel {
  let kernel = compiled.get(dim);
  if (!kernel) {
    // Indirect eval of our own generated text (no outside data in it): a global-scope function.
    kernel = (0, eval)(sgdKernelSource(dim)) as SgdEpochKernel;
    compiled.set(dim, kernel);
  }
  return kernel;
}
