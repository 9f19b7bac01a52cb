/**
 * WebGL point renderer: gl.POINTS with per-point colour, size and shape, each attribute a typed
 * array uploaded once per change; the view (pan, zoom) is a uniform matrix applied in the vertex
 * shader. From CACHE_MIN_POINTS points on, the points are drawn into an offscreen texture that
 * covers the view plus a margin (raster-cache.ts), and a frame that only pans draws that texture
 * as one quad: a million points cost about a second per draw in a software WebGL, one quad a few
 * milliseconds. During a wheel zoom the image is shown scaled until the wheel rests.
 */
import type { PointRenderer } from './point-renderer';
import { chooseFrame, covers, neededRect, type CacheFrame } from './raster-cache';
import { boundsOf, clipMatrix, type Bounds, type View } from './view-transform';

/** From this many points on, frames that only pan reuse a cached image of the points. */
export const CACHE_MIN_POINTS = 100_000;
/** Largest point (CSS px, emphasised) / 2 + 1: how far a point near the data's edge can reach. */
const PAD_PX = 8;
/** The cached image's largest side, device px (64 MB of RGBA at most). */
const MAX_CACHE_PX = 4096;

const POINTS_VERT = `
attribute vec2 a_pos;
attribute vec4 a_col;
attribute float a_size;
attribute float a_shape;
uniform mat3 u_m;
uniform float u_dpr;
varying vec4 v_col;
varying float v_shape;
void main() {
  vec3 p = u_m * vec3(a_pos, 1.0);
  gl_Position = vec4(p.xy, 0.0, 1.0);
  gl_PointSize = a_size * u_dpr;
  v_col = a_col;
  v_shape = a_shape;
}`;
// Shapes: 0 circle, 1 square, 2 triangle (apex up), 3 diamond.
const POINTS_FRAG = `
precision mediump float;
varying vec4 v_col;
varying float v_shape;
void main() {
  vec2 q = gl_PointCoord;
  vec2 d = q - vec2(0.5);
  if (v_shape < 0.5) {
    if (dot(d, d) > 0.25) discard;
  } else if (v_shape < 1.5) {
    if (max(abs(d.x), abs(d.y)) > 0.42) discard;
  } else if (v_shape < 2.5) {
    if (q.y > 0.93 || abs(d.x) > (q.y - 0.05) * 0.6) discard;
  } else {
    if (abs(d.x) + abs(d.y) > 0.5) discard;
  }
  gl_FragColor = vec4(v_col.rgb * v_col.a, v_col.a);
}`;

/** The cached image drawn as a quad: world-space corners, texture coordinates 0..1. */
const IMAGE_VERT = `
attribute vec2 a_corner;
uniform mat3 u_m;
uniform vec4 u_rect;
varying vec2 v_uv;
void main() {
  vec2 w = mix(u_rect.xy, u_rect.zw, a_corner);
  vec3 p = u_m * vec3(w, 1.0);
  gl_Position = vec4(p.xy, 0.0, 1.0);
  v_uv = a_corner;
}`;
const IMAGE_FRAG = `
precision mediump float;
uniform sampler2D u_image;
varying vec2 v_uv;
void main() {
  gl_FragColor = texture2D(u_image, v_uv);
}`;

function compileProgram(gl: WebGLRenderingContext, vert: string, frag: string, firstAttribute: string): WebGLProgram {
  const compile = (type: number, src: string) => {
    const s = gl.createShader(type);
    if (!s) throw new Error('createShader failed');
    gl.shaderSource(s, src);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s) ?? 'shader');
    return s;
  };
  const p = gl.createProgram();
  if (!p) throw new Error('createProgram failed');
  gl.attachShader(p, compile(gl.VERTEX_SHADER, vert));
  gl.attachShader(p, compile(gl.FRAGMENT_SHADER, frag));
  gl.bindAttribLocation(p, 0, firstAttribute);
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(p) ?? 'link');
  return p;
}

function createBuffer(gl: WebGLRenderingContext): WebGLBuffer {
  const b = gl.createBuffer();
  if (!b) throw new Error('createBuffer failed');
  return b;
}

