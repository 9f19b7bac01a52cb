/**
 * Test support for the python runner: the Python to test with (EMBEDLAB_TEST_PYTHON, else the
 * venv scripts/python-env.mjs creates or reuses; failing to get one fails the tests, it never
 * skips them), a way to run Python snippets there, and the CLI run helper.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from '../../../src/cli/args';
import type { CliCommand, CommandContext } from '../../../src/cli/command';

let cached: string | undefined;

/** The interpreter with torch (CPU), sentence-transformers[train] and onnxruntime. */
export async function testPython(): Promise<string> {
  if (cached) return cached;
  const script = path.join(__dirname, '../../../scripts/python-env.mjs');
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`no Python test environment (scripts/python-env.mjs exited ${r.status}); set EMBEDLAB_TEST_PYTHON to a Python with python/requirements.txt installed`);
  cached = r.stdout.trim().split('\n').pop()!;
  return cached;
}

/** Runs a Python snippet; its last stdout line is parsed as JSON. */
export function runPythonJson<T>(python: string, code: string, args: string[] = []): T {
  const r = spawnSync(python, ['-c', code, ...args], { encoding: 'utf8', env: { ...process.env, TQDM_DISABLE: '1' } });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

export async function runCli(cmd: CliCommand, argv: string[], signal = new AbortController().signal): Promise<{ code: number; out: string; log: string[] }> {
  let out = '';
  const log: string[] = [];
  const ctx: CommandContext = { args: parseArgs(argv, cmd.options), log: (l) => log.push(l), stdout: (t) => (out += t), signal };
  const code = await cmd.run(ctx);
  return { code, out, log };
}
