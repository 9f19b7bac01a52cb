import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bertConfig, MINILM_L6_CONFIG } from '../../../src/engine/onnx/bert-config';
import { estimateStepMemory, planStepMemory, WASM_MEMORY_LIMIT_BYTES, WASM_MEMORY_SAFETY } from '../../../src/engine/train/transformer/memory-estimate';
import { train } from '../../../src/engine/train/trainer';
import { readMetrics } from '../../../src/engine/train/runs';
import { InputError } from '../../../src/engine/util/errors';
import type { MemoryRecord } from '../../../src/engine/train/transformer/memory-check';
import type { MemoryProbe } from './memory-probe-child';
import { tempDir, writePairsFile, writeTinyModel } from './full-helpers';

const BUDGET = WASM_MEMORY_LIMIT_BYTES * WASM_MEMORY_SAFETY;

/** The wasm memory after one real step of `p`, in a fresh process (the memory never shrinks). */
function measuredHeap(p: MemoryProbe): number {
  const child = path.join(__dirname, 'memory-probe-child.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, JSON.stringify(p)], { encoding: 'utf8', env: { ...process.env, EMBEDLAB_WASM_THREADS: '0' } });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { heapBytes: number }).heapBytes;
}

function estimateOf(p: MemoryProbe): number {
  const c = bertConfig({ vocabSize: 30522, hiddenSize: p.hidden, numHiddenLayers: p.layers, numAttentionHeads: p.heads, intermediateSize: p.intermediate, maxPositionEmbeddings: 512 });
  return estimateStepMemory(c, { texts: 2 * p.pairs, sequence: p.tokens, miniBatch: p.miniBatch }).bytes;
}

test('the estimate is within 20 % of the wasm memory measured after a real step (one pass, CoSENT, gradient cache)', () => {
  const shapes: MemoryProbe[] = [
    { layers: 2, hidden: 64, heads: 4, intermediate: 256, pairs: 16, tokens: 64, loss: 'mnr' },
    { layers: 4, hidden: 128, heads: 4, intermediate: 512, pairs: 8, tokens: 48, loss: 'cosent' },
    { layers: 2, hidden: 128, heads: 8, intermediate: 512, pairs: 32, tokens: 128, loss: 'mnr', miniBatch: 8 },
  ];
  for (const p of shapes) {
    const measured = measuredHeap(p);
    const ratio = estimateOf(p) / measured;
    assert.ok(Math.abs(ratio - 1) <= 0.2, `${JSON.stringify(p)}: estimated ${(estimateOf(p) / 1e6).toFixed(0)} MB, measured ${(measured / 1e6).toFixed(0)} MB`);
  }
});

test('MiniLM-L6, MNR, batch 32 at 64 tokens overflows the 4 GB in one pass; the largest fitting mini-batch is picked', () => {
  const step = { texts: 64, sequence: 64 };
  const plan = planStepMemory(MINILM_L6_CONFIG, step);
  assert.equal(plan.kind, 'mini-batch');
  if (plan.kind !== 'mini-batch') return;
  assert.ok(plan.whole.bytes > WASM_MEMORY_LIMIT_BYTES, `one pass estimated at ${plan.whole.bytes}`);
  assert.ok(plan.estimate.bytes <= BUDGET);
  assert.ok(plan.miniBatch >= 1 && plan.miniBatch < 64);
  assert.ok(estimateStepMemory(MINILM_L6_CONFIG, { ...step, miniBatch: plan.miniBatch + 1 }).bytes > BUDGET, 'a larger mini-batch would still fit');
  // Batch 8 at 64 tokens fits as it is.
  assert.equal(planStepMemory(MINILM_L6_CONFIG, { texts: 16, sequence: 64 }).kind, 'fits');
});

test('a step too large for any mini-batch, or with a user mini-batch too large, says what to change', () => {
  const huge = { ...MINILM_L6_CONFIG, numHiddenLayers: 24, hiddenSize: 1024, intermediateSize: 4096, numAttentionHeads: 16 };
  const none = planStepMemory(huge, { texts: 64, sequence: 512 }, 1e9);
  assert.equal(none.kind, 'too-large');
  if (none.kind === 'too-large') assert.match(none.advice, /sequence length|python/);
  const user = planStepMemory(MINILM_L6_CONFIG, { texts: 64, sequence: 64, miniBatch: 60 });
  assert.equal(user.kind, 'too-large');
  if (user.kind === 'too-large') assert.match(user.advice, /smaller --mini-batch \(the largest that fits is \d+\)/);
});

test('full mode picks a mini-batch when a step exceeds the budget: said in the output, recorded in config.json, same loss', async () => {
  const dir = tempDir();
  const base = path.join(dir, 'base');
  const shape = writeTinyModel(base, { kind: 'bert', seed: 3, hidden: 32 });
  const file = writePairsFile(path.join(dir, 'pairs.jsonl'), 16);
  const common = { root: dir, mode: 'full' as const, encoder: base, train: { file }, evalFraction: 0, loss: 'mnr' as const, batchSize: 8, epochs: 1, maxSteps: 1, dropout: 0, backend: 'wasm' as const };
  const configOf = (run: string) => JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8')) as { options: { miniBatch?: number }; memory?: MemoryRecord };

  const whole = await train({ ...common, runId: 'whole' });
  const wholeMemory = configOf(whole.run).memory;
  assert.ok(wholeMemory, 'config.json records the memory estimate');
  assert.equal(wholeMemory.autoMiniBatch, false);
  assert.equal(wholeMemory.texts, 16);
  assert.equal(configOf(whole.run).options.miniBatch, undefined);

  const messages: string[] = [];
  const cached = await train({
    ...common,
    runId: 'cached',
    // Between the one-pass estimate and that of one text per pass.
    memoryBudgetBytes: (wholeMemory.estimateBytes + estimateStepMemory(shape, { texts: 16, sequence: wholeMemory.sequence, miniBatch: 1 }).bytes) / 2,
    onProgress: (p) => {
      if (p.stage === 'warning' && p.message) messages.push(p.message);
    },
  });
  const config = configOf(cached.run);
  assert.equal(config.memory?.autoMiniBatch, true);
  const mini = config.options.miniBatch;
  assert.ok(mini !== undefined && mini >= 1 && mini < 16, `mini-batch ${mini}`);
  assert.equal(config.memory?.miniBatch, mini);
  assert.ok(messages.some((m) => m.includes(`--mini-batch ${mini}`)), messages.join('\n'));
  const loss = async (run: string) => (await readMetrics(run)).find((m) => typeof m.loss === 'number')!.loss as number;
  assert.ok(Math.abs((await loss(cached.run)) - (await loss(whole.run))) < 1e-5, 'the gradient cache trains on the same loss');

  // A budget nothing fits in: an InputError naming the batch size, before any step.
  await assert.rejects(
    train({ ...common, runId: 'none', memoryBudgetBytes: 1e6 }),
    (e: unknown) => e instanceof InputError && e.field === 'batch-size' && /MB of wasm memory/.test(e.message),
  );
});
