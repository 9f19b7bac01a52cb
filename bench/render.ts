/**
 * Map rendering: the map webview with 1,000,000 synthetic points in headless Chromium, panned by
 * a requestAnimationFrame-driven drag (test/browser/map-render-measure.mjs, run as a child
 * process). Reports frames per second from the median frame time, against the goal of 30, with
 * the WebGL renderer the browser gave (software SwiftShader when the machine has no GPU).
 */
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { BenchRow, BenchSection } from './types';

const GOAL_FPS = 30;
const POINTS = 1_000_000;
const SECONDS = 4;

interface RenderMeasurement {
  n: number;
  renderer: string;
  software: boolean;
  frames: number;
  draws: number;
  fullDraws: number;
  frameMs: { median: number; p95: number };
  fps: number;
  panDrawMs: { median: number; max: number };
  fullDrawMs: { median: number; max: number };
  loadSeconds: number;
  errors: string[];
}

function isMeasurement(v: unknown): v is RenderMeasurement {
  const m = v as RenderMeasurement;
  return typeof v === 'object' && v !== null && typeof m.n === 'number' && typeof m.renderer === 'string' && typeof m.fps === 'number' && typeof m.frameMs?.median === 'number';
}

/** The renderer string shortened for a table cell: "SwiftShader (software)" or the GPU's name. */
function rendererName(m: RenderMeasurement): string {
  if (/swiftshader/i.test(m.renderer)) return 'SwiftShader (software, no GPU)';
  return m.software ? `${m.renderer} (software)` : `${m.renderer} (GPU)`;
}

export const renderBench: BenchSection = {
  name: 'render',
  async run(): Promise<BenchRow[]> {
    const script = path.join(__dirname, '..', 'test', 'browser', 'map-render-measure.mjs');
    const r = spawnSync(process.execPath, [script, String(POINTS), String(SECONDS)], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`map-render-measure failed: ${(r.stderr || r.stdout || String(r.error)).slice(-500)}`);
    const parsed: unknown = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    if (!isMeasurement(parsed)) throw new Error('map-render-measure printed no measurement');
    const m = parsed;
    if (m.errors.length) throw new Error(`page errors: ${m.errors.join('; ')}`);
    return [{
      task: `map panning, ${m.n.toLocaleString('en-US')} points, headless Chromium 1280×800, ${rendererName(m)}`,
      ours: `${m.fps.toFixed(1)} frames/s (frame ${m.frameMs.median.toFixed(1)} ms median, ${m.frameMs.p95.toFixed(1)} ms p95)`,
      baseline: `${GOAL_FPS} frames/s (goal)`,
      ratio: `${(m.fps / GOAL_FPS).toFixed(2)}×`,
      note: `${m.frames} frames in ${SECONDS} s; a pan moves a cached image of the points (${m.panDrawMs.median.toFixed(0)} ms a frame, ${m.fullDraws} draws of every point while panning); a zoom redraws every point (${(m.fullDrawMs.median / 1000).toFixed(2)} s); data load ${m.loadSeconds.toFixed(1)} s`,
    }];
  },
};
