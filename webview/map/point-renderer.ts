/** What the scatter needs from a point renderer (WebGL, or a 2D canvas without WebGL). */
import type { View } from './view-transform';

export interface PointRenderer {
  readonly kind: 'webgl' | 'canvas2d';
  setData(coords: Float32Array): void;
  setColours(rgba: Uint8Array): void;
  setSizes(sizes: Uint8Array): void;
  /** Shape index per point (see SHAPES in colours.ts). */
  setShapes(shapes: Uint8Array): void;
  /**
   * Draws the points for `view`. `interim`: the view is changing fast (a wheel zoom), so a
   * renderer may show a scaled copy of its last image; a draw without it follows.
   */
  draw(view: View, width: number, height: number, dpr: number, interim?: boolean): void;
}
