/**
 * Several processes appending to one log at once (the panel, the CLI, another window)
 * lose no acknowledged entry, even when a writer killed mid-write left a cut-off line:
 * nothing truncates a shared log, each batch is one O_APPEND write, and the reader skips
 * (and counts) the cut lines without losing the entry after them.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readMapLabels } from '../../../src/engine/project/map-labels';
import { readAnnotations } from '../../../src/engine/project/annotations';
import { readLogLines } from '../../../src/engine/project/append-only-log';

const root = mkdtempSync(path.join(tmpdir(), 'el-logs-'));
after(() => rmSync(root, { recursive: true, force: true }));
const worker = path.join(__dirname, 'log-append-worker.ts');

interface WorkerResult {
  writer: string;
  acked: number;
  cuts: number;
}

function runWorker(kind: string, file: string, writer: string, count: number, cutEvery: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, kind, file, writer, String(count), String(cutEvery)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`writer ${writer} exited with ${code}: ${err}`));
      else resolve({ writer, ...(JSON.parse(out) as { acked: number; cuts: number }) });
    });
  });
}

/** Every acknowledged id of every writer appears exactly once, and nothing else does. */
function assertAllOnce(ids: readonly string[], results: readonly WorkerResult[]): void {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  const expected = results.flatMap((r) => [...Array.from({ length: r.acked - 1 }, (_, k) => `${r.writer}-${k}`), `${r.writer}-end`]);
  const missing = expected.filter((id) => !seen.has(id));
  const doubled = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  assert.deepEqual({ missing: missing.length, doubled: doubled.length, firstMissing: missing.slice(0, 5) }, { missing: 0, doubled: 0, firstMissing: [] });
  assert.equal(ids.length, expected.length, 'no entry that was not acknowledged');
}

test('labels.jsonl: 3 processes appending 20,000 entries each, one leaving cut-off lines, lose nothing', { timeout: 60_000 }, async () => {
  const file = path.join(root, 'labels.jsonl');
  const results = await Promise.all([runWorker('labels', file, 'a', 20000, 0), runWorker('labels', file, 'b', 20000, 0), runWorker('labels', file, 'c', 20000, 25)]);
  const log = await readMapLabels(file);
  assert.deepEqual(log.problems, []);
  assert.equal(log.truncatedTail, false);
  const cuts = results.reduce((s, r) => s + r.cuts, 0);
  assert.ok(cuts > 10);
  assert.equal(log.cutLines.length, cuts, 'every cut-off line is skipped and counted');
  assertAllOnce(log.entries.map((e) => e.id), results);
});

test('annotations.jsonl: 3 processes appending one entry at a time, one leaving cut-off lines, lose nothing', { timeout: 60_000 }, async () => {
  const file = path.join(root, 'annotations.jsonl');
  const results = await Promise.all([runWorker('annotations', file, 'a', 800, 0), runWorker('annotations', file, 'b', 800, 0), runWorker('annotations', file, 'c', 800, 40)]);
  const log = await readAnnotations(file);
  assert.deepEqual(log.problems, []);
  assert.equal(log.truncatedTail, false);
  assert.equal(log.cutLines.length, results.reduce((s, r) => s + r.cuts, 0));
  assertAllOnce(log.entries.map((e) => e.id1), results);
});

test('an entry glued to a cut-off line (appended just as another writer was killed) is still read', async () => {
  const file = path.join(root, 'glued.jsonl');
  const entry = (id: string) => JSON.stringify({ id, n: 1 });
  writeFileSync(file, `${entry('a')}\n{"id":"cut","n${entry('b')}\n{oops${entry('c')}\n${entry('d')}\n`);
  const check = (v: unknown) => (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? undefined : { field: 'id', reason: 'is missing' });
  const log = await readLogLines(file, check, (v) => (v as { id: string }).id);
  assert.deepEqual(log.entries, ['a', 'b', 'd']);
  assert.deepEqual(log.cutLines, [2]);
  assert.deepEqual(log.problems, [{ line: 3, reason: 'invalid JSON' }], 'a damaged line is not taken for a cut one');
});
