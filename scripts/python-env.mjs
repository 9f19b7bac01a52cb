// Creates (or reuses) the Python environment of the python- and ray-runner tests: a venv outside
// the repo, keyed by a hash of python/requirements.txt and python/requirements-ray.txt, with both
// installed from the package index pip is configured with (one pip call).
//   node scripts/python-env.mjs          prints the venv's python path (creating it if needed)
// Folder: $EMBEDLAB_PY_ENV_DIR, else ~/.cache/embedding-lab/test-venv-<hash>.
// $EMBEDLAB_TEST_PYTHON, when set, is used as is (nothing is created).
// Exits non-zero with the reason when no environment can be made (no python3 at all, pip fails).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requirements = join(repo, 'python', 'requirements.txt');
const rayRequirements = join(repo, 'python', 'requirements-ray.txt');

function fail(message) {
  process.stderr.write(`[python-env] ${message}\n`);
  process.exit(1);
}

function run(cmd, args) {
  process.stderr.write(`[python-env] ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 2, 2] });
  if (r.error) return r.error.message;
  return r.status === 0 ? undefined : `exit ${r.status ?? r.signal}`;
}

function venvPython(dir) {
  return process.platform === 'win32' ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
}

export function ensurePythonEnv() {
  if (process.env.EMBEDLAB_TEST_PYTHON) return process.env.EMBEDLAB_TEST_PYTHON;
  const hash = createHash('sha256').update(readFileSync(requirements)).update(readFileSync(rayRequirements)).digest('hex').slice(0, 12);
  const dir = process.env.EMBEDLAB_PY_ENV_DIR ?? join(homedir(), '.cache', 'embedding-lab', `test-venv-${hash}`);
  const marker = join(dir, '.embedlab-requirements-sha');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash && existsSync(venvPython(dir))) return venvPython(dir);
  const base = process.env.PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');
  const probe = spawnSync(base, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) fail(`no Python found ("${base}"): install Python 3.10+ or set EMBEDLAB_TEST_PYTHON`);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  const started = Date.now();
  let error = run(base, ['-m', 'venv', tmp]);
  if (!error) error = run(venvPython(tmp), ['-m', 'pip', 'install', '--retries', '0', '-r', requirements, '-r', rayRequirements]);
  if (error) {
    rmSync(tmp, { recursive: true, force: true });
    fail(`could not create the test venv (${error})`);
  }
  writeFileSync(join(tmp, '.embedlab-requirements-sha'), hash + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  process.stderr.write(`[python-env] created ${dir} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return venvPython(dir);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(ensurePythonEnv() + '\n');
}
