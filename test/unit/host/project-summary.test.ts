import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readProjectSummary, countLines, isProjectFile } from '../../../src/host/project/summary';
import { validateProjectName } from '../../../src/host/project/scaffold';
import { createProject } from '../../../src/engine/project/store';

const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');

test('a project summary counts records, annotations, runs and their key metric', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'el-summary-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await createProject(dir, { name: 'demo' });
  assert.ok(await isProjectFile(path.join(dir, 'project.json')));
  copyFileSync(sample, path.join(dir, 'data', 'news.jsonl'));
  const project = { schemaVersion: 1, name: 'demo', encoder: 'builtin', datasets: [{ name: 'news', file: 'data/news.jsonl' }, { name: 'gone', file: 'data/gone.jsonl' }] };
  writeFileSync(path.join(dir, 'project.json'), JSON.stringify(project));
  const entry = (id2: string, extra: string) => `{"schemaVersion":1,"id1":"1","id2":"${id2}","annotator":"a","time":"2026-01-01T00:00:00Z",${extra}}\n`;
  // three pairs scored, one of them undone: two pairs stand
  writeFileSync(path.join(dir, 'annotations.jsonl'), entry('2', '"score":0.5') + entry('3', '"score":1') + entry('4', '"score":0') + entry('4', '"score":null,"undo":true'));
  mkdirSync(path.join(dir, 'runs', 'r1'), { recursive: true });
  writeFileSync(path.join(dir, 'runs', 'r1', 'config.json'), JSON.stringify({ options: {} }));
  writeFileSync(path.join(dir, 'runs', 'r1', 'summary.json'), JSON.stringify({ status: 'completed', mode: 'head', loss: 'mnr', best: { step: 3, metric: 'top25', value: 0.377 }, after: { top1: 0.5, top10: 0.55, top25: 0.377 } }));
  writeFileSync(path.join(dir, 'runs', 'r1', 'meta.jsonl'), '{"at":"t","tags":["a"]}\n');
  mkdirSync(path.join(dir, 'runs', 'r2'));
  writeFileSync(path.join(dir, 'runs', 'r2', 'config.json'), '{ not json');

  const s = await readProjectSummary(dir);
  assert.equal(s.name, 'demo');
  assert.equal(s.schemaVersion, 1);
  assert.deepEqual(s.datasets.map((d) => [d.name, d.records]), [['news', 300], ['gone', undefined]]);
  assert.equal(s.annotations, 2);
  assert.deepEqual(s.runs.map((r) => [r.id, r.status, r.metric, r.name, r.tags]), [['r1', 'completed', 'Same label@1 0.500', 'MNR · head', ['a']], ['r2', 'unknown', undefined, 'run', []]]);
  assert.deepEqual(s.encoders, ['builtin', 'run:r1']);
  assert.equal(s.problems.length, 2, s.problems.join('; '));
  assert.match(s.problems.join('\n'), /gone\.jsonl is missing/);
  assert.match(s.problems.join('\n'), /runs\/r2\/config\.json/);
});

test('a project summary counts labelled records: their own labels and labels given on the map (labels.jsonl)', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'el-summary-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await createProject(dir, { name: 'labels' });
  copyFileSync(sample, path.join(dir, 'data', 'news.jsonl'));
  writeFileSync(path.join(dir, 'data', 'raw.jsonl'), ['r1', 'r2', 'r3', 'r4'].map((id) => JSON.stringify({ id, text: `text ${id}`, fields: {} })).join('\n') + '\n');
  const project = { schemaVersion: 1, name: 'labels', datasets: [{ name: 'news', file: 'data/news.jsonl', label: 'label' }, { name: 'raw', file: 'data/raw.jsonl' }] };
  writeFileSync(path.join(dir, 'project.json'), JSON.stringify(project));
  assert.deepEqual((await readProjectSummary(dir)).datasets.map((d) => [d.name, d.records, d.labelled]), [['news', 300, 300], ['raw', 4, 0]]);

  const { appendMapLabels } = await import('../../../src/engine/project/map-labels');
  const labels = path.join(dir, 'labels.jsonl');
  await appendMapLabels(labels, 'raw', ['r1', 'r2'], 'a');
  await appendMapLabels(labels, 'raw', ['r2', 'gone'], 'b'); // r2 relabelled; "gone" is no record of raw
  await appendMapLabels(labels, 'news', ['test-00000'], 'Sports'); // already labelled: still one record
  const s = await readProjectSummary(dir);
  assert.deepEqual(s.datasets.map((d) => [d.name, d.records, d.labelled]), [['news', 300, 300], ['raw', 4, 2]]);
  assert.deepEqual(s.problems, []);

  writeFileSync(labels, readFileSync(labels, 'utf8') + '{"dataset":"raw","id":"r3","time":"2026-01-01T00:00:00Z"}\n');
  const damaged = await readProjectSummary(dir);
  assert.deepEqual(damaged.problems, ['labels.jsonl:6: field "label" must be a non-empty string']);
  assert.equal(damaged.datasets[1].labelled, 2, 'the bad line is left out, the rest still counts');
});

test('a damaged project.json gives a problem, not an exception', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'el-summary-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'project.json'), '{"schemaVersion": ');
  const s = await readProjectSummary(dir);
  assert.equal(s.problems.length, 1);
  assert.match(s.problems[0], /^project\.json: /);
  assert.equal(await isProjectFile(path.join(dir, 'project.json')), false);
});

test('a project.json saved with a UTF-8 byte order mark is a project', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'el-summary-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'project.json'), '\uFEFF' + JSON.stringify({ schemaVersion: 2, name: 'bom', datasets: [] }));
  assert.equal(await isProjectFile(path.join(dir, 'project.json')), true);
  const s = await readProjectSummary(dir);
  assert.deepEqual(s.problems, []);
  assert.equal(s.name, 'bom');
});

test('countLines ignores blank lines and a missing final newline', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'el-lines-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'a.jsonl');
  writeFileSync(f, 'a\n\nb\r\nc');
  assert.equal(await countLines(f), 3);
});

test('New Project names are checked', () => {
  assert.equal(validateProjectName(''), 'The name is empty');
  assert.ok(validateProjectName('a/b'));
  assert.equal(validateProjectName('my project-1'), undefined);
});
