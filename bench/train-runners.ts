/**
 * Training runners bench (section train-runners), as ratios in one run, on the issue's case:
 * full mode, the MiniLM-L6 shape (random weights, the MiniLM tokenizer), MNR, batch 32,
 * texts of 64 tokens:
 *  - the python runner on CPU against the builtin runner (seconds per step after the first);
 *  - the python runner against a bare SentenceTransformerTrainer script (bench/st_bare_trainer.py)
 *    on the same model, data, batch and steps, with the same venv (the runner's overhead). The two
 *    alternate (runner, bare, runner, bare) so that a load change on the shared machine falls on
 *    both, and each side's figure is the median of its step times. The same work is timed on both
 *    sides: steps 2..N, with no evaluation and no checkpoint among them (the runner has no held-out
 *    data and checkpoints only after its last step; the bare script saves nothing);
 *  - the builtin runner's wasm backend, threaded SIMD build against the single-threaded one,
 *    on one step (16 texts × 64 tokens, one process each).
 * The Python is scripts/python-env.mjs's venv (or EMBEDLAB_TEST_PYTHON).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRow, BenchSection } from './types';
import { fmtRatio, fmtSeconds } from './types';
import { MINILM_L6_CONFIG } from '../src/engine/onnx/bert-config';
import { randomBertWeights } from '../src/engine/onnx/bert-weights';
import { writeModelFolder } from '../src/engine/onnx/model-folder-writer';
import { trainWithRunner } from '../src/engine/train/runners/runner';
import { readMetrics } from '../src/engine/train/runs';

const REPO = path.join(__dirname, '..');
const TOKENIZER = path.join(REPO, 'test/fixtures/models/hub/all-MiniLM-L6-v2/tokenizer.json');
const BATCH = 32;
const TOKENS = 64;

function benchPython(): string {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/python-env.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('no Python environment (scripts/python-env.mjs failed); set EMBEDLAB_TEST_PYTHON');
  return r.stdout.trim().split('\n').pop()!;
}

/** (text1, text2) pairs of distinct texts, each exactly TOKENS tokens with [CLS] and [SEP] (one word piece per word). */
function writePairs(file: string, n: number): void {
  const vocab = Object.keys((JSON.parse(readFileSync(TOKENIZER, 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab).filter((w) => /^[a-z]{4,}$/.test(w));
  let k = 0;
  const text = () => Array.from({ length: TOKENS - 2 }, () => vocab[(k++ * 7919) % vocab.length]).join(' ');
  writeFileSync(file, Array.from({ length: n }, () => JSON.stringify({ text1: text(), text2: text() })).join('\n') + '\n');
}

/** The durations of the steps after the first, from step-end times. */
function stepDurations(ends: readonly number[]): number[] {
  if (ends.length < 2) throw new Error('fewer than two steps were timed');
  return ends.slice(1).map((t, i) => t - ends[i]);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One run on a runner: the durations of its steps after the first (from metrics.jsonl's `ms`). */
async function runnerSteps(dir: string, runId: string, model: string, file: string, steps: number, runner: 'builtin' | 'python', python?: string): Promise<{ durations: number[]; miniBatch?: number }> {
  const r = await trainWithRunner(
    // No held-out data (no evaluation), and the one checkpoint after the last step: nothing but steps is timed.
    { root: dir, runId, mode: 'full', encoder: model, train: { file }, evalFraction: 0, checkpointEvery: steps, loss: 'mnr', batchSize: BATCH, epochs: 1, maxSteps: steps, lr: 2e-5, backend: 'wasm' },
    runner === 'python' ? { runner, python, device: 'cpu' } : { runner },
  );
  const ends = (await readMetrics(r.run)).filter((m) => typeof m.loss === 'number').map((m) => (m.ms as number) / 1000);
  const config = JSON.parse(readFileSync(path.join(r.run, 'config.json'), 'utf8')) as { options?: { miniBatch?: number } };
  return { durations: stepDurations(ends), miniBatch: config.options?.miniBatch };
}

/** One run of the bare script: the durations of its steps after the first. */
function bareSteps(python: string, model: string, file: string, steps: number): number[] {
  const r = spawnSync(python, [path.join(__dirname, 'st_bare_trainer.py'), model, file, String(BATCH), String(steps), String(TOKENS)], {
    encoding: 'utf8',
    env: { ...process.env, TQDM_DISABLE: '1' },
  });
  if (r.status !== 0) throw new Error(`st_bare_trainer.py failed (${r.status}): ${r.stderr.slice(-1500)}`);
  return stepDurations((JSON.parse(r.stdout.trim().split('\n').pop()!) as { stepEnds: number[] }).stepEnds);
}

const load = () => os.loadavg()[0].toFixed(1);

function wasmStep(threads: string): { seconds: number; threads: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'wasm-step-child.ts'), '16', String(TOKENS)], {
    encoding: 'utf8',
    env: { ...process.env, EMBEDLAB_WASM_THREADS: threads },
  });
  if (r.status !== 0) throw new Error(`wasm-step-child failed: ${r.stderr.slice(-1500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; threads: number };
}

export const trainRunnersBench: BenchSection = {
  name: 'train-runners',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'embedlab-bench-runners-'));
    try {
      const python = benchPython();
      const model = path.join(dir, 'minilm-l6-random');
      writeModelFolder(model, { config: MINILM_L6_CONFIG, weights: randomBertWeights(MINILM_L6_CONFIG, 1), tokenizerJsonPath: TOKENIZER, maxSeqLength: TOKENS });
      const pySteps = 6;
      const rounds = 2;
      const builtinSteps = 3;
      const file = path.join(dir, 'pairs.jsonl');
      writePairs(file, pySteps * BATCH);
      const single = wasmStep('0');
      const threaded = wasmStep('');
      const builtin = await runnerSteps(dir, 'bench-builtin', model, file, builtinSteps, 'builtin');
      const runnerTimes: number[] = [];
      const bareTimes: number[] = [];
      const loads: string[] = [];
      for (let round = 1; round <= rounds; round++) {
        loads.push(load());
        runnerTimes.push(...(await runnerSteps(dir, `bench-python-${round}`, model, file, pySteps, 'python', python)).durations);
        loads.push(load());
        bareTimes.push(...bareSteps(python, model, file, pySteps));
      }
      const runner = median(runnerTimes);
      const bare = median(bareTimes);
      const builtinSeconds = median(builtin.durations);
      const timed = `${rounds} runs × ${pySteps - 1} timed steps`;
      const shape = `MiniLM-L6 shape (random weights), MNR, batch ${BATCH} (${2 * BATCH} texts × ${TOKENS} tokens)`;
      return [
        {
          task: `full mode, ${shape}: python runner (CPU) vs builtin`,
          ours: `${fmtSeconds(runner)}/step (python runner, torch CPU, median of ${timed})`,
          baseline: `${fmtSeconds(builtinSeconds)}/step (builtin, tfjs wasm ${threaded.threads} threads${builtin.miniBatch ? `, automatic --mini-batch ${builtin.miniBatch}` : ''}, ${builtinSteps - 1} timed steps)`,
          ratio: fmtRatio(builtinSeconds / runner),
          note: 'the issue expects ≥ 4×; seconds per step after the first, from metrics.jsonl',
        },
        {
          task: `full mode, ${shape}: python runner vs bare SentenceTransformerTrainer (same venv, data, steps)`,
          ours: `${fmtSeconds(runner)}/step (python runner, median of ${timed}; per step ${runnerTimes.map((x) => x.toFixed(2)).join(', ')})`,
          baseline: `${fmtSeconds(bare)}/step (bench/st_bare_trainer.py, median of ${timed}; per step ${bareTimes.map((x) => x.toFixed(2)).join(', ')})`,
          ratio: fmtRatio(bare / runner),
          note:
            `the runner’s overhead per step (planned batches, the loss and lr read back, a metrics line with fsync, the cancel check); ` +
            `runs alternate runner, bare, runner, bare (load ${loads.join(', ')}); no evaluation or checkpoint inside the timed steps on either side; the issue expects ≥ 0.95×`,
        },
        {
          task: `builtin wasm backend, one MNR step, MiniLM-L6 shape, 16 texts × ${TOKENS} tokens: threaded SIMD vs single-threaded SIMD`,
          ours: `${fmtSeconds(threaded.seconds)} (${threaded.threads} threads)`,
          baseline: `${fmtSeconds(single.seconds)} (1 thread)`,
          ratio: fmtRatio(single.seconds / threaded.seconds),
          note: 'XNNPACK ops (matmul) use the pool; the other kernels stay on one thread',
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