interface Attribute {
  loc: number;
  buf: WebGLBuffer;
  size: number;
  type: number;
  normalized: boolean;
}

/** An offscreen RGBA texture with its framebuffer, and what it shows. */
interface Cache {
  texture: WebGLTexture;
  framebuffer: WebGLFramebuffer;
  /** Texture size, device px. */
  texWidth: number;
  texHeight: number;
  frame?: CacheFrame;
  dpr: number;
  /** The data version drawn into it. */
  version: number;
}

export class WebGLPointRenderer implements PointRenderer {
  readonly kind = 'webgl';
  private n = 0;
  private bounds: Bounds = { minX: 0, minY: 0, maxX: 1, maxY: 1 };
  /** Bumped by every change of the points, colours, sizes or shapes. */
  private version = 0;
  private readonly points: WebGLProgram;
  private readonly attributes: Attribute[];
  private readonly uM: WebGLUniformLocation | null;
  private readonly uDpr: WebGLUniformLocation | null;
  private readonly image: WebGLProgram;
  private readonly cornerBuf: WebGLBuffer;
  private readonly imageM: WebGLUniformLocation | null;
  private readonly imageRect: WebGLUniformLocation | null;
  private readonly maxCachePx: number;
  private cache: Cache | undefined;
  /** Full draws of every point (into the canvas or the cache): for tests and the bench. */
  fullDraws = 0;

