/**
 * Training bench: head-mode steps per second (10k scored pairs, 384-d, batch 32), the wasm
 * backend against the pure-JS cpu backend on the same run, and plain matmul GFLOP/s.
 * Full mode on the MiniLM-L6 shape (6 layers, 384 hidden, 12 heads, FFN 1536, vocab 30522,
 * random weights): tokens per second of the real training loop, the GFLOP/s that achieves
 * against a plain matmul measured in the same run, and wasm against cpu on one training step.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRow, BenchSection } from './types';
import { fmtRatio, fmtSeconds } from './types';
import { encoderProviders } from '../src/engine/encoders/registry';
import type { EncoderContext } from '../src/engine/encoders/provider';
import type { Encoder } from '../src/engine/encoders/encoder';
import { createRng, gaussian } from '../src/engine/util/random';
import { train } from '../src/engine/train/trainer';
import { tf, useTrainingBackend, type TrainingBackend } from '../src/engine/train/backend';
import { readMetrics } from '../src/engine/train/runs';
import { MINILM_L6_CONFIG, type BertConfig } from '../src/engine/onnx/bert-config';
import { randomBertWeights } from '../src/engine/onnx/bert-weights';
import { writeModelFolder } from '../src/engine/onnx/model-folder-writer';
import { TfBert } from '../src/engine/train/transformer/bert-model';
import { DropoutSeeds } from '../src/engine/train/transformer/layers';
import { padTokenBatch } from '../src/engine/train/transformer/token-batch';
import { normalizeEmbeddings, poolTokens } from '../src/engine/train/transformer/pooling';
import { computeLoss } from '../src/engine/train/losses/index';
import { AdamW } from '../src/engine/train/adamw';
import { SentenceModel } from '../src/engine/train/transformer/sentence-model';
import { stepGradients } from '../src/engine/train/transformer/step-gradients';

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

/** The registry's encoders plus "bench-hash:<dim>". */
const benchEncoders: EncoderContext = {
  providers: [{ kind: 'bench-hash', describe: 'bench', matches: (s) => s.startsWith('bench-hash:'), create: async (s) => hashEncoder(Number(s.split(':')[1])) }, ...encoderProviders],
};

