import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { appendAnnotation, readAnnotations, currentAnnotations, pairKey, annotatedRecordIds } from '../../../src/engine/project/annotations';

const root = mkdtempSync(path.join(tmpdir(), 'embedlab-ann-'));
let n = 0;
const fresh = () => path.join(root, `a${n++}.jsonl`);
const T = (k: number) => `2026-01-01T00:00:0${k}.000Z`;

test('entries are appended one per line with schemaVersion; a missing log reads empty', async () => {
  const f = fresh();
  assert.deepEqual(await readAnnotations(f), { file: f, entries: [], problems: [], truncatedTail: false, cutLines: [] });
  await appendAnnotation(f, { id1: 'a', id2: 'b', score: 0.75, annotator: 'ann', time: T(1), note: 'même région' });
  await appendAnnotation(f, { id1: 'a', id2: 'c', annotator: 'ann', time: T(2), skipped: true });
  const lines = readFileSync(f, 'utf8').split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(JSON.parse(lines[0]), { schemaVersion: 1, id1: 'a', id2: 'b', score: 0.75, annotator: 'ann', time: T(1), note: 'même région' });
  assert.deepEqual(JSON.parse(lines[1]), { schemaVersion: 1, id1: 'a', id2: 'c', score: null, annotator: 'ann', time: T(2), skipped: true });
  await assert.rejects(appendAnnotation(f, { id1: 'a', id2: 'b', score: 1.5, annotator: 'x' }), /field "score": must be a number in 0–1/);
  await assert.rejects(appendAnnotation(f, { id1: 'a', id2: 'a', score: 1, annotator: 'x' }), /two different ids/);
});

test('a truncated last line (crash mid-write) is ignored and reported; the next append starts on a new line', async () => {
  const f = fresh();
  await appendAnnotation(f, { id1: 'a', id2: 'b', score: 0.5, annotator: 'ann', time: T(1) });
  appendFileSync(f, '{"schemaVersion":1,"id1":"a","id2":"c","sco'); // the crash
  const log = await readAnnotations(f);
  assert.equal(log.entries.length, 1);
  assert.equal(log.truncatedTail, true);
  assert.deepEqual(log.problems, []);
  await appendAnnotation(f, { id1: 'a', id2: 'c', score: 1, annotator: 'ann', time: T(2) });
  const after = await readAnnotations(f);
  assert.deepEqual(after.entries.map((e) => e.id2), ['b', 'c']);
  assert.equal(after.truncatedTail, false);
  assert.deepEqual(after.cutLines, [2]);
  assert.deepEqual(after.problems, [], 'a cut line is not a damaged line');
});

test('a bad line in the middle is reported by line and field, the rest is read', async () => {
  const f = fresh();
  writeFileSync(
    f,
    [
      JSON.stringify({ schemaVersion: 1, id1: 'a', id2: 'b', score: 0.5, annotator: 'x', time: T(1) }),
      JSON.stringify({ schemaVersion: 1, id1: 'a', id2: 'b', score: 'high', annotator: 'x', time: T(2) }),
      JSON.stringify({ schemaVersion: 1, id1: 'a', id2: 'c', score: 0, annotator: 'x', time: T(3) }),
    ].join('\n') + '\n',
  );
  const log = await readAnnotations(f);
  assert.equal(log.entries.length, 2);
  assert.deepEqual(log.problems, [{ line: 2, reason: 'field "score" must be a number in 0–1' }]);
});

test('current scores: later entries win, pairs are unordered, undo withdraws the latest, annotators are averaged', async () => {
  const f = fresh();
  const add = (id1: string, id2: string, score: number | null, annotator: string, k: number, extra: object = {}) =>
    appendAnnotation(f, { id1, id2, score, annotator, time: T(k), ...extra });
  await add('a', 'b', 0.25, 'ann', 1);
  await add('b', 'a', 0.75, 'ann', 2); // correction, reversed order
  await add('a', 'b', 0.5, 'bob', 3);
  await add('a', 'c', 1, 'ann', 4);
  await add('a', 'c', null, 'ann', 5, { undo: true });
  await add('c', 'd', 0.5, 'ann', 6);
  await add('c', 'd', 1, 'ann', 7);
  await add('c', 'd', null, 'ann', 8, { undo: true }); // back to 0.5
  await add('d', 'e', null, 'ann', 9, { skipped: true });
  const { entries } = await readAnnotations(f);
  const cur = currentAnnotations(entries);
  assert.deepEqual(cur.scores.get(pairKey('a', 'b'))?.byAnnotator, { ann: 0.75, bob: 0.5 });
  assert.equal(cur.scores.get(pairKey('b', 'a'))?.score, 0.625);
  assert.equal(cur.scores.has(pairKey('a', 'c')), false);
  assert.equal(cur.scores.get(pairKey('c', 'd'))?.score, 0.5);
  assert.equal(cur.scores.has(pairKey('d', 'e')), false);
  assert.deepEqual([...cur.seen].sort(), [pairKey('a', 'b'), pairKey('c', 'd'), pairKey('d', 'e')].sort());
  assert.equal(currentAnnotations(entries, { annotator: 'bob' }).scores.size, 1);
});

test('concurrent appends in one process all land, one per line', async () => {
  const f = fresh();
  await Promise.all(Array.from({ length: 20 }, (_, i) => appendAnnotation(f, { id1: `x${i}`, id2: 'y', score: 0.5, annotator: 'a' })));
  const log = await readAnnotations(f);
  assert.equal(log.entries.length, 20);
  assert.deepEqual(log.problems, []);
});

test('annotated records: in a pair someone currently scores (an undone score or a skip does not count)', () => {
  const e = (id1: string, id2: string, score: number | null, extra: Record<string, boolean> = {}) => ({ schemaVersion: 1, id1, id2, score, annotator: 'ana', time: '2026-01-01T00:00:00Z', ...extra });
  const ids = annotatedRecordIds([
    e('a', 'b', 0.5),
    e('c', 'd', 1), e('c', 'd', null, { undo: true }),
    e('e', 'f', null, { skipped: true }),
  ]);
  assert.deepEqual([...ids].sort(), ['a', 'b']);
});
