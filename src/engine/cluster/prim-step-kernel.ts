/**
 * One step of Prim's algorithm on the mutual reachability graph, for HDBSCAN's spanning tree at up to
 * PRIM_MAX_POINTS points (hdbscan.ts). Two forms that give the same bits:
 *  - `primStepGeneric`, the plain loops over the coordinates, for any dimension (and the tests' oracle);
 *  - a kernel generated as source text for one dimension, with the current point's coordinates in
 *    named locals and the distance's sum unrolled in the same order (((0 + d0²) + d1²) + …). With the
 *    generic inner loop over `d`, a step cost about 18 ns a pair at 5-d in V8; unrolled, about 8 ns
 *    (the distance alone went from 18 to 4 ns a pair in a micro-benchmark).
 *
 * A step: `current` joins the tree and leaves the list of outside points (kept in index order, so
 * that ties resolve as a full scan in index order, as scikit-learn's, resolves them); each outside
 * point's best reachability to the tree is updated through `current`; the outside point with the
 * lowest one becomes edge `e`. A point whose core distance, or the current point's, already reaches
 * its best reachability needs no distance: its reachability through `current` cannot be lower.
 */

/** The points outside the tree and their best reachability to it so far. */
export interface PrimState {
  /** n × d coordinates, row-major. */
  data: Float32Array;
  d: number;
  /** Core distance of each point. */
  core: Float64Array;
  /** The points not yet in the tree, in index order (the first `outsideCount`). */
  outside: Int32Array;
  outsideCount: number;
  /** Each point's lowest mutual reachability to the tree so far, and the tree point it is to. */
  minReach: Float64Array;
  source: Int32Array;
}

/** The spanning tree's edges (a, b, weight). */
export interface PrimEdges {
  a: Int32Array;
  b: Int32Array;
  w: Float64Array;
}

/** Adds `current` to the tree, writes edge `e` and returns the point it reaches (the next `current`). */
export type PrimStep = (st: PrimState, current: number, edges: PrimEdges, e: number) => number;

/** Above this many dimensions the generic step runs (HDBSCAN's layouts have a few). */
export const MAX_PRIM_KERNEL_DIM = 32;

/**
 * The step's body, with the distance from `current` to outside point `j` written by `distance`
 * (a statement that sets `s`, given `jo = j * d`).
 */
function stepBody(prelude: string, distance: string): string {
  return `const data = st.data, d = st.d, core = st.core, outside = st.outside, minReach = st.minReach, source = st.source;
  const cc = core[current];
  const co = current * d;
  ${prelude}
  let best = Number.MAX_VALUE;
  let bestNode = 0;
  let kept = 0;
  const count = st.outsideCount;
  for (let r = 0; r < count; r++) {
    const j = outside[r];
    if (j === current) continue;
    outside[kept++] = j;
    const cj = core[j];
    const floor = cc > cj ? cc : cj;
    let reach = minReach[j];
    if (floor < reach) {
      const jo = j * d;
      ${distance}
      const dist = Math.sqrt(s);
      const mr = floor > dist ? floor : dist;
      if (mr < reach) {
        minReach[j] = mr;
        source[j] = current;
        reach = mr;
      }
    }
    if (reach < best) {
      best = reach;
      bestNode = j;
    }
  }
  st.outsideCount = kept;
  edges.a[e] = source[bestNode];
  edges.b[e] = bestNode;
  edges.w[e] = best;
  return bestNode;`;
}

const GENERIC_DISTANCE = `let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[co + t] - data[jo + t];
        s += diff * diff;
      }`;

/** The generic step (any dimension), compiled from the same body as the generated kernels. */
export const primStepGeneric: PrimStep = (0, eval)(`(function primStepGeneric(st, current, edges, e) {
  "use strict";
  ${stepBody('', GENERIC_DISTANCE)}
})`) as PrimStep;

/** The kernel's source (a parenthesised function expression) for points of `dim` coordinates. */
export function primStepSource(dim: number): string {
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_PRIM_KERNEL_DIM) {
    throw new Error(`HDBSCAN: the Prim kernel's dimension must be an integer in 1..${MAX_PRIM_KERNEL_DIM}, got ${dim}`);
  }
  const cols = Array.from({ length: dim }, (_, t) => t);
  const prelude = `if (d !== ${dim}) throw new Error("HDBSCAN: a ${dim}-d Prim kernel called for " + d + " dimensions");
  ${cols.map((t) => `const a${t} = data[co + ${t}];`).join('\n  ')}`;
  const distance = `${cols.map((t) => `const q${t} = a${t} - data[jo + ${t}];`).join('\n      ')}
      const s = ${cols.map((t) => `q${t} * q${t}`).join(' + ')};`;
  return `(function primStep${dim}(st, current, edges, e) {
  "use strict";
  ${stepBody(prelude, distance)}
})`;
}

const compiled = new Map<number, PrimStep>();

/** The step for points of `dim` coordinates: a generated kernel up to MAX_PRIM_KERNEL_DIM, else the generic one. */
export function primStep(dim: number): PrimStep {
  if (dim > MAX_PRIM_KERNEL_DIM) return primStepGeneric;
  let kernel = compiled.get(dim);
  if (!kernel) {
    // Indirect eval of our own generated text (no outside data in it): a global-scope function.
    kernel = (0, eval)(primStepSource(dim)) as PrimStep;
    compiled.set(dim, kernel);
  }
  return kernel;
}
