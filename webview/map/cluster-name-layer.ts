/**
 * Draws the cluster names (placed by cluster-name-labels.ts) on the map's overlay canvas, in the
 * editor's foreground colour with a halo of its background, so they read over any point colour
 * in the dark, light and high-contrast themes.
 */
import { lineHeight, placeNames, type NameAnchor, type PlacedName } from './cluster-name-labels';

/** The CSS font of a name. */
export function nameFont(fontSize: number, family: string): string {
  return `600 ${fontSize}px ${family}`;
}

/** Draws the names with a halo in the editor background, so they read over any point colour. */
export function drawNames(ctx: CanvasRenderingContext2D, placed: readonly PlacedName[], colours: { text: string; halo: string }, family: string): void {
  ctx.save();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  for (const p of placed) {
    ctx.font = nameFont(p.fontSize, family);
    ctx.lineWidth = 4;
    const lh = lineHeight(p.fontSize);
    p.lines.forEach((line, k) => {
      const y = p.y + (k - (p.lines.length - 1) / 2) * lh;
      ctx.strokeStyle = colours.halo;
      ctx.strokeText(line, p.x, y);
      ctx.fillStyle = colours.text;
      ctx.fillText(line, p.x, y);
    });
  }
  ctx.restore();
}

/**
 * The names of one map: anchors set when the points or the filters change, placed and drawn on
 * every frame of the overlay (so they follow pan and zoom). `placed` is what was last drawn.
 */
export class ClusterNameLayer {
  private anchors: NameAnchor[] = [];
  private widths = new Map<string, number>();
  placed: PlacedName[] = [];
  enabled = true;

  setAnchors(anchors: NameAnchor[]): void {
    this.anchors = anchors;
  }

  /** The scale of the fitted view (px per world unit); the names grow when zoomed out past it. */
  fitScale = 0;

  draw(ctx: CanvasRenderingContext2D, project: (x: number, y: number) => readonly [number, number], zoom: number, width: number, height: number): void {
    if (!this.enabled || this.anchors.length === 0) {
      this.placed = [];
      return;
    }
    const style = getComputedStyle(document.body);
    const family = style.fontFamily || 'sans-serif';
    const measure = (text: string, fontSize: number) => {
      const key = `${fontSize}|${family}|${text}`;
      let w = this.widths.get(key);
      if (w === undefined) {
        ctx.font = nameFont(fontSize, family);
        w = Math.ceil(ctx.measureText(text).width);
        if (this.widths.size > 5000) this.widths.clear();
        this.widths.set(key, w);
      }
      return w;
    };
    this.placed = placeNames(this.anchors, project, zoom, width, height, measure, { fitScale: this.fitScale });
    const text = style.getPropertyValue('--vscode-editor-foreground').trim() || style.color || '#ccc';
    const halo = style.getPropertyValue('--vscode-editor-background').trim() || '#1e1e1e';
    drawNames(ctx, this.placed, { text, halo }, family);
  }
}
