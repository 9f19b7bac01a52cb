/**
 * Child process of wasm-threads.test.ts (the wasm backend starts once per process): starts the
 * training backend on wasm and prints its build info and a matmul's values.
 */
import { tf, useTrainingBackend, wasmBuildInfo } from '../../../src/engine/train/backend';

async function main(): Promise<void> {
  const backend = await useTrainingBackend('wasm');
  const a = tf.tensor2d(Float32Array.from({ length: 64 * 64 }, (_, i) => Math.sin(i)), [64, 64]);
  const product = Array.from(tf.matMul(a, a).dataSync());
  process.stdout.write(JSON.stringify({ backend, build: wasmBuildInfo(), product }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exit(1);
});