  constructor(private readonly gl: WebGLRenderingContext) {
    this.points = compileProgram(gl, POINTS_VERT, POINTS_FRAG, 'a_pos');
    this.uM = gl.getUniformLocation(this.points, 'u_m');
    this.uDpr = gl.getUniformLocation(this.points, 'u_dpr');
    const attribute = (name: string, size: number, type: number, normalized: boolean): Attribute =>
      ({ loc: gl.getAttribLocation(this.points, name), buf: createBuffer(gl), size, type, normalized });
    this.attributes = [
      attribute('a_pos', 2, gl.FLOAT, false),
      attribute('a_col', 4, gl.UNSIGNED_BYTE, true),
      attribute('a_size', 1, gl.UNSIGNED_BYTE, false),
      attribute('a_shape', 1, gl.UNSIGNED_BYTE, false),
    ];
    this.image = compileProgram(gl, IMAGE_VERT, IMAGE_FRAG, 'a_corner');
    this.imageM = gl.getUniformLocation(this.image, 'u_m');
    this.imageRect = gl.getUniformLocation(this.image, 'u_rect');
    this.cornerBuf = createBuffer(gl);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.cornerBuf);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]), gl.STATIC_DRAW);
    const maxTexture = Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)) || 2048;
    const maxViewport = gl.getParameter(gl.MAX_VIEWPORT_DIMS) as Int32Array | null;
    this.maxCachePx = Math.min(MAX_CACHE_PX, maxTexture, maxViewport?.[0] ?? maxTexture, maxViewport?.[1] ?? maxTexture);
  }

  private upload(k: number, data: ArrayBufferView, usage: number): void {
    const gl = this.gl;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.attributes[k].buf);
    gl.bufferData(gl.ARRAY_BUFFER, data, usage);
    this.version++;
  }

  setData(coords: Float32Array): void {
    this.n = coords.length >> 1;
    this.bounds = boundsOf(coords);
    this.upload(0, coords, this.gl.STATIC_DRAW);
  }
  setColours(rgba: Uint8Array): void { this.upload(1, rgba, this.gl.DYNAMIC_DRAW); }
  setSizes(sizes: Uint8Array): void { this.upload(2, sizes, this.gl.DYNAMIC_DRAW); }
  setShapes(shapes: Uint8Array): void { this.upload(3, shapes, this.gl.DYNAMIC_DRAW); }

  draw(view: View, width: number, height: number, dpr: number, interim = false): void {
    const gl = this.gl;
    if (this.n >= CACHE_MIN_POINTS) {
      // During a wheel zoom the last image, scaled, stands in until the wheel rests (when it is of the same points).
      const last = this.cache;
      const c = interim && last?.frame && last.version === this.version && last.dpr === dpr ? last : this.cacheFor(view, width, height, dpr);
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      this.clear(gl.drawingBufferWidth, gl.drawingBufferHeight);
      this.drawImage(c, view, width, height);
      return;
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    this.clear(gl.drawingBufferWidth, gl.drawingBufferHeight);
    this.drawPoints(clipMatrix(view, width, height), dpr);
  }

  private clear(w: number, h: number): void {
    const gl = this.gl;
    gl.viewport(0, 0, w, h);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
  }

  /** Every point, with premultiplied alpha blending, through matrix `m`. */
  private drawPoints(m: Float32Array, dpr: number): void {
    const gl = this.gl;
    if (this.n === 0) return;
    this.fullDraws++;
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.useProgram(this.points);
    gl.uniformMatrix3fv(this.uM, false, m);
    gl.uniform1f(this.uDpr, dpr);
    for (const a of this.attributes) {
      if (a.loc < 0) continue;
      gl.bindBuffer(gl.ARRAY_BUFFER, a.buf);
      gl.enableVertexAttribArray(a.loc);
      gl.vertexAttribPointer(a.loc, a.size, a.type, a.normalized, 0, 0);
    }
    gl.drawArrays(gl.POINTS, 0, this.n);
    for (const a of this.attributes) if (a.loc > 0) gl.disableVertexAttribArray(a.loc);
  }

  /** The cache, redrawn when it cannot show this view (zoom, size, data, or a pan past its margin). */
  private cacheFor(view: View, width: number, height: number, dpr: number): Cache {
    const c = this.cache;
    if (c && c.version === this.version && c.dpr === dpr) {
      // A frame that covers the view; or no frame (nothing was visible) and still nothing visible.
      if (c.frame ? covers(c.frame, view, width, height, this.bounds, PAD_PX) : !neededRect(view, width, height, this.bounds, PAD_PX)) return c;
    }
    const frame = chooseFrame(view, width, height, this.bounds, PAD_PX, Math.floor(this.maxCachePx / dpr));
    const cache = this.ensureCache(frame ? Math.ceil(frame.width * dpr) : 1, frame ? Math.ceil(frame.height * dpr) : 1);
    cache.frame = frame;
    cache.dpr = dpr;
    cache.version = this.version;
    const gl = this.gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, cache.framebuffer);
    this.clear(cache.texWidth, cache.texHeight);
    if (frame) {
      const r = frame.rect;
      const cacheView = { cx: (r.minX + r.maxX) / 2, cy: (r.minY + r.maxY) / 2, scale: frame.scale };
      this.drawPoints(clipMatrix(cacheView, frame.width, frame.height), dpr);
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    return cache;
  }

  /** A texture of (at least) w×h device px with its framebuffer; reallocated when the size changes. */
  private ensureCache(w: number, h: number): Cache {
    const gl = this.gl;
    let c = this.cache;
    if (!c) {
      const texture = gl.createTexture();
      const framebuffer = gl.createFramebuffer();
      if (!texture || !framebuffer) throw new Error('createTexture/createFramebuffer failed');
      c = { texture, framebuffer, texWidth: 0, texHeight: 0, dpr: 0, version: -1 };
      this.cache = c;
    }
    if (c.texWidth !== w || c.texHeight !== h) {
      gl.bindTexture(gl.TEXTURE_2D, c.texture);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, w, h, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
      gl.bindFramebuffer(gl.FRAMEBUFFER, c.framebuffer);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, c.texture, 0);
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      c.texWidth = w;
      c.texHeight = h;
    }
    return c;
  }

  /** The cached image as one quad at its world position under `view` (premultiplied, like the points). */
  private drawImage(c: Cache, view: View, width: number, height: number): void {
    const gl = this.gl;
    const frame = c.frame;
    if (!frame) return;
    const r = frame.rect;
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.useProgram(this.image);
    gl.uniformMatrix3fv(this.imageM, false, clipMatrix(view, width, height));
    gl.uniform4f(this.imageRect, r.minX, r.minY, r.maxX, r.maxY);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, c.texture);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.cornerBuf);
    gl.enableVertexAttribArray(0);
    gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }
}
