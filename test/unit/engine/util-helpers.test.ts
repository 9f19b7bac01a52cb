// The shared helpers that replaced per-module copies: atomic writes (sync and async) and JSON
// files, file hashes, CSV cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readJson, writeFileAtomicSync, writeJsonAtomic } from '../../../src/engine/util/fs';
import { gitBlobSha1File, sha256File } from '../../../src/engine/util/hash-file';
import { csvCell } from '../../../src/engine/util/csv';
import { isCancelledError } from '../../../src/engine/util/job';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'embedlab-util-'));

test('writeFileAtomicSync writes text and chunks whole, creates the folder, and leaves no temp file', () => {
  const f = path.join(fresh(), 'sub', 'model.bin');
  writeFileAtomicSync(f, 'text');
  assert.equal(readFileSync(f, 'utf8'), 'text');
  writeFileAtomicSync(f, [Uint8Array.from([1, 2]), Uint8Array.from([3])]);
  assert.deepEqual([...readFileSync(f)], [1, 2, 3]);
  assert.deepEqual(readdirSync(path.dirname(f)), ['model.bin']);
});

test('writeFileAtomicSync that cannot rename into place keeps what was there and removes its temp file', () => {
  const dir = fresh();
  const target = path.join(dir, 'taken');
  mkdirSync(target);
  writeFileSync(path.join(target, 'keep'), 'x');
  assert.throws(() => writeFileAtomicSync(target, 'data'));
  assert.deepEqual(readdirSync(dir), ['taken']);
  assert.equal(readFileSync(path.join(target, 'keep'), 'utf8'), 'x');
});

test('writeJsonAtomic and readJson round-trip; a missing file reads as undefined', async () => {
  const f = path.join(fresh(), 'a.json');
  assert.equal(await readJson(f), undefined);
  await writeJsonAtomic(f, { a: [1, 2] });
  assert.equal(readFileSync(f, 'utf8'), '{\n  "a": [\n    1,\n    2\n  ]\n}\n');
  assert.deepEqual(await readJson<{ a: number[] }>(f), { a: [1, 2] });
});

test('sha256File and gitBlobSha1File hash the bytes of a file', async () => {
  const f = path.join(fresh(), 'x.txt');
  writeFileSync(f, 'hello\n');
  assert.equal(await sha256File(f), createHash('sha256').update('hello\n').digest('hex'));
  // `git hash-object` of "hello\n"
  assert.equal(await gitBlobSha1File(f), 'ce013625030ba8dba906f756967f9e9ca394464a');
});

test('sha256File hashes a file of several read chunks, and a cancelled hash rejects with a CancelledError', async () => {
  const f = path.join(fresh(), 'big.bin');
  const bytes = new Uint8Array(2.5 * 2 ** 20 + 7);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  writeFileSync(f, bytes);
  assert.equal(await sha256File(f), createHash('sha256').update(bytes).digest('hex'));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(sha256File(f, ac.signal), (err: unknown) => isCancelledError(err));
  await assert.rejects(gitBlobSha1File(f, ac.signal), (err: unknown) => isCancelledError(err));
});

test('csvCell quotes a cell only when it must, doubling its quotes', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell(3.5), '3.5');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
});

test('caller gone: the abort reason is an AbortError (for fetch and retry loops) that isCallerGone tells from a cancel', async () => {
  const { abortCallerGone, isCallerGone } = await import('../../../src/engine/util/job');
  const gone = new AbortController();
  abortCallerGone(gone);
  assert.ok(gone.signal.reason instanceof Error);
  assert.equal((gone.signal.reason as Error).name, 'AbortError');
  assert.equal(isCallerGone(gone.signal), true);
  const cancelled = new AbortController();
  cancelled.abort();
  assert.equal(isCallerGone(cancelled.signal), false);
  assert.equal(isCallerGone(undefined), false);
});
