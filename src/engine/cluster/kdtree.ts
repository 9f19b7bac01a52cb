/**
 * A k-d tree for low-dimensional Euclidean data (UMAP layouts): exact kNN and the
 * "nearest point in another component" query that Borůvka's MST needs.
 */
export class KdTree {
  /** Point ids, permuted so each node covers perm[start..end). */
  readonly perm: Int32Array;
  readonly start: number[] = [];
  readonly end: number[] = [];
  readonly left: number[] = [];
  readonly right: number[] = [];
  /** Bounding boxes: lo/hi per node × dim. */
  lo: Float64Array = new Float64Array(0);
  hi: Float64Array = new Float64Array(0);

  constructor(readonly data: Float32Array, readonly n: number, readonly d: number, readonly leafSize = 16) {
    this.perm = Int32Array.from({ length: n }, (_, i) => i);
    const boxes: number[][] = [];
    this.buildNode(0, n, boxes);
    this.lo = new Float64Array(boxes.length * d);
    this.hi = new Float64Array(boxes.length * d);
    boxes.forEach((b, node) => {
      for (let t = 0; t < d; t++) {
        this.lo[node * d + t] = b[t];
        this.hi[node * d + t] = b[d + t];
      }
    });
  }

  get nodeCount(): number {
    return this.start.length;
  }

  private buildNode(s: number, e: number, boxes: number[][]): number {
    const { d, data, perm } = this;
    const node = this.start.length;
    this.start.push(s);
    this.end.push(e);
    this.left.push(-1);
    this.right.push(-1);
    const box = new Array<number>(2 * d);
    for (let t = 0; t < d; t++) {
      box[t] = Infinity;
      box[d + t] = -Infinity;
    }
    for (let p = s; p < e; p++) {
      const o = perm[p] * d;
      for (let t = 0; t < d; t++) {
        const v = data[o + t];
        if (v < box[t]) box[t] = v;
        if (v > box[d + t]) box[d + t] = v;
      }
    }
    boxes.push(box);
    if (e - s <= this.leafSize) return node;
    let axis = 0;
    let spread = -1;
    for (let t = 0; t < d; t++) {
      if (box[d + t] - box[t] > spread) {
        spread = box[d + t] - box[t];
        axis = t;
      }
    }
    if (spread <= 0) return node;
    const mid = (s + e) >> 1;
    this.select(s, e - 1, mid, axis);
    this.left[node] = this.buildNode(s, mid, boxes);
    this.right[node] = this.buildNode(mid, e, boxes);
    return node;
  }

  /** Quickselect on perm[s..e] by coordinate `axis` so that position m holds the median. */
  private select(s: number, e: number, m: number, axis: number): void {
    const { perm, data, d } = this;
    while (e > s) {
      const pivot = data[perm[(s + e) >> 1] * d + axis];
      let i = s;
      let j = e;
      while (i <= j) {
        while (data[perm[i] * d + axis] < pivot) i++;
        while (data[perm[j] * d + axis] > pivot) j--;
        if (i <= j) {
          const t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
          i++;
          j--;
        }
      }
      if (m <= j) e = j;
      else if (m >= i) s = i;
      else return;
    }
  }

  /** Squared distance from point `o` (offset into data) to the box of `node`. */
  boxDist2(node: number, q: Float32Array, o: number): number {
    const { d, lo, hi } = this;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = q[o + t];
      const a = lo[node * d + t];
      const b = hi[node * d + t];
      const diff = v < a ? a - v : v > b ? v - b : 0;
      s += diff * diff;
    }
    return s;
  }

  dist2(i: number, j: number): number {
    const { d, data } = this;
    let s = 0;
    for (let t = 0, a = i * d, b = j * d; t < d; t++) {
      const diff = data[a + t] - data[b + t];
      s += diff * diff;
    }
    return s;
  }

  /**
   * The k nearest neighbours of point i (itself excluded), pushed into `push(dist2, id)`;
   * `worst()` returns the current k-th squared distance bound.
   */
  knnOf(i: number, push: (d2: number, id: number) => void, worst: () => number): void {
    const visit = (node: number): void => {
      if (this.boxDist2(node, this.data, i * this.d) >= worst()) return;
      const l = this.left[node];
      if (l < 0) {
        for (let p = this.start[node]; p < this.end[node]; p++) {
          const j = this.perm[p];
          if (j !== i) {
            const d2 = this.dist2(i, j);
            if (d2 < worst()) push(d2, j);
          }
        }
        return;
      }
      const r = this.right[node];
      const dl = this.boxDist2(l, this.data, i * this.d);
      const dr = this.boxDist2(r, this.data, i * this.d);
      if (dl <= dr) {
        visit(l);
        visit(r);
      } else {
        visit(r);
        visit(l);
      }
    };
    visit(0);
  }
}
