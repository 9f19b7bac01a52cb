/**
 * The Python the python runner uses, and what it has: the interpreter comes from the caller
 * (--python, the embeddingLab.python setting), else EMBEDLAB_PYTHON, else python3 (python on
 * Windows) on PATH. `checkPythonEnvironment` runs the shipped package's --check and says what to
 * install when torch or sentence-transformers' training extras are missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import type { DeviceName } from './runner';
import { inheritedEnvironment, pythonFromEnv, type Environment } from '../../env';

export interface PythonEnvironment {
  python: string;
  version: string;
  packages: Record<string, string>;
  /** Devices torch sees, best first (always ends with cpu). */
  devices: string[];
  cudaName?: string;
}

/** The interpreter to use: the explicit one, else EMBEDLAB_PYTHON, else python3/python on PATH. */
export function pythonCommand(explicit?: string, env?: Environment): string {
  const chosen = explicit?.trim() || pythonFromEnv(env);
  if (chosen) return chosen;
  return process.platform === 'win32' ? 'python' : 'python3';
}

/**
 * The folder holding the shipped package `embedlab_train` and its requirements.txt: `python/`
 * at the root of the installed extension or CLI (found from this file, never from the cwd).
 */
export function pythonPackageRoot(from: string = __dirname): string {
  for (let d = from, i = 0; i < 8; i++, d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (existsSync(pkg) && existsSync(path.join(d, 'python', 'embedlab_train', '__main__.py'))) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'embedding-lab') return path.join(d, 'python');
      } catch {
        /* keep looking */
      }
    }
  }
  throw new Error(`the training script (python/embedlab_train) is not installed beside ${from}; reinstall Embedding Lab`);
}

/** The environment of a child Python process that can import the shipped package. */
export function pythonChildEnv(env: NodeJS.ProcessEnv = inheritedEnvironment()): NodeJS.ProcessEnv {
  const root = pythonPackageRoot();
  return { ...env, PYTHONPATH: env.PYTHONPATH ? `${root}${path.delimiter}${env.PYTHONPATH}` : root, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
}

function run(python: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(python, args, { env: pythonChildEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: null, stdout, stderr, error: e as Error });
      return;
    }
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (error) => resolve({ code: null, stdout, stderr, error }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Environments that passed the check, by interpreter (a failed check is always run again). */
const checked = new Map<string, Promise<PythonEnvironment>>();

/** Checks that `python` runs and can train (once per interpreter and process); InputError saying what to install otherwise. */
export async function checkPythonEnvironment(python: string, device: DeviceName = 'auto'): Promise<PythonEnvironment> {
  let pending = checked.get(python);
  if (!pending) {
    pending = probePython(python);
    checked.set(python, pending);
    pending.catch(() => checked.delete(python));
  }
  const env = await pending;
  if (device !== 'auto' && !env.devices.includes(device))
    throw new InputError(`--device ${device}: torch at "${python}" sees only ${env.devices.join(', ')}`, { field: 'device' });
  return env;
}

async function probePython(python: string): Promise<PythonEnvironment> {
  const requirements = path.join(pythonPackageRoot(), 'requirements.txt');
  const install = `${python} -m pip install -r "${requirements}"`;
  const r = await run(python, ['-m', 'embedlab_train', '--check']);
  if (r.error || r.code === null)
    throw new InputError(
      `cannot run Python "${python}" (${r.error?.message ?? 'killed'}): install Python 3.10+, or name the interpreter with --python, EMBEDLAB_PYTHON or the embeddingLab.python setting`,
      { field: 'python' },
    );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let info: { python: string; packages: Record<string, string>; missing: string[]; devices: string[]; cudaName?: string };
  try {
    info = JSON.parse(line) as typeof info;
  } catch {
    throw new InputError(`"${python}" could not run the training script's check (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`, { field: 'python' });
  }
  if (info.missing.length > 0)
    throw new InputError(
      `the Python "${python}" cannot train: missing ${info.missing.join('; ')}. Install the runner's requirements with: ${install}`,
      { field: 'python' },
    );
  return { python, version: info.python, packages: info.packages, devices: info.devices, cudaName: info.cudaName };
}
