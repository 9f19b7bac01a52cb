/**
 * scikit-learn baselines, measured in the same bench run when a Python with scikit-learn is
 * present: $EMBEDLAB_BENCH_PYTHON, else $EMBEDLAB_REFENV/bin/python (the reference environment),
 * else `python3` on the PATH (e.g. Debian's python3-sklearn). Without one, no baseline.
 * BLAS/OpenMP run on one thread, like our single-threaded JavaScript (noted in the table).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Matrix } from '../src/engine/util/matrix';
import { findPeerPython } from './peer-python';

/** A Python with scikit-learn: its path, and how it was found (for result notes: no machine paths). */
export interface SklearnPython {
  path: string;
  source: string;
  sklearn: string;
}

/** The first Python that imports scikit-learn, with its version; null when there is none. */
export function findSklearnPython(): SklearnPython | null {
  const py = findPeerPython(['sklearn']);
  return py && { path: py.path, source: py.source, sklearn: py.versions.sklearn };
}

/** Environment for a baseline: one BLAS/OpenMP thread. */
const SINGLE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/**
 * Runs a Python script with scikit-learn and parses the JSON object it prints last; undefined
 * when there is no such Python. Throws with the script's stderr when it fails.
 */
export function runSklearnScript<T>(script: string, args: readonly string[] = []): T | undefined {
  const py = findSklearnPython();
  if (!py) return undefined;
  const r = spawnSync(py.path, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 16 << 20, env: { ...process.env, ...SINGLE_THREAD } });
  if (r.status !== 0) throw new Error(`scikit-learn baseline failed: ${r.stderr.trim().split('\n').pop() ?? r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

/**
 * Runs `code`, which sees `x` (the matrix as an n×d float32 numpy array) and prints a JSON value
 * last; returns it, or undefined when there is no Python with scikit-learn or the script fails.
 */
export function sklearnOnMatrix<T>(x: Matrix, code: string): T | undefined {
  const py = findSklearnPython();
  if (!py) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-bench-sk-'));
  try {
    const file = path.join(dir, 'x.f32');
    writeFileSync(file, Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength));
    const script = `import numpy as np, time, json, warnings\nwarnings.filterwarnings('ignore')\nx = np.fromfile(${JSON.stringify(file)}, dtype=np.float32).reshape(${x.rows}, ${x.cols})\n${code}\n`;
    const r = spawnSync(py.path, ['-c', script], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...SINGLE_THREAD } });
    if (r.status !== 0) return undefined;
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `code` sees `x` (float32 n×d numpy array) and must print the measured seconds last. */
export function sklearnSeconds(x: Matrix, code: string): number | undefined {
  const s = sklearnOnMatrix<number>(x, code);
  return typeof s === 'number' && Number.isFinite(s) ? s : undefined;
}

/** "scikit-learn 1.9.1 ($EMBEDLAB_REFENV/bin/python, 1 thread)", or why there is no baseline. */
export function sklearnLabel(): string {
  const py = findSklearnPython();
  return py ? `scikit-learn ${py.sklearn} (${py.source}, 1 thread)` : 'no Python with scikit-learn found: baseline skipped';
}
