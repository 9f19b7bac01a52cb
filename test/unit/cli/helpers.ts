// Runs `embedlab` the way a user does: in this process through src/cli/main.ts (exit codes and
// stream separation included), or as a real child process through bin/embedlab.js.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { main, type CliIo } from '../../../src/cli/main';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const BIN = path.join(REPO_ROOT, 'bin', 'embedlab.js');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const TINY_MODEL = path.join(FIXTURES, 'models', 'tiny-bert-st6');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One `embedlab …` call in this process. */
export async function runCli(...argv: string[]): Promise<CliResult> {
  return runCliWith({}, ...argv);
}

/** One `embedlab …` call in this process, with the given encoder providers instead of the registry. */
export async function runCliWith(options: { encoderProviders?: CliIo['encoderProviders'] }, ...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), encoderProviders: options.encoderProviders });
  return { code, stdout, stderr };
}

/** One `embedlab …` call as a child process (node bin/embedlab.js). */
export function spawnCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: options.cwd, env: options.env ?? process.env });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts `embedlab …` as a child process and sends SIGINT once `ready(stderr so far)` holds (checked on
 * each stderr chunk and every 50 ms, so it may also look at files). Resolves with the exit code and the streams.
 */
export function interruptCli(args: readonly string[], ready: (stderr: string) => boolean, env: NodeJS.ProcessEnv = process.env): Promise<CliResult & { interrupted: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const holds = () => {
      try {
        return ready(stderr);
      } catch {
        return false; // e.g. a file the predicate looks at moved meanwhile: look again on the next tick
      }
    };
    const check = () => {
      if (!interrupted && holds()) {
        interrupted = true;
        child.kill('SIGINT');
      }
    };
    const timer = setInterval(check, 50);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      check();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code: code ?? -1, stdout, stderr, interrupted });
    });
  });
}

/** The one JSON object a `--json` run printed; fails when stdout holds anything else. */
export function onlyJson(r: CliResult): Record<string, unknown> {
  const text = r.stdout.trim();
  if (!text.startsWith('{') || text.includes('\n')) throw new Error(`stdout is not one JSON object on one line: ${JSON.stringify(r.stdout.slice(0, 300))}\nstderr: ${r.stderr}`);
  const value = JSON.parse(text) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('stdout is not a JSON object');
  return value as Record<string, unknown>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file under `dir`, relative, sorted. Safe while another process renames files in it. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile() ?? false)
    .sort();
}

/** The size of `file`, or -1 when it does not exist (e.g. renamed a moment ago). */
export function sizeOrMissing(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? -1;
}

export interface NewsRecord {
  id: string;
  title: string;
  description: string;
  label: string;
}

/** The first `n` records of the shipped AG News sample, round-robin over its four topics. */
export function newsRecords(n: number): NewsRecord[] {
  const all = fs
    .readFileSync(path.join(FIXTURES, 'sample', 'ag-news-300.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as NewsRecord);
  const byLabel = new Map<string, NewsRecord[]>();
  for (const r of all) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r]);
  const groups = [...byLabel.values()];
  return Array.from({ length: n }, (_, i) => groups[i % groups.length][Math.floor(i / groups.length)]);
}

/** A CSV cell, quoted when it must be. */
export function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
