/**
 * Training runners bench (section train-runners), as ratios in one run, on the issue's case:
 * full mode, the MiniLM-L6 shape (random weights, the MiniLM tokenizer), MNR, batch 32,
 * texts of 64 tokens:
 *  - the python runner on CPU against the builtin runner (seconds per step after the first);
 *  - the python runner against a bare SentenceTransformerTrainer script (bench/st_bare_trainer.py)
 *    on the same model, data, batch and steps, with the same venv (the runner's overhead);
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

/** Seconds per step after the first, from step-end times. */
function perStep(ends: readonly number[]): number {
  if (ends.length < 2) throw new Error('fewer than two steps were timed');
  return (ends[ends.length - 1] - ends[0]) / (ends.length - 1);
}

async function runnerSteps(dir: string, model: string, file: string, steps: number, runner: 'builtin' | 'python', python?: string): Promise<{ seconds: number; miniBatch?: number }> {
  const r = await trainWithRunner(
    { root: dir, runId: `bench-${runner}`, mode: 'full', encoder: model, train: { file }, evalFraction: 0, loss: 'mnr', batchSize: BATCH, epochs: 1, maxSteps: steps, lr: 2e-5, backend: 'wasm' },
    runner === 'python' ? { runner, python, device: 'cpu' } : { runner },
  );
  const ends = (await readMetrics(r.run)).filter((m) => typeof m.loss === 'number').map((m) => (m.ms as number) / 1000);
  const config = JSON.parse(readFileSync(path.join(r.run, 'config.json'), 'utf8')) as { options?: { miniBatch?: number } };
  return { seconds: perStep(ends), miniBatch: config.options?.miniBatch };
}

function bareSteps(python: string, model: string, file: string, steps: number): number {
  const r = spawnSync(python, [path.join(__dirname, 'st_bare_trainer.py'), model, file, String(BATCH), String(steps), String(TOKENS)], {
    encoding: 'utf8',
    env: { ...process.env, TQDM_DISABLE: '1' },
  });
  if (r.status !== 0) throw new Error(`st_bare_trainer.py failed (${r.status}): ${r.stderr.slice(-1500)}`);
  return perStep((JSON.parse(r.stdout.trim().split('\n').pop()!) as { stepEnds: number[] }).stepEnds);
}

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
      const builtinSteps = 3;
      const file = path.join(dir, 'pairs.jsonl');
      writePairs(file, pySteps * BATCH);
      const single = wasmStep('0');
      const threaded = wasmStep('');
      const builtin = await runnerSteps(dir, model, file, builtinSteps, 'builtin');
      const runner = await runnerSteps(dir, model, file, pySteps, 'python', python);
      const bare = bareSteps(python, model, file, pySteps);
      const shape = `MiniLM-L6 shape (random weights), MNR, batch ${BATCH} (${2 * BATCH} texts × ${TOKENS} tokens)`;
      return [
        {
          task: `full mode, ${shape}: python runner (CPU) vs builtin`,
          ours: `${fmtSeconds(runner.seconds)}/step (python runner, torch CPU, ${pySteps - 1} timed steps)`,
          baseline: `${fmtSeconds(builtin.seconds)}/step (builtin, tfjs wasm ${threaded.threads} threads${builtin.miniBatch ? `, automatic --mini-batch ${builtin.miniBatch}` : ''}, ${builtinSteps - 1} timed steps)`,
          ratio: fmtRatio(builtin.seconds / runner.seconds),
          note: 'the issue expects ≥ 4×; seconds per step after the first, from metrics.jsonl',
        },
        {
          task: `full mode, ${shape}: python runner vs bare SentenceTransformerTrainer (same venv, data, steps)`,
          ours: `${fmtSeconds(runner.seconds)}/step (python runner)`,
          baseline: `${fmtSeconds(bare)}/step (bench/st_bare_trainer.py)`,
          ratio: fmtRatio(bare / runner.seconds),
          note: 'the runner’s overhead (planned batches, metrics lines, checkpoints); the issue expects ≥ 0.95×',
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
