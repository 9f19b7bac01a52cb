/**
 * A small scatter renderer: WebGL gl.POINTS with per-point colour and size (webgl-points.ts; with
 * many points, a pan moves a cached image of them), falling back to a 2D canvas without WebGL;
 * wheel zoom, drag pan, lasso and box selection, hover picking through a CPU spatial grid. Used by the map and (twice) by the run comparison.
 *
 * A hidden webview gives the canvas a 0×0 size: the scatter then keeps its size and view, and a
 * fit asked for meanwhile waits until the canvas has a real size again.
 */
import { SpatialGrid } from './spatial-grid';
import { selectInBox, selectInPolygon } from './selection';
import { boundsOf, fitView, panBy, toScreen, toWorld, zoomAt, type View } from './view-transform';
import type { PointRenderer } from './point-renderer';
import { WebGLPointRenderer } from './webgl-points';

export type InteractionMode = 'pan' | 'lasso' | 'box';

/** A wheel zoom is drawn in full once the wheel has rested this long (ms). */
const WHEEL_SETTLE_MS = 150;

/** A view that can be drawn: finite centre, positive finite scale. */
export function isValidView(v: View | undefined): v is View {
  return !!v && Number.isFinite(v.cx) && Number.isFinite(v.cy) && Number.isFinite(v.scale) && v.scale > 0;
}

export interface ScatterCallbacks {
  onHover?(index: number, clientX: number, clientY: number): void;
  onClick?(index: number): void;
  onSelect?(indices: Int32Array): void;
  onViewChange?(view: View): void;
  /** Draws on the overlay under the rings and the lasso (e.g. cluster names); called every frame. */
  onDrawOverlay?(ctx: CanvasRenderingContext2D, view: View, width: number, height: number): void;
}

class Canvas2DRenderer implements PointRenderer {
  readonly kind = 'canvas2d';
  private coords: Float32Array = new Float32Array(0);
  private rgba: Uint8Array = new Uint8Array(0);
  private sizes: Uint8Array = new Uint8Array(0);
  private shapes: Uint8Array = new Uint8Array(0);
  constructor(private readonly ctx: CanvasRenderingContext2D) {}
  setData(coords: Float32Array): void { this.coords = coords; }
  setColours(rgba: Uint8Array): void { this.rgba = rgba; }
  setSizes(sizes: Uint8Array): void { this.sizes = sizes; }
  setShapes(shapes: Uint8Array): void { this.shapes = shapes; }
  draw(view: View, width: number, height: number, dpr: number): void {
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const n = this.coords.length >> 1;
    for (let i = 0; i < n; i++) {
      const a = this.rgba[4 * i + 3];
      if (a === 0) continue;
      const [sx, sy] = toScreen(view, width, height, this.coords[2 * i], this.coords[2 * i + 1]);
      if (sx < -10 || sy < -10 || sx > width + 10 || sy > height + 10) continue;
      const s = this.sizes[i] || 3;
      ctx.fillStyle = `rgba(${this.rgba[4 * i]},${this.rgba[4 * i + 1]},${this.rgba[4 * i + 2]},${a / 255})`;
      const r = s / 2;
      switch (this.shapes[i] ?? 0) {
        case 1: ctx.fillRect(sx - r * 0.84, sy - r * 0.84, r * 1.68, r * 1.68); break;
        case 2:
          ctx.beginPath();
          ctx.moveTo(sx, sy - r * 0.9);
          ctx.lineTo(sx + r * 0.95, sy + r * 0.86);
          ctx.lineTo(sx - r * 0.95, sy + r * 0.86);
          ctx.fill();
          break;
        case 3:
          ctx.beginPath();
          ctx.moveTo(sx, sy - r);
          ctx.lineTo(sx + r, sy);
          ctx.lineTo(sx, sy + r);
          ctx.lineTo(sx - r, sy);
          ctx.fill();
          break;
        default:
          ctx.beginPath();
          ctx.arc(sx, sy, r, 0, Math.PI * 2);
          ctx.fill();
      }
    }
  }
}

export class Scatter {
  readonly canvas: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly renderer: PointRenderer;
  private coords: Float32Array = new Float32Array(0);
  private grid: SpatialGrid | undefined;
  private hidden: Uint8Array | undefined;
  /** 1 = can be picked and selected (the filters); undefined = all. */
  private selectable: Uint8Array | undefined;
  private sizes: Uint8Array = new Uint8Array(0);
  private baseSize = 4;
  private view: View = { cx: 0, cy: 0, scale: 1 };
  /** Last real size of the container (CSS px); kept while it is 0×0 (hidden). */
  private width = 1;
  private height = 1;
  /** The container has a real size (not hidden). */
  private sized = false;
  /** A fit was asked for while there was no size: done when the size comes back. */
  private pendingFit = true;
  private frame = 0;
  private wheeling = false;
  private wheelTimer: ReturnType<typeof setTimeout> | undefined;
  private hovered = -1;
  private marked = -1;
  private ringed: Int32Array = new Int32Array(0);
  mode: InteractionMode = 'pan';
  private drag: { x: number; y: number; moved: boolean; path: number[]; button: number } | undefined;

