/**
 * The one place that chooses the TensorFlow.js backend for training: tfjs-node when it
 * happens to be installed, else the WebAssembly backend, else the pure-JS cpu backend.
 * `EMBEDLAB_TF_BACKEND=tensorflow|wasm|cpu` forces one.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tfBackendFromEnv, tfjsWasmDirFromEnv } from '../env';

export type TrainingBackend = 'tensorflow' | 'wasm' | 'cpu';

// Production mode: no "install tfjs-node" banner on stderr (it would precede --json output).
tf.env().set('PROD', true);

let wasmPathsSet = false;
let nodeTried = false;
let backendChosen = false;

/**
 * The folder holding the tfjs-backend-wasm `.wasm` files, for `setWasmPaths` in Node:
 * `EMBEDLAB_TFJS_WASM_DIR` when set (the bundled engine sets it to its own folder, where
 * the build copies them: the packaged extension ships no node_modules/@tensorflow),
 * else the installed package's dist/ folder.
 */
export function wasmDistDir(): string {
  const fromEnv = tfjsWasmDirFromEnv();
  if (fromEnv) return fromEnv.endsWith(path.sep) || fromEnv.endsWith('/') ? fromEnv : fromEnv + path.sep;
  // In a bundle (dist/engine-process.js, dist/cli.js) the build puts them next to the script.
  if (existsSync(path.join(__dirname, 'tfjs-backend-wasm.wasm'))) return __dirname + path.sep;
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  // entry is …/tfjs-backend-wasm/dist/<file>.js
  return path.dirname(entry) + path.sep;
}

async function tryNode(): Promise<boolean> {
  if (!nodeTried) {
    nodeTried = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      return false;
    }
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      return false;
    }
  }
  return tf.findBackendFactory('tensorflow') !== null && (await tf.setBackend('tensorflow'));
}

async function tryWasm(): Promise<boolean> {
  try {
    if (!wasmPathsSet) {
      setWasmPaths(wasmDistDir());
      wasmPathsSet = true;
    }
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/**
 * Makes `prefer` the active backend (or the best available with "auto") and returns its name.
 * Safe to call many times; switching backends moves no tensors, so switch between jobs only.
 */
export async function useTrainingBackend(prefer: TrainingBackend | 'auto' = 'auto'): Promise<TrainingBackend> {
  const forced = tfBackendFromEnv() as TrainingBackend | undefined;
  const want = prefer === 'auto' && forced ? forced : prefer;
  const current = tf.getBackend() as TrainingBackend | undefined;
  if (want !== 'auto' && current === want) return want;
  if (want === 'auto' && backendChosen && current) return current;
  const order: TrainingBackend[] = want === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [want];
  for (const name of order) {
    const ok = name === 'tensorflow' ? await tryNode() : name === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      backendChosen = true;
      return name;
    }
  }
  throw new Error(`the TensorFlow.js backend "${want}" is not available`);
}

/** The tfjs module, for code that builds tensors (after `useTrainingBackend`). */
export { tf };
