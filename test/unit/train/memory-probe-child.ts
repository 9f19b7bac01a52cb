/**
 * Child process of memory-estimate.test.ts (one shape per process, since wasm memory never
 * shrinks): writes a random model of the given shape with the MiniLM tokenizer and pairs of
 * exactly `tokens` tokens, runs one real full-mode training step on the wasm backend, and
 * prints {"heapBytes": …} — the wasm linear memory after the step, i.e. at least its peak.
 * Argument: a JSON MemoryProbe.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bertConfig } from '../../../src/engine/onnx/bert-config';
import { randomBertWeights } from '../../../src/engine/onnx/bert-weights';
import { writeModelFolder } from '../../../src/engine/onnx/model-folder-writer';
import { train } from '../../../src/engine/train/trainer';
import { wasmHeapBytes } from '../../../src/engine/train/backend';
import { HUB_TOKENIZERS, tempDir } from './full-helpers';

export interface MemoryProbe {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  /** Pairs per batch (texts per step: twice this). */
  pairs: number;
  /** Tokens per text, special tokens included. */
  tokens: number;
  miniBatch?: number;
  loss: 'mnr' | 'cosent';
}

async function main(): Promise<void> {
  const p = JSON.parse(process.argv[2]) as MemoryProbe;
  const dir = tempDir('embedlab-memprobe-');
  const tokenizer = path.join(HUB_TOKENIZERS.bert, 'tokenizer.json');
  const vocab = (JSON.parse(readFileSync(tokenizer, 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
  const config = bertConfig({ vocabSize: 30522, hiddenSize: p.hidden, numHiddenLayers: p.layers, numAttentionHeads: p.heads, intermediateSize: p.intermediate, maxPositionEmbeddings: 512 });
  const model = path.join(dir, 'model');
  writeModelFolder(model, { config, weights: randomBertWeights(config, 1), tokenizerJsonPath: tokenizer, maxSeqLength: 512 });
  const words = Object.keys(vocab).filter((w) => /^[a-z]{4,}$/.test(w));
  let k = 0;
  const text = () => Array.from({ length: p.tokens - 2 }, () => words[(k++ * 7919) % words.length]).join(' ');
  const lines = Array.from({ length: p.pairs }, (_, i) => JSON.stringify(p.loss === 'mnr' ? { text1: text(), text2: text() } : { text1: text(), text2: text(), score: (i % 5) / 4 }));
  const file = path.join(dir, 'pairs.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  await train({
    root: dir,
    mode: 'full',
    encoder: model,
    train: { file },
    evalFraction: 0,
    loss: p.loss,
    batchSize: p.pairs,
    miniBatch: p.miniBatch,
    epochs: 1,
    maxSteps: 1,
    lr: 2e-5,
    backend: 'wasm',
    memoryBudgetBytes: Number.MAX_SAFE_INTEGER,
  });
  process.stdout.write(JSON.stringify({ heapBytes: wasmHeapBytes() }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exit(1);
});
