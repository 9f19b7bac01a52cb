/**
 * Child of the train-runners bench (the wasm backend starts once per process, so the threaded
 * and single-threaded builds need one process each): one MNR training step of the MiniLM-L6
 * shape on `texts` × `sequence` tokens, after a warm-up step. Prints {"seconds", "threads"}.
 *   node --import tsx bench/wasm-step-child.ts <texts> <sequence>
 */
import { tf, useTrainingBackend, wasmBuildInfo } from '../src/engine/train/backend';
import { MINILM_L6_CONFIG } from '../src/engine/onnx/bert-config';
import { randomBertWeights } from '../src/engine/onnx/bert-weights';
import { TfBert } from '../src/engine/train/transformer/bert-model';
import { DropoutSeeds } from '../src/engine/train/transformer/layers';
import { padTokenBatch } from '../src/engine/train/transformer/token-batch';
import { normalizeEmbeddings, poolTokens } from '../src/engine/train/transformer/pooling';
import { computeLoss } from '../src/engine/train/losses/index';

async function main(): Promise<void> {
  const texts = Number(process.argv[2]);
  const sequence = Number(process.argv[3]);
  await useTrainingBackend('wasm');
  const bert = TfBert.fromWeights(MINILM_L6_CONFIG, randomBertWeights(MINILM_L6_CONFIG, 1));
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
    tf.dispose([value, ...Object.values(grads)]);
  };
  step(0);
  const t = performance.now();
  step(1);
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - t) / 1000, threads: wasmBuildInfo()?.threads ?? 1 }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exit(1);
});
