/**
 * The one place that chooses the TensorFlow.js backend for training: tfjs-node when it
 * happens to be installed, else the WebAssembly backend, else the pure-JS cpu backend.
 * `EMBEDLAB_TF_BACKEND=tensorflow|wasm|cpu` forces one. The wasm backend uses its threaded
 * SIMD build where this Node can run it (wasm-threads.ts), else the single-threaded SIMD build;
 * `EMBEDLAB_WASM_THREADS=0` keeps it single-threaded, `EMBEDLAB_WASM_THREADS=<n>` sets the count.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tfBackendFromEnv, tfjsWasmDirFromEnv, wasmThreadsFromEnv } from '../env';
import { findThreadedSimdScripts, nodeSupportsWasmThreads, unrefPthreadWorkers, withPthreadWorkers } from './wasm-threads';

export type TrainingBackend = 'tensorflow' | 'wasm' | 'cpu';

// Production mode: no "install tfjs-node" banner on stderr (it would precede --json output).
tf.env().set('PROD', true);

let wasmPathsSet = false;
let wasmInitTried = false;
/** How the wasm backend started: its build, thread count, and why threads are off when they are. */
let wasmBuild: WasmBuildInfo | undefined;

export interface WasmBuildInfo {
  threaded: boolean;
  threads: number;
  /** Why the single-threaded build runs (when it does). */
  reason?: string;
}
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
    if (!wasmInitTried && tf.findBackend('wasm') === null) {
      wasmInitTried = true;
      return await initWasm();
    }
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/** The first wasm initialisation: the threaded build when possible, else (or when it fails) the single-threaded one. */
async function initWasm(): Promise<boolean> {
  const wanted = wasmThreadsFromEnv();
  const scripts = findThreadedSimdScripts(wasmDistDir());
  const reason = !wanted.enabled
    ? 'EMBEDLAB_WASM_THREADS=0'
    : !nodeSupportsWasmThreads()
      ? 'this Node has no shared WebAssembly memory'
      : !scripts
        ? 'the threaded build\'s scripts are not installed beside the wasm files'
        : undefined;
  if (!reason && scripts) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    if (wanted.count) setThreadsCount(wanted.count);
    let ok = false;
    try {
      ok = await withPthreadWorkers(scripts, () => tf.setBackend('wasm'));
    } catch {
      ok = false;
    }
    if (ok) {
      unrefPthreadWorkers((tf.findBackend('wasm') as unknown as { wasm?: Parameters<typeof unrefPthreadWorkers>[0] } | null)?.wasm);
      wasmBuild = { threaded: true, threads: getThreadsCount() };
      return true;
    }
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmBuild = { threaded: false, threads: 1, reason: 'the threaded build failed to start' };
  } else {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmBuild = { threaded: false, threads: 1, reason };
  }
  return await tf.setBackend('wasm');
}

/** The wasm backend's build and thread count (undefined before it started). */
export function wasmBuildInfo(): WasmBuildInfo | undefined {
  return wasmBuild;
}

interface WasmModuleMemory {
  HEAPU8?: Uint8Array;
  wasmMemory?: { buffer: ArrayBufferLike };
  asm?: { memory?: { buffer: ArrayBufferLike } };
}

/**
 * Bytes of the wasm backend's linear memory (undefined when it has not started). The memory
 * only ever grows, so after a training step this is at least that step's peak.
 */
export function wasmHeapBytes(): number | undefined {
  const backend = tf.findBackend('wasm') as unknown as { wasm?: WasmModuleMemory } | null;
  const m = backend?.wasm;
  if (!m) return undefined;
  const memory = m.wasmMemory ?? m.asm?.memory;
  return memory ? memory.buffer.byteLength : m.HEAPU8?.buffer.byteLength;
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
