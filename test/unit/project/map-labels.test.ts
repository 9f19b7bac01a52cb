import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, appendFileSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  appendMapLabels, clearMapLabels, readMapLabels, currentMapLabels, standingMapLabels, mapLabelsPath, effectiveLabel,
} from '../../../src/engine/project/map-labels';

const root = mkdtempSync(path.join(tmpdir(), 'embedlab-maplabels-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(root, `l${n++}.jsonl`);
const T = (k: number) => `2026-01-01T00:00:0${k}.000Z`;

test('labels are appended one entry per record with schemaVersion; a missing log reads empty', async () => {
  const f = fresh();
  assert.deepEqual(await readMapLabels(f), { file: f, entries: [], problems: [], truncatedTail: false, cutLines: [] });
  await appendMapLabels(f, 'news', ['a', 'b'], ' sports ', T(1));
  const lines = readFileSync(f, 'utf8').split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(JSON.parse(lines[0]), { schemaVersion: 1, dataset: 'news', id: 'a', label: 'sports', time: T(1) });
  assert.deepEqual(JSON.parse(lines[1]), { schemaVersion: 1, dataset: 'news', id: 'b', label: 'sports', time: T(1) });
  await assert.rejects(appendMapLabels(f, 'news', ['a'], '  '), /field "label": must be a non-empty string/);
  await assert.rejects(appendMapLabels(f, 'news', [''], 'x'), /field "id": must be a non-empty string/);
  assert.deepEqual(await appendMapLabels(f, 'news', [], 'x'), []);
  assert.equal(readFileSync(f, 'utf8').split('\n').length, 3, 'refused and empty appends write nothing');
});

test('the last label per record wins, per dataset; map labels override the record label', async () => {
  const f = fresh();
  await appendMapLabels(f, 'news', ['a', 'b', 'c'], 'world', T(1));
  await appendMapLabels(f, 'other', ['a'], 'tech', T(2));
  await appendMapLabels(f, 'news', ['b'], 'business', T(3));
  const { entries } = await readMapLabels(f);
  const news = currentMapLabels(entries, 'news');
  assert.deepEqual([...news].sort(), [['a', 'world'], ['b', 'business'], ['c', 'world']]);
  assert.deepEqual([...currentMapLabels(entries, 'other')], [['a', 'tech']]);
  assert.equal(effectiveLabel({ id: 'b', label: 'sports' }, news), 'business');
  assert.equal(effectiveLabel({ id: 'z', label: 'sports' }, news), 'sports');
  assert.equal(effectiveLabel({ id: 'z' }, news), undefined);
});

test('label, relabel, clear, clear-then-label: entries apply in order and the latest wins', async () => {
  const f = fresh();
  await appendMapLabels(f, 'news', ['a', 'b', 'c'], 'world', T(1)); // label
  await appendMapLabels(f, 'news', ['b'], 'business', T(2)); // relabel
  await appendMapLabels(f, 'other', ['a'], 'tech', T(2));
  const before = readFileSync(f, 'utf8');
  const cleared = await clearMapLabels(f, 'news', ['a', 'b', 'b', 'z'], T(3)); // clear; z never had a map label
  assert.deepEqual(cleared, [
    { schemaVersion: 2, dataset: 'news', id: 'a', label: null, time: T(3) },
    { schemaVersion: 2, dataset: 'news', id: 'b', label: null, time: T(3) },
  ]);
  const text = readFileSync(f, 'utf8');
  assert.ok(text.startsWith(before), 'clearing appends: the earlier lines are untouched');
  assert.deepEqual(text.slice(before.length).trim().split('\n').map((l) => JSON.parse(l)), cleared);
  let log = await readMapLabels(f);
  assert.deepEqual(log.problems, []);
  const news = currentMapLabels(log.entries, 'news');
  assert.deepEqual([...news], [['c', 'world']]);
  assert.deepEqual([...currentMapLabels(log.entries, 'other')], [['a', 'tech']], 'another dataset keeps its label');
  // A cleared record falls back to its own label from the data (or none).
  assert.equal(effectiveLabel({ id: 'a', label: 'sports' }, news), 'sports');
  assert.equal(effectiveLabel({ id: 'b' }, news), undefined);
  // Clearing records that have no map label (any more) writes nothing.
  assert.deepEqual(await clearMapLabels(f, 'news', ['a', 'z'], T(4)), []);
  assert.equal(readFileSync(f, 'utf8'), text);
  // Clear, then label again: the new label stands.
  await appendMapLabels(f, 'news', ['a'], 'science', T(5));
  log = await readMapLabels(f);
  assert.deepEqual([...currentMapLabels(log.entries, 'news')].sort(), [['a', 'science'], ['c', 'world']]);
  assert.deepEqual(log.entries.map((e) => e.label), ['world', 'world', 'world', 'business', 'tech', null, null, 'science']);
});

test('a log saved with a UTF-8 byte order mark (edited in a Windows editor) reads its first entry', async () => {
  const f = fresh();
  writeFileSync(f, '\uFEFF' + JSON.stringify({ schemaVersion: 1, dataset: 'news', id: 'a', label: 'x', time: T(1) }) + '\n');
  const log = await readMapLabels(f);
  assert.deepEqual(log.problems, []);
  assert.deepEqual(log.entries.map((e) => e.id), ['a']);
});

test('entries without schemaVersion (written by the first map integration) still read', async () => {
  const f = fresh();
  writeFileSync(f, JSON.stringify({ dataset: 'news', id: 'a', label: 'x', time: T(1) }) + '\n');
  const log = await readMapLabels(f);
  assert.deepEqual(log.problems, []);
  assert.deepEqual(log.entries, [{ schemaVersion: 1, dataset: 'news', id: 'a', label: 'x', time: T(1) }]);
});

test('bad lines are reported by line and field; jobs refuse them naming file, line and field', async () => {
  const dir = mkdtempSync(path.join(root, 'proj-'));
  const f = mapLabelsPath(dir);
  assert.equal(f, path.join(dir, 'labels.jsonl'));
  writeFileSync(
    f,
    [
      JSON.stringify({ schemaVersion: 1, dataset: 'news', id: 'a', label: 'x', time: T(1) }),
      '{oops',
      JSON.stringify({ schemaVersion: 1, dataset: 'news', id: 'b', label: 7, time: T(1) }),
      JSON.stringify({ schemaVersion: 9, dataset: 'news', id: 'c', label: 'x', time: T(1) }),
      '',
    ].join('\n'),
  );
  const log = await readMapLabels(f);
  assert.deepEqual(log.entries.map((e) => e.id), ['a']);
  assert.deepEqual(log.problems, [
    { line: 2, reason: 'invalid JSON' },
    { line: 3, field: 'label', reason: 'must be a non-empty string' },
    { line: 4, field: 'schemaVersion', reason: '9 is newer than this Embedding Lab reads' },
  ]);
  await assert.rejects(standingMapLabels(dir, 'news'), (e: Error) => {
    assert.equal(e.name, 'InputError');
    assert.equal(e.message, `${f}:2: invalid JSON`);
    return true;
  });
  writeFileSync(f, JSON.stringify({ schemaVersion: 1, dataset: 'news', id: 'a', label: 'x', time: T(1) }) + '\n' + JSON.stringify({ dataset: 'news', id: 'b', time: T(1) }) + '\n');
  await assert.rejects(standingMapLabels(dir, 'news'), new RegExp(`^InputError: ${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2, field "label": must be a non-empty string$`));
});

test('a line cut off by a crash is skipped and counted; the next append starts on a new line and truncates nothing', async () => {
  const dir = mkdtempSync(path.join(root, 'proj-'));
  const f = mapLabelsPath(dir);
  await appendMapLabels(f, 'news', ['a'], 'x', T(1));
  appendFileSync(f, '{"schemaVersion":1,"dataset":"news","id":"b","lab'); // the crash
  const log = await readMapLabels(f);
  assert.deepEqual(log.entries.map((e) => e.id), ['a']);
  assert.equal(log.truncatedTail, true);
  assert.deepEqual(log.problems, []);
  await appendMapLabels(f, 'news', ['c'], 'y', T(2));
  const after = await readMapLabels(f);
  assert.deepEqual(after.entries.map((e) => [e.id, e.label]), [['a', 'x'], ['c', 'y']]);
  assert.equal(after.truncatedTail, false);
  assert.deepEqual(after.cutLines, [2]);
  assert.deepEqual(after.problems, []);
  assert.deepEqual([...(await standingMapLabels(dir, 'news'))], [['a', 'x'], ['c', 'y']], 'a cut line does not stop the jobs');
  // A file that is only a cut-off line keeps it; the entry goes on the next line.
  const g = fresh();
  writeFileSync(g, '{"dataset":"news"');
  await appendMapLabels(g, 'news', ['d'], 'z', T(3));
  assert.equal(readFileSync(g, 'utf8'), '{"dataset":"news"\n' + JSON.stringify({ schemaVersion: 1, dataset: 'news', id: 'd', label: 'z', time: T(3) }) + '\n');
  assert.deepEqual((await readMapLabels(g)).entries.map((e) => e.id), ['d']);
});

test('bad clear entries are reported by line and field; a cut-off clear is ignored, and skipped after the next append', async () => {
  const dir = mkdtempSync(path.join(root, 'proj-'));
  const f = mapLabelsPath(dir);
  const label = (id: string) => JSON.stringify({ schemaVersion: 1, dataset: 'news', id, label: 'x', time: T(1) });
  writeFileSync(
    f,
    [
      label('a'),
      label('b'),
      JSON.stringify({ schemaVersion: 1, dataset: 'news', id: 'a', label: null, time: T(2) }), // a clear needs version 2
      JSON.stringify({ dataset: 'news', id: 'a', label: null, time: T(2) }),
      JSON.stringify({ schemaVersion: 2, dataset: 'news', id: '', label: null, time: T(2) }),
      JSON.stringify({ schemaVersion: 2, dataset: 'news', id: 'b', label: null }),
      JSON.stringify({ schemaVersion: 2, dataset: 'news', id: 'b', label: false, time: T(2) }),
      JSON.stringify({ schemaVersion: 2, dataset: 'news', id: 'a', label: null, time: T(2) }), // a good clear
      '',
    ].join('\n'),
  );
  const log = await readMapLabels(f);
  assert.deepEqual(log.problems, [
    { line: 3, field: 'label', reason: 'null (a cleared label) needs schemaVersion 2' },
    { line: 4, field: 'label', reason: 'null (a cleared label) needs schemaVersion 2' },
    { line: 5, field: 'id', reason: 'must be a non-empty string' },
    { line: 6, field: 'time', reason: 'must be a non-empty string' },
    { line: 7, field: 'label', reason: 'must be a non-empty string' },
  ]);
  assert.deepEqual([...currentMapLabels(log.entries, 'news')], [['b', 'x']]);
  await assert.rejects(standingMapLabels(dir, 'news'), (e: Error) => e.name === 'InputError' && e.message === `${f}:3, field "label": null (a cleared label) needs schemaVersion 2`);

  // Crash mid-clear: the cut-off clear line is ignored (b keeps its label), before and after the next append.
  writeFileSync(f, label('a') + '\n' + label('b') + '\n' + '{"schemaVersion":2,"dataset":"news","id":"b","label":nu');
  const cut = await readMapLabels(f);
  assert.equal(cut.truncatedTail, true);
  assert.deepEqual(cut.problems, []);
  assert.deepEqual([...currentMapLabels(cut.entries, 'news')], [['a', 'x'], ['b', 'x']]);
  await clearMapLabels(f, 'news', ['b'], T(3));
  assert.equal(
    readFileSync(f, 'utf8'),
    label('a') + '\n' + label('b') + '\n' + '{"schemaVersion":2,"dataset":"news","id":"b","label":nu\n' + JSON.stringify({ schemaVersion: 2, dataset: 'news', id: 'b', label: null, time: T(3) }) + '\n',
  );
  assert.deepEqual([...(await standingMapLabels(dir, 'news'))], [['a', 'x']]);
});

test('concurrent appends are serialised: every entry lands on its own line', async () => {
  const f = fresh();
  await Promise.all(Array.from({ length: 20 }, (_, k) => appendMapLabels(f, 'news', [`r${k}`, `s${k}`], `l${k}`, T(1))));
  const log = await readMapLabels(f);
  assert.equal(log.entries.length, 40);
  assert.deepEqual(log.problems, []);
  assert.equal(currentMapLabels(log.entries, 'news').get('s7'), 'l7');
});
