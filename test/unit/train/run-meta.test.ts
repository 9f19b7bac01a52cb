// runs/<id>/meta.jsonl: a run's name, tags and notes, appended, last entry per field wins,
// checked before writing, and a default name made from the config (never the id).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { appendRunMeta, defaultRunName, readRunMeta, runMetaPath, updateProjectRunMeta } from '../../../src/engine/train/run-meta';
import { writeSummary, type RunSummary } from '../../../src/engine/train/runs';
import { InputError } from '../../../src/engine/util/errors';

const sandbox = mkdtempSync(path.join(tmpdir(), 'el-run-meta-'));
after(() => rmSync(sandbox, { recursive: true, force: true }));

function runDir(name: string): string {
  const d = path.join(sandbox, name);
  mkdirSync(d, { recursive: true });
  return d;
}

test('appends; the last entry per field wins; fields not given are kept', async () => {
  const dir = runDir('a');
  await appendRunMeta(dir, { name: 'premier essai' });
  await appendRunMeta(dir, { tags: ['baseline', ' cosent ', 'Baseline'] });
  await appendRunMeta(dir, { notes: 'lr trop haut ?\nà refaire' });
  await appendRunMeta(dir, { name: 'Essai CoSENT — résumé des dépêches' });
  const meta = await readRunMeta(dir);
  assert.equal(meta.name, 'Essai CoSENT — résumé des dépêches');
  assert.deepEqual(meta.tags, ['baseline', 'cosent']);
  assert.equal(meta.notes, 'lr trop haut ?\nà refaire');
  assert.equal(readFileSync(runMetaPath(dir), 'utf8').trim().split('\n').length, 4, 'one line per change, nothing rewritten');
  await appendRunMeta(dir, { name: '' });
  assert.equal((await readRunMeta(dir)).name, undefined, 'an empty name goes back to the default');
});

test('a line cut off by a crash is skipped and the next append still lands', async () => {
  const dir = runDir('b');
  await appendRunMeta(dir, { name: 'one' });
  appendFileSync(runMetaPath(dir), '{"at":"2026-01-01T00:00:00Z","name":"tw');
  let meta = await readRunMeta(dir);
  assert.equal(meta.name, 'one');
  assert.equal(meta.truncatedTail, true);
  await appendRunMeta(dir, { tags: ['x'] });
  meta = await readRunMeta(dir);
  assert.equal(meta.name, 'one');
  assert.deepEqual(meta.tags, ['x']);
  assert.deepEqual(meta.problems, []);
});

test('bad values are refused with the file and the field, and nothing is written', async () => {
  const dir = runDir('c');
  await assert.rejects(appendRunMeta(dir, { name: 'x'.repeat(121) }), (e: unknown) => e instanceof InputError && e.field === 'name' && e.message.includes('meta.jsonl'));
  await assert.rejects(appendRunMeta(dir, { name: 'line\nbreak' }), /field "name"/);
  await assert.rejects(appendRunMeta(dir, { tags: ['a,b'] }), /field "tags"/);
  await assert.rejects(appendRunMeta(dir, { tags: Array.from({ length: 21 }, (_, k) => `t${k}`) }), /at most 20 tags/);
  await assert.rejects(appendRunMeta(dir, { notes: 'bell\u0007' }), /field "notes"/);
  assert.equal(existsSync(runMetaPath(dir)), false);
  // a hand-edited bad line is reported by line, the good ones still count
  appendFileSync(runMetaPath(dir), '{"at":"t","name":"ok"}\n{"at":"t","tags":"not a list"}\n');
  const meta = await readRunMeta(dir);
  assert.equal(meta.name, 'ok');
  assert.deepEqual(meta.problems, [{ line: 2, field: 'tags', reason: 'tags are a list of text' }]);
});

test('project runs: the id must be one of the runs; tags are added and removed', async () => {
  const root = path.join(sandbox, 'project');
  const dir = path.join(root, 'runs', 'r1');
  mkdirSync(dir, { recursive: true });
  const now = new Date().toISOString();
  const s: RunSummary = { schemaVersion: 1, id: 'r1', status: 'completed', mode: 'head', startedAt: now, updatedAt: now, pid: 1, host: 'h', step: 1, totalSteps: 1, durationMs: 1 };
  await writeSummary(dir, s);
  await assert.rejects(updateProjectRunMeta(root, '../r1', { name: 'x' }), /no run/);
  await assert.rejects(updateProjectRunMeta(root, 'r2', { name: 'x' }), /no run/);
  await updateProjectRunMeta(root, 'r1', { tagChange: { add: ['a', 'b'] } });
  const meta = await updateProjectRunMeta(root, 'r1', { tagChange: { add: ['c'], remove: ['A'] } });
  assert.deepEqual(meta.tags, ['b', 'c']);
});

test('the default name is made from the config, readable, without the id', () => {
  const config = { createdAt: '2026-11-21T09:30:00.000Z', mode: 'head', options: { loss: 'cosent', epochs: 4, lr: 0.001 }, resolved: { loss: 'cosent', epochs: 4, lr: 0.001 } };
  assert.equal(defaultRunName(config, undefined), 'CoSENT · head · 4 ep · lr 1e-3 · 21 Nov 09:30');
  assert.equal(defaultRunName(undefined, { loss: 'mnr', mode: 'full', startedAt: '2026-01-02T03:04:00Z' }), 'MNR · full · 2 Jan 03:04');
  assert.equal(defaultRunName({ options: { loss: 'mnr', lr: 2e-5, sweep: { id: 's', index: 3 } }, resolved: { epochs: 2 } }, undefined), 'MNR · 2 ep · lr 2e-5 · sweep #3');
  // Early stopping: the epochs are a cap.
  assert.equal(defaultRunName({ mode: 'head', options: { loss: 'cosine' }, resolved: { epochs: 10, patience: 2, lr: 0.001 } }, undefined), 'Cosine · head · ≤10 ep · lr 1e-3');
});
