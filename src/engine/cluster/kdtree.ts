/**
 * The stack of a depth-first search of a KdTree: node ids, each with a lower bound on what the node
 * can hold (a node is pushed at most once per search, so `nodeCount` entries always suffice).
 */
export class NodeStack {
  readonly nodes: Int32Array;
  readonly bounds: Float64Array;
  top = 0;
  /** The bound of the node `pop` returned last. */
  poppedBound = 0;

  constructor(nodeCount: number) {
    this.nodes = new Int32Array(nodeCount + 1);
    this.bounds = new Float64Array(nodeCount + 1);
  }

  push(node: number, bound: number): void {
    this.nodes[this.top] = node;
    this.bounds[this.top++] = bound;
  }

  pop(): number {
    this.top--;
    this.poppedBound = this.bounds[this.top];
    return this.nodes[this.top];
  }

  /** Pushes a node's two children, so that the left one pops first when `leftFirst`, else the right one. */
  pushChildren(l: number, lBound: number, r: number, rBound: number, leftFirst: boolean): void {
    if (leftFirst) {
      this.push(r, rBound);
      this.push(l, lBound);
    } else {
      this.push(l, lBound);
      this.push(r, rBound);
    }
  }
}

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
   * The squared distance from point i to its k-th nearest other point (k = `best.length`), found
   * nearest box first with an explicit stack; `best` is scratch (left holding the k smallest squared
   * distances, ascending). The distances are dist2's, so the result does not depend on the order of
   * the search.
   */
  kthNeighbourDist2(i: number, best: Float64Array): number {
    const k = best.length;
    best.fill(Infinity);
    const { d, data, perm, left, right, start, end } = this;
    const stack = (this.stack ??= new NodeStack(this.nodeCount));
    const o = i * d;
    stack.push(0, this.boxDist2(0, data, o));
    while (stack.top > 0) {
      const node = stack.pop();
      if (stack.poppedBound >= best[k - 1]) continue;
      const l = left[node];
      if (l < 0) {
        for (let p = start[node], e = end[node]; p < e; p++) {
          const j = perm[p];
          if (j === i) continue;
          let s = 0;
          for (let t = 0, b = j * d; t < d; t++) {
            const diff = data[o + t] - data[b + t];
            s += diff * diff;
          }
          if (s < best[k - 1]) {
            let q = k - 1;
            while (q > 0 && best[q - 1] > s) {
              best[q] = best[q - 1];
              q--;
            }
            best[q] = s;
          }
        }
        continue;
      }
      const r = right[node];
      const dl = this.boxDist2(l, data, o);
      const dr = this.boxDist2(r, data, o);
      stack.pushChildren(l, dl, r, dr, dl <= dr);
    }
    return best[k - 1];
  }

  /** Scratch of kthNeighbourDist2's search. */
  private stack: NodeStack | undefined;
}
