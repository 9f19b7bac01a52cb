/**
 * Training bench: head-mode steps per second (10k scored pairs, 384-d, batch 32), the wasm
 * backend against the pure-JS cpu backend on the same run, and plain matmul GFLOP/s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRow, BenchSection } from './types';
import { fmtRatio, fmtSeconds } from './types';
import { encoderProviders } from '../src/engine/encoders/resolve';
import type { Encoder } from '../src/engine/encoders/encoder';
import { createRng, gaussian } from '../src/engine/util/random';
import { train } from '../src/engine/train/trainer';
import { tf, useTrainingBackend, type TrainingBackend } from '../src/engine/train/backend';

const DIM = 384;

/** Deterministic pseudo-embeddings: a seeded Gaussian vector per text (no model to load). */
function hashEncoder(dim: number): Encoder {
  return {
    id: `bench-hash:${dim}`,
    dimension: dim,
    normalized: false,
    async encode(texts) {
      const data = new Float32Array(texts.length * dim);
      texts.forEach((t, i) => {
        let h = 2166136261;
        for (let k = 0; k < t.length; k++) h = Math.imul(h ^ t.charCodeAt(k), 16777619);
        const rng = createRng(h >>> 0);
        for (let j = 0; j < dim; j++) data[i * dim + j] = gaussian(rng);
      });
      return { rows: texts.length, cols: dim, data };
    },
    dispose: async () => undefined,
  };
}

function writePairs(file: string, n: number): void {
  const rng = createRng(1);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify({ text1: `a${i % 3000}`, text2: `b${(i * 7) % 3000}`, score: Math.round(rng() * 100) / 100 }));
  writeFileSync(file, lines.join('\n') + '\n');
}

async function headRun(file: string, root: string, backend: TrainingBackend): Promise<{ stepsPerSecond: number; seconds: number; steps: number }> {
  let first = 0;
  let firstStep = 0;
  const r = await train({
    root,
    train: { file },
    evalFraction: 0,
    loss: 'cosine',
    encoder: `bench-hash:${DIM}`,
    batchSize: 32,
    epochs: 1,
    backend,
    onProgress: (p) => {
      if (p.stage === 'train' && !first) {
        first = performance.now();
        firstStep = p.done;
      }
    },
  });
  const seconds = (performance.now() - first) / 1000;
  return { stepsPerSecond: (r.steps - firstStep) / seconds, seconds: r.durationMs / 1000, steps: r.steps };
}

async function matmulGflops(backend: TrainingBackend, n = 512, reps = 8): Promise<number> {
  await useTrainingBackend(backend);
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const warm = tf.matMul(a, a);
  await warm.data();
  warm.dispose();
  const t = performance.now();
  for (let i = 0; i < reps; i++) {
    const c = tf.matMul(a, a);
    await c.data();
    c.dispose();
  }
  const s = (performance.now() - t) / 1000;
  a.dispose();
  return (2 * n * n * n * reps) / s / 1e9;
}

export const trainBench: BenchSection = {
  name: 'train',
  async run(): Promise<BenchRow[]> {
    if (!encoderProviders.some((p) => p.kind === 'bench-hash'))
      encoderProviders.unshift({ kind: 'bench-hash', describe: 'bench', matches: (s) => s.startsWith('bench-hash:'), create: async (s) => hashEncoder(Number(s.split(':')[1])) });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'embedlab-bench-train-'));
    try {
      const file = path.join(dir, 'pairs.jsonl');
      writePairs(file, 10_000);
      const wasm = await headRun(file, dir, 'wasm');
      const cpu = await headRun(file, dir, 'cpu');
      const gw = await matmulGflops('wasm');
      const gc = await matmulGflops('cpu');
      await useTrainingBackend('auto');
      return [
        {
          task: `head mode, 10k scored pairs, ${DIM}-d, batch 32, 1 epoch (${wasm.steps} steps)`,
          ours: `${wasm.stepsPerSecond.toFixed(0)} steps/s (wasm), whole run ${fmtSeconds(wasm.seconds)}`,
          baseline: `${cpu.stepsPerSecond.toFixed(0)} steps/s (cpu), whole run ${fmtSeconds(cpu.seconds)}`,
          ratio: fmtRatio(wasm.stepsPerSecond / cpu.stepsPerSecond),
          note: 'tfjs wasm vs pure-JS cpu backend, same run',
        },
        {
          task: 'matmul 512×512×512, float32',
          ours: `${gw.toFixed(2)} GFLOP/s (wasm)`,
          baseline: `${gc.toFixed(2)} GFLOP/s (cpu)`,
          ratio: fmtRatio(gw / gc),
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
