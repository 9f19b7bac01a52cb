/**
 * CPU picking for the scatter: a uniform grid over the layout, built once per data set
 * (counting sort, O(n)), queried for the nearest point within a radius or for candidates
 * in a rectangle. Works in world units.
 */
import type { Bounds } from './view-transform';
import { boundsOf } from './view-transform';

export class SpatialGrid {
  readonly bounds: Bounds;
  readonly cols: number;
  readonly rows: number;
  private readonly cellW: number;
  private readonly cellH: number;
  /** cellStart[c]..cellStart[c+1] indexes `items` for cell c. */
  private readonly cellStart: Uint32Array;
  private readonly items: Uint32Array;

  constructor(private readonly coords: Float32Array, targetPerCell = 8) {
    const n = coords.length >> 1;
    this.bounds = boundsOf(coords);
    const b = this.bounds;
    const w = Math.max(b.maxX - b.minX, 1e-9), hh = Math.max(b.maxY - b.minY, 1e-9);
    const cells = Math.max(1, Math.min(4_000_000, Math.ceil(n / targetPerCell)));
    const aspect = w / hh;
    this.cols = Math.max(1, Math.round(Math.sqrt(cells * aspect)));
    this.rows = Math.max(1, Math.round(cells / this.cols));
    this.cellW = w / this.cols;
    this.cellH = hh / this.rows;
    const cellOf = new Uint32Array(n);
    const counts = new Uint32Array(this.cols * this.rows + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cellIndex(coords[2 * i], coords[2 * i + 1]);
      cellOf[i] = c;
      counts[c + 1]++;
    }
    for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
    this.cellStart = counts.slice();
    const fill = counts.slice();
    this.items = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.items[fill[cellOf[i]]++] = i;
  }

  private clampCol(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.bounds.minX) / this.cellW)));
  }
  private clampRow(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.bounds.minY) / this.cellH)));
  }
  private cellIndex(x: number, y: number): number {
    return this.clampRow(y) * this.cols + this.clampCol(x);
  }

  /** Calls `visit(i)` for every point in cells overlapping the rectangle (a superset of the points inside). */
  forCandidates(minX: number, minY: number, maxX: number, maxY: number, visit: (i: number) => void): void {
    if (maxX < this.bounds.minX || minX > this.bounds.maxX || maxY < this.bounds.minY || minY > this.bounds.maxY) return;
    const c0 = this.clampCol(minX), c1 = this.clampCol(maxX), r0 = this.clampRow(minY), r1 = this.clampRow(maxY);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.cols + c;
        for (let k = this.cellStart[cell]; k < this.cellStart[cell + 1]; k++) visit(this.items[k]);
      }
    }
  }

  /**
   * The point nearest to (x, y) within `radius` (world units) that passes `accept`, or -1.
   * Ties go to the lower index.
   */
  nearest(x: number, y: number, radius: number, accept?: (i: number) => boolean): number {
    let best = -1, bestD = radius * radius;
    this.forCandidates(x - radius, y - radius, x + radius, y + radius, (i) => {
      const dx = this.coords[2 * i] - x, dy = this.coords[2 * i + 1] - y;
      const d = dx * dx + dy * dy;
      if ((d < bestD || (d === bestD && best >= 0 && i < best) || (d === bestD && best < 0)) && (!accept || accept(i))) {
        best = i;
        bestD = d;
      }
    });
    return best;
  }
}