  constructor(private readonly container: HTMLElement, private readonly callbacks: ScatterCallbacks = {}, options: { forceCanvas2D?: boolean } = {}) {
    container.classList.add('scatter');
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'scatter-gl';
    this.overlay = document.createElement('canvas');
    this.overlay.className = 'scatter-overlay';
    this.overlay.tabIndex = 0;
    this.overlay.setAttribute('role', 'application');
    this.overlay.setAttribute('aria-label', 'Scatter plot. Arrow keys pan, + and − zoom, 0 fits, Enter shows the neighbours of the point nearest the centre, L lasso, B box, P pan, Escape clears the selection, / searches.');
    container.append(this.canvas, this.overlay);
    let renderer: PointRenderer | undefined;
    if (!options.forceCanvas2D) {
      const gl = this.canvas.getContext('webgl', { antialias: false, premultipliedAlpha: true, preserveDrawingBuffer: true });
      if (gl) {
        try {
          renderer = new WebGLPointRenderer(gl);
        } catch {
          renderer = undefined;
        }
      }
    }
    if (!renderer) {
      const ctx = this.canvas.getContext('2d');
      if (!ctx) throw new Error('no canvas context');
      renderer = new Canvas2DRenderer(ctx);
    }
    this.renderer = renderer;
    container.dataset.renderer = renderer.kind;
    this.attachEvents();
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
  }

  get rendererKind(): 'webgl' | 'canvas2d' {
    return this.renderer.kind;
  }

  get currentView(): View {
    return { ...this.view };
  }

  get pointCount(): number {
    return this.coords.length >> 1;
  }

  /** False until the view was fitted or set (a fit waits for a real size). */
  get hasView(): boolean {
    return !this.pendingFit;
  }

  /** Points ringed on the map (neighbours of the clicked one). */
  get rings(): Int32Array {
    return this.ringed;
  }

  /** New points: rebuilds the picking grid; keeps `view` when given (and valid), else fits. */
  setData(coords: Float32Array, view?: View): void {
    this.coords = coords;
    this.grid = new SpatialGrid(coords);
    const n = coords.length >> 1;
    this.baseSize = n > 200_000 ? 2 : n > 20_000 ? 3 : n > 2_000 ? 4 : 6;
    this.sizes = new Uint8Array(n).fill(this.baseSize);
    this.renderer.setData(coords);
    this.renderer.setSizes(this.sizes);
    this.renderer.setShapes(new Uint8Array(n));
    this.hovered = -1;
    this.ringed = new Int32Array(0);
    if (view && isValidView(view)) {
      this.view = { ...view };
      this.pendingFit = false;
      this.requestDraw();
    } else {
      this.fit();
    }
  }

  /** Shape index per point (0 = circle for all when never called). */
  setShapes(shapes: Uint8Array): void {
    this.renderer.setShapes(shapes);
    this.requestDraw();
  }

  /** Ring these points (e.g. the neighbours of the clicked record); empty clears. */
  setRings(indices: ArrayLike<number>): void {
    this.ringed = Int32Array.from(indices);
    this.requestDraw();
  }

  /** RGBA per point (alpha 0 = hidden: not pickable, not selectable). */
  setColours(rgba: Uint8Array): void {
    const n = this.coords.length >> 1;
    this.hidden = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.hidden[i] = rgba[4 * i + 3] === 0 ? 1 : 0;
    this.renderer.setColours(rgba);
    this.requestDraw();
  }

  /** Only these points (1) can be hovered, clicked and selected; undefined = all. */
  setSelectable(mask: Uint8Array | undefined): void {
    this.selectable = mask;
    if (this.hovered >= 0 && !this.visible(this.hovered)) {
      this.hovered = -1;
      this.requestDraw();
    }
  }

  /** Enlarge these points (selection, matches). */
  setEmphasis(emphasis: Uint8Array | undefined): void {
    for (let i = 0; i < this.sizes.length; i++) this.sizes[i] = emphasis && emphasis[i] ? this.baseSize + 4 : this.baseSize;
    this.renderer.setSizes(this.sizes);
    this.requestDraw();
  }

