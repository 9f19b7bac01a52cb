/**
 * Runs a scikit-learn timing snippet on a Float32 matrix written to a temp file, when a
 * Python with scikit-learn is present (/work/refenv or Debian's python3-sklearn).
 * Returns the seconds the snippet printed, or undefined when there is no baseline.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Matrix } from '../src/engine/util/matrix';

let python: string | null | undefined;

function findPython(): string | null {
  if (python !== undefined) return python;
  for (const p of [process.env.EMBEDLAB_BENCH_PYTHON, '/work/refenv/bin/python', 'python3']) {
    if (!p || (p.includes('/') && !existsSync(p))) continue;
    const r = spawnSync(p, ['-c', 'import sklearn'], { encoding: 'utf8' });
    if (r.status === 0) return (python = p);
  }
  return (python = null);
}

/** `code` sees `x` (float32 n×d numpy array) and must print the measured seconds last. */
export function sklearnSeconds(x: Matrix, code: string): number | undefined {
  const py = findPython();
  if (!py) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-bench-sk-'));
  try {
    const file = path.join(dir, 'x.f32');
    writeFileSync(file, Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength));
    const script = `import numpy as np, time, warnings\nwarnings.filterwarnings('ignore')\nx = np.fromfile(${JSON.stringify(file)}, dtype=np.float32).reshape(${x.rows}, ${x.cols})\n${code}\n`;
    const r = spawnSync(py, ['-c', script], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    if (r.status !== 0) return undefined;
    const last = r.stdout.trim().split('\n').pop();
    const s = Number(last);
    return Number.isFinite(s) ? s : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