async function headRun(file: string, root: string, backend: TrainingBackend): Promise<{ stepsPerSecond: number; seconds: number; steps: number }> {
  let first = 0;
  let firstStep = 0;
  const r = await train({
    root,
    train: { file },
    evalFraction: 0,
    loss: 'cosine',
    encoder: `bench-hash:${DIM}`,
    encoderContext: benchEncoders,
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

const MINILM_TOKENIZER = new URL('../test/fixtures/models/hub/all-MiniLM-L6-v2/tokenizer.json', import.meta.url).pathname;

/** Floating-point operations of one training step (forward + backward ≈ 3 × forward) on `texts` × `sequence` tokens. */
function bertTrainingFlops(c: BertConfig, texts: number, sequence: number): number {
  const t = texts * sequence;
  const h = c.hiddenSize;
  const perLayer = 2 * t * (4 * h * h + 2 * h * c.intermediateSize) + 2 * 2 * t * sequence * h; // dense layers + QKᵀ and PV
  return 3 * c.numHiddenLayers * perLayer;
}

/** Pairs of ~`words`-word texts drawn from the tokenizer's plain word pieces (deterministic). */
function writeWordPairs(file: string, n: number, words: number): void {
  const vocab = Object.keys((JSON.parse(readFileSync(MINILM_TOKENIZER, 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab).filter((w) =>
    /^[a-z]{3,}$/.test(w),
  );
  const rng = createRng(5);
  const text = () => Array.from({ length: words }, () => vocab[Math.floor(rng() * vocab.length)]).join(' ');
  writeFileSync(file, Array.from({ length: n }, () => JSON.stringify({ text1: text(), text2: text() })).join('\n') + '\n');
}

/** Full mode through `train()` on the MiniLM-L6 shape: tokens/s and achieved GFLOP/s over the steps after the first. */
async function fullRun(dir: string, steps: number, batchSize: number): Promise<{ tokensPerSecond: number; gflops: number; secondsPerStep: number; tokens: number; texts: number; sequence: number }> {
  const model = path.join(dir, 'minilm-l6-random');
  writeModelFolder(model, { config: MINILM_L6_CONFIG, weights: randomBertWeights(MINILM_L6_CONFIG, 1), tokenizerJsonPath: MINILM_TOKENIZER, maxSeqLength: 128 });
  const file = path.join(dir, 'full-pairs.jsonl');
  writeWordPairs(file, steps * batchSize, 24);
  const r = await train({ root: dir, mode: 'full', encoder: model, train: { file }, evalFraction: 0, loss: 'mnr', batchSize, epochs: 1, maxSteps: steps, lr: 2e-5, backend: 'wasm' });
  const lines = (await readMetrics(r.run)).filter((m) => typeof m.loss === 'number') as { ms: number; texts: number; sequence: number }[];
  const timed = lines.slice(1); // the first step compiles and allocates
  const seconds = (timed[timed.length - 1].ms - lines[0].ms) / 1000;
  const tokens = timed.reduce((s, m) => s + m.texts * m.sequence, 0);
  const flops = timed.reduce((s, m) => s + bertTrainingFlops(MINILM_L6_CONFIG, m.texts, m.sequence), 0);
  return { tokensPerSecond: tokens / seconds, gflops: flops / seconds / 1e9, secondsPerStep: seconds / timed.length, tokens: tokens / timed.length, texts: timed[0].texts, sequence: timed[0].sequence };
}

/** One MNR training step of the MiniLM-L6 shape on `texts` × `sequence` tokens (forward, backward, AdamW), in tokens/s. */
async function fullStepTokensPerSecond(backend: TrainingBackend, texts: number, sequence: number, warmup: boolean): Promise<number> {
  await useTrainingBackend(backend);
  const bert = TfBert.fromWeights(MINILM_L6_CONFIG, randomBertWeights(MINILM_L6_CONFIG, 1));
  const optimizer = new AdamW();
  const batch = padTokenBatch(
    Array.from({ length: texts }, (_, b) => Array.from({ length: sequence }, (_, s) => 1000 + ((b * 131 + s * 17) % 20000))),
    0,
    MINILM_L6_CONFIG,
  );
  const step = (k: number) => {
    const { value, grads } = tf.variableGrads(() => {
      const y = normalizeEmbeddings(poolTokens(bert.forward(batch, new DropoutSeeds(k), { hidden: 0.1, attention: 0.1 }), batch, ['mean']));
      const n = texts / 2;
      return computeLoss('mnr', { a: tf.slice(y, [0, 0], [n, -1]), b: tf.slice(y, [n, 0], [n, -1]) });
    }, Object.values(bert.variables));
    const named: Record<string, tf.Tensor> = {};
    for (const [name, v] of Object.entries(bert.variables)) named[name] = grads[v.name];
    optimizer.apply(bert.variables, named, 2e-5, bert.decayed);
    tf.dispose([value, ...Object.values(grads)]);
  };
  try {
    if (warmup) step(0);
    const t = performance.now();
    step(1);
    return (texts * sequence) / ((performance.now() - t) / 1000);
  } finally {
    bert.dispose();
    optimizer.dispose();
  }
}

/**
 * One MNR step (loss + gradients, no optimizer) on `pairs` pairs of the MiniLM-L6 shape, in one
 * pass and with the gradient cache: peak tensor memory (tf.profile) and seconds (a separate,
 * unprofiled call after a warm-up of each).
 */
async function gradientCacheStep(modelDir: string, pairs: number, miniBatch: number): Promise<{ onePass: { peakMB: number; seconds: number }; cached: { peakMB: number; seconds: number }; texts: number }> {
  await useTrainingBackend('wasm');
  const file = path.join(modelDir, '..', 'cache-pairs.jsonl');
  writeWordPairs(file, pairs, 24);
  const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text1: string; text2: string });
  const texts = [...rows.map((r) => r.text1), ...rows.map((r) => r.text2)];
  const model = SentenceModel.load(modelDir);
  const input = (mb: number | undefined) => ({
    model,
    texts,
    build: (y: tf.Tensor2D) => ({ a: tf.slice(y, [0, 0], [pairs, -1]) as tf.Tensor2D, b: tf.slice(y, [pairs, 0], [pairs, -1]) as tf.Tensor2D }),
    loss: 'mnr' as const,
    lossOptions: {},
    dropoutSeed: 1,
    miniBatch: mb,
  });
  const measure = async (mb: number | undefined) => {
    tf.dispose(Object.values(stepGradients(input(mb)).grads)); // warm-up
    const t = performance.now();
    tf.dispose(Object.values(stepGradients(input(mb)).grads));
    const seconds = (performance.now() - t) / 1000;
    let held: tf.Tensor[] = [];
    const info = await tf.profile(() => {
      held = Object.values(stepGradients(input(mb)).grads);
    });
    tf.dispose(held);
    return { peakMB: info.peakBytes / 1e6, seconds };
  };
  try {
    return { onePass: await measure(undefined), cached: await measure(miniBatch), texts: texts.length };
  } finally {
    model.dispose();
  }
}

export const trainBench: BenchSection = {
  name: 'train',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'embedlab-bench-train-'));
    try {
      const file = path.join(dir, 'pairs.jsonl');
      writePairs(file, 10_000);
      const wasm = await headRun(file, dir, 'wasm');
      const cpu = await headRun(file, dir, 'cpu');
      const gw = await matmulGflops('wasm');
      const gc = await matmulGflops('cpu');
      const full = await fullRun(dir, 4, 16);
      const gwAfter = await matmulGflops('wasm');
      const cache = await gradientCacheStep(path.join(dir, 'minilm-l6-random'), 32, 8);
      // wasm vs pure-JS cpu on one step of a small batch (a cpu step of the full batch takes minutes)
      const stepWasm = await fullStepTokensPerSecond('wasm', 8, 16, true);
      const stepCpu = await fullStepTokensPerSecond('cpu', 8, 16, false);
      await useTrainingBackend('auto');
      const plain = (gw + gwAfter) / 2;
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
        {
          task: `full mode, MiniLM-L6 shape (6×384, 12 heads, FFN 1536, vocab 30522, random weights), MNR, ${full.texts} texts × ${full.sequence} tokens per step, 3 timed steps`,
          ours: `${full.tokensPerSecond.toFixed(0)} tokens/s (wasm), ${fmtSeconds(full.secondsPerStep)}/step`,
          baseline: '',
          ratio: '',
          note: 'forward + backward + AdamW over all 22.7M weights, dropout on',
        },
        {
          task: 'full mode achieved GFLOP/s vs a plain matmul in the same run',
          ours: `${full.gflops.toFixed(2)} GFLOP/s (training step, 3 × forward FLOPs)`,
          baseline: `${plain.toFixed(2)} GFLOP/s (matmul 512³, wasm)`,
          ratio: fmtRatio(full.gflops / plain),
          note: 'the fraction of plain-matmul speed that training reaches',
        },
        {
          task: `full mode, gradient cache (--mini-batch 8, as CachedMNRL): one MNR step on ${cache.texts} texts × ~26 tokens, MiniLM-L6 shape`,
          ours: `peak ${cache.cached.peakMB.toFixed(0)} MB of tensors, ${fmtSeconds(cache.cached.seconds)}`,
          baseline: `peak ${cache.onePass.peakMB.toFixed(0)} MB, ${fmtSeconds(cache.onePass.seconds)} (one pass)`,
          ratio: fmtRatio(cache.onePass.peakMB / cache.cached.peakMB),
          note: `memory saved (baseline / ours); time ${fmtRatio(cache.onePass.seconds / cache.cached.seconds)} of one pass (the cache embeds twice); same gradients`,
        },
        {
          task: 'full mode, one training step, MiniLM-L6 shape, 8 texts × 16 tokens',
          ours: `${stepWasm.toFixed(0)} tokens/s (wasm)`,
          baseline: `${stepCpu.toFixed(1)} tokens/s (cpu)`,
          ratio: fmtRatio(stepWasm / stepCpu),
          note: 'tfjs wasm vs pure-JS cpu backend',
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