  /** Ring one point (clicked record) and optionally centre on it. */
  mark(index: number, centre = false): void {
    this.marked = index;
    if (centre && index >= 0) {
      this.view = { ...this.view, cx: this.coords[2 * index], cy: this.coords[2 * index + 1] };
      this.callbacks.onViewChange?.(this.currentView);
    }
    this.requestDraw();
  }

  setView(view: View): void {
    if (!isValidView(view)) return;
    this.view = { ...view };
    this.pendingFit = false;
    this.requestDraw();
  }

  /** Fits all points; without a real size (hidden) the fit waits until the canvas has one. */
  fit(): void {
    if (!this.sized || this.coords.length === 0) {
      this.pendingFit = true;
      return;
    }
    this.pendingFit = false;
    this.view = fitView(boundsOf(this.coords), this.width, this.height);
    this.callbacks.onViewChange?.(this.currentView);
    this.requestDraw();
  }

  /** Screen position (client px) of a point: used by tests and keyboard hover. */
  clientPositionOf(index: number): { x: number; y: number } {
    const r = this.overlay.getBoundingClientRect();
    const [sx, sy] = toScreen(this.view, this.width, this.height, this.coords[2 * index], this.coords[2 * index + 1]);
    return { x: r.left + sx, y: r.top + sy };
  }

  private visible = (i: number) => (!this.hidden || !this.hidden[i]) && (!this.selectable || this.selectable[i] === 1);

  /** The point under a client position, or -1. */
  pick(clientX: number, clientY: number): number {
    if (!this.grid) return -1;
    const r = this.overlay.getBoundingClientRect();
    const [wx, wy] = toWorld(this.view, this.width, this.height, clientX - r.left, clientY - r.top);
    const radius = Math.max(6, this.baseSize) / this.view.scale;
    return this.grid.nearest(wx, wy, radius, this.visible);
  }

  private resize(): void {
    const r = this.container.getBoundingClientRect();
    const w = Math.floor(r.width), hh = Math.floor(r.height);
    if (w < 1 || hh < 1) {
      // Hidden (display:none, a background webview): keep the last size and view, draw nothing.
      this.sized = false;
      return;
    }
    this.sized = true;
    this.width = w;
    this.height = hh;
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.canvas, this.overlay]) {
      c.width = Math.floor(w * dpr);
      c.height = Math.floor(hh * dpr);
      c.style.width = `${w}px`;
      c.style.height = `${hh}px`;
    }
    if (this.pendingFit) this.fit();
    this.requestDraw();
  }

  requestDraw(): void {
    if (this.frame || !this.sized) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  /** Draw synchronously (tests, screenshots). */
  drawNow(): void {
    if (!this.sized) return;
    const dpr = window.devicePixelRatio || 1;
    this.renderer.draw(this.view, this.width, this.height, dpr, this.wheeling);
    this.drawOverlay();
  }

  private drawOverlay(): void {
    const ctx = this.overlay.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    this.callbacks.onDrawOverlay?.(ctx, this.view, this.width, this.height);
    const fg = getComputedStyle(document.body).getPropertyValue('--vscode-editor-foreground').trim() || '#888';
    const focus = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || '#07f';
    const ring = (i: number, colour: string, radius: number) => {
      if (i < 0 || i >= this.pointCount) return;
      const [sx, sy] = toScreen(this.view, this.width, this.height, this.coords[2 * i], this.coords[2 * i + 1]);
      ctx.beginPath();
      ctx.arc(sx, sy, radius, 0, Math.PI * 2);
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.stroke();
    };
    for (const i of this.ringed) ring(i, focus, this.baseSize + 3);
    ring(this.marked, focus, this.baseSize + 6);
    ring(this.hovered, fg, this.baseSize + 3);
    const d = this.drag;
    if (d && d.moved && this.mode !== 'pan' && d.path.length >= 4) {
      ctx.strokeStyle = focus;
      ctx.fillStyle = 'rgba(128,128,128,0.12)';
      ctx.lineWidth = 1.5;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      if (this.mode === 'box') {
        const [x0, y0] = [d.path[0], d.path[1]];
        const [x1, y1] = [d.path[d.path.length - 2], d.path[d.path.length - 1]];
        ctx.rect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
      } else {
        ctx.moveTo(d.path[0], d.path[1]);
        for (let k = 2; k < d.path.length; k += 2) ctx.lineTo(d.path[k], d.path[k + 1]);
        ctx.closePath();
      }
      ctx.fill();
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  private local(e: MouseEvent): [number, number] {
    const r = this.overlay.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private finishSelection(path: number[]): void {
    const world: number[] = [];
    for (let k = 0; k < path.length; k += 2) world.push(...toWorld(this.view, this.width, this.height, path[k], path[k + 1]));
    let indices: Int32Array;
    if (this.mode === 'box') {
      indices = selectInBox(this.coords, world[0], world[1], world[world.length - 2], world[world.length - 1], this.visible);
    } else {
      indices = selectInPolygon(this.coords, world, this.grid, this.visible);
    }
    this.callbacks.onSelect?.(indices);
  }

  private attachEvents(): void {
    const o = this.overlay;
    o.addEventListener('wheel', (e) => {
      e.preventDefault();
      const [sx, sy] = this.local(e);
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      this.view = zoomAt(this.view, this.width, this.height, sx, sy, factor);
      this.callbacks.onViewChange?.(this.currentView);
      // While the wheel turns, a slow renderer may show its last image scaled; the full draw
      // comes once the wheel has rested for WHEEL_SETTLE_MS.
      this.wheeling = true;
      clearTimeout(this.wheelTimer);
      this.wheelTimer = setTimeout(() => {
        this.wheeling = false;
        this.requestDraw();
      }, WHEEL_SETTLE_MS);
      this.requestDraw();
    }, { passive: false });
    o.addEventListener('pointerdown', (e) => {
      o.focus();
      // No hover text while dragging (lasso, box, pan): it would cover what is being selected.
      if (this.hovered >= 0) {
        this.hovered = -1;
        this.requestDraw();
      }
      this.callbacks.onHover?.(-1, e.clientX, e.clientY);
      const [x, y] = this.local(e);
      this.drag = { x, y, moved: false, path: [x, y], button: e.button };
      o.setPointerCapture(e.pointerId);
    });
    o.addEventListener('pointermove', (e) => {
      const [x, y] = this.local(e);
      const d = this.drag;
      if (d) {
        if (Math.abs(x - d.x) + Math.abs(y - d.y) > 3) d.moved = true;
        if (this.mode === 'pan' && !e.shiftKey) {
          const last = d.path.length - 2;
          this.view = panBy(this.view, x - d.path[last], y - d.path[last + 1]);
          d.path[last] = x;
          d.path[last + 1] = y;
          this.requestDraw();
        } else {
          d.path.push(x, y);
          this.requestDraw();
        }
        return;
      }
      const i = this.pick(e.clientX, e.clientY);
      if (i !== this.hovered) {
        this.hovered = i;
        this.requestDraw();
      }
      this.callbacks.onHover?.(i, e.clientX, e.clientY);
    });
    const end = (e: PointerEvent) => {
      const d = this.drag;
      this.drag = undefined;
      if (!d) return;
      if (!d.moved) {
        const i = this.pick(e.clientX, e.clientY);
        if (i >= 0) this.callbacks.onClick?.(i);
      } else if (this.mode === 'pan' && !e.shiftKey) {
        this.callbacks.onViewChange?.(this.currentView);
      } else {
        const saved = this.mode;
        if (this.mode === 'pan') this.mode = 'lasso'; // shift+drag lassos
        this.finishSelection(d.path);
        this.mode = saved;
      }
      this.requestDraw();
    };
    o.addEventListener('pointerup', end);
    o.addEventListener('pointerleave', () => {
      if (!this.drag && this.hovered >= 0) {
        this.hovered = -1;
        this.callbacks.onHover?.(-1, 0, 0);
        this.requestDraw();
      }
    });
    o.addEventListener('keydown', (e) => {
      const step = 40;
      let handled = true;
      switch (e.key) {
        case 'ArrowLeft': this.view = panBy(this.view, step, 0); break;
        case 'ArrowRight': this.view = panBy(this.view, -step, 0); break;
        case 'ArrowUp': this.view = panBy(this.view, 0, step); break;
        case 'ArrowDown': this.view = panBy(this.view, 0, -step); break;
        case '+': case '=': this.view = zoomAt(this.view, this.width, this.height, this.width / 2, this.height / 2, 1.25); break;
        case '-': case '_': this.view = zoomAt(this.view, this.width, this.height, this.width / 2, this.height / 2, 0.8); break;
        case '0': this.fit(); break;
        case 'Enter': {
          // open the point nearest the view centre (keyboard equivalent of a click)
          if (!this.grid) break;
          const i = this.grid.nearest(this.view.cx, this.view.cy, Math.max(this.width, this.height) / this.view.scale, this.visible);
          if (i >= 0) this.callbacks.onClick?.(i);
          break;
        }
        default: handled = false;
      }
      if (handled) {
        e.preventDefault();
        this.callbacks.onViewChange?.(this.currentView);
        this.requestDraw();
      }
    });
  }
}
