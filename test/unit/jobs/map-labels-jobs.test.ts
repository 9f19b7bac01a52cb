// Labels given on the cluster map and "Annotate selection", through the host's data
// sources and the real engine process: the map colours by the labels, fine-tuning trains
// on them, pairs come from the selected records only.
import '../host/vscode-stub';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EngineClient } from '../../../src/engine/jobs/client';
import { parseCsv } from './read-csv';
import type { Job, JobType } from '../../../src/engine/jobs/protocol';
import { createProject } from '../../../src/engine/project/store';
import { readMapLabels } from '../../../src/engine/project/map-labels';
import { ProjectMapSource } from '../../../src/host/sources/project-map-source';
import { ProjectAnnotationSource } from '../../../src/host/sources/project-annotation-source';
import { saveSelection, loadSelection, annotateRestoreKey, parseDatasetPart, selectionKey } from '../../../src/host/sources/annotation-selection';
import { parseRestoreKey } from '../../../src/host/panel-restore';

const entry = path.resolve(__dirname, '../../../src/engine/jobs/engine-process.ts');
const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const tinyModel = path.resolve(__dirname, '../../fixtures/models/tiny-bert-st6');
const client = new EngineClient({ entry });
const dir = mkdtempSync(path.join(tmpdir(), 'el-maplabels-'));
after(async () => {
  await client.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The host context the data sources use: jobs go to the real engine process. */
const logs: string[] = [];
let refreshed = 0;
const ctx = {
  config: () => ({ annotator: 'tester', offline: true, 'cluster.seed': 3, 'cluster.algorithm': 'kmeans', 'cluster.k': '3' }),
  cacheDir: () => path.join(dir, '.model-cache'),
  refreshProjects: () => void refreshed++,
  output: { info: (m: string) => void logs.push(m) },
  extension: { workspaceState: { get: () => undefined, update: async () => undefined } },
  jobs: {
    run: <T extends JobType>(_title: string, job: Job<T>) => client.run(job),
    quick: <T extends JobType>(job: Job<T>) => client.run(job),
  },
};

test('setup: a project with a dataset that has no labels of its own', async () => {
  await createProject(dir, { name: 'maplabels', template: '{title}. {description}' });
  const report = await client.run({ type: 'import', params: { projectDir: dir, file: sample, name: 'raw', idField: 'id' } });
  assert.equal(report.imported, 300);
});

test('labels given on the map: appended to labels.jsonl, the map colours by them, a relabel wins', async () => {
  const source = new ProjectMapSource(ctx as never, dir, 'raw', tinyModel);
  const before = await source.getPoints();
  assert.equal(before.ids.length, 300);
  assert.equal(before.labels, undefined, 'no labels yet: no "Colour by label"');

  await source.labelRecords([0, 1, 2, 3, 4, 5, 999, -1], 'alpha');
  await source.labelRecords([5, 6, 7, 8, 9], 'beta'); // record 5 relabelled
  const log = await readMapLabels(path.join(dir, 'labels.jsonl'));
  assert.deepEqual(log.problems, []);
  assert.equal(log.entries.length, 11, 'indices outside the map are dropped');
  assert.deepEqual(log.entries[0], { schemaVersion: 1, dataset: 'raw', id: before.ids[0], label: 'alpha', time: log.entries[0].time });
  assert.ok(refreshed >= 2, 'the project view refreshes');

  const after = await source.getPoints();
  assert.deepEqual(after.labelNames, ['alpha', 'beta']);
  assert.deepEqual(Array.from(after.labels!.slice(0, 11)), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1]);
  assert.equal(after.labels!.filter((v) => v >= 0).length, 10);
  assert.deepEqual(Array.from(after.coords), Array.from(before.coords), 'the layout is the saved one');

  // Export Clusters (CSV) writes the map labels in its label column.
  const csvFile = path.join(dir, 'out', 'raw-clusters.csv');
  await client.run({ type: 'exportClusters', params: { projectDir: dir, dataset: 'raw', encoder: tinyModel, settings: { algo: 'kmeans', k: 3, seed: 3 }, out: csvFile } });
  const rows = parseCsv(readFileSync(csvFile, 'utf8'));
  assert.deepEqual(rows[0].slice(-2), ['label', 'text']);
  assert.deepEqual(rows.slice(1, 12).map((r) => r.at(-2)), ['alpha', 'alpha', 'alpha', 'alpha', 'alpha', 'beta', 'beta', 'beta', 'beta', 'beta', '']);

  const { readProjectSummary } = await import('../../../src/host/project/summary');
  assert.equal((await readProjectSummary(dir)).datasets.find((d) => d.name === 'raw')?.labelled, 10);
});

test('map labels override the labels of the data', async () => {
  await client.run({ type: 'import', params: { projectDir: dir, file: sample, name: 'news', label: 'label', idField: 'id' } });
  const source = new ProjectMapSource(ctx as never, dir, 'news', tinyModel);
  const before = await source.getPoints();
  assert.deepEqual(before.labelNames, ['Business', 'Sci/Tech', 'Sports', 'World']);
  assert.equal(before.labelNames![before.labels![0]], 'Business');
  await source.labelRecords([0], 'Markets');
  const after = await source.getPoints();
  assert.deepEqual(after.labelNames, ['Business', 'Markets', 'Sci/Tech', 'Sports', 'World']);
  assert.equal(after.labelNames![after.labels![0]], 'Markets');
  for (let i = 1; i < 300; i++) assert.equal(after.labelNames![after.labels![i]], before.labelNames![before.labels![i]]);
});

test('fine-tuning on a dataset trains on its map labels (and refuses a dataset with no labels at all)', async () => {
  await client.run({ type: 'import', params: { projectDir: dir, file: sample, name: 'bare', idField: 'id' } });
  await assert.rejects(
    client.run({ type: 'train', params: { projectDir: dir, data: 'bare', loss: 'mnr', epochs: 1, encoder: tinyModel, seed: 1 } }),
    (err: Error) => err.name === 'InputError' && /no label field and no labels given on the cluster map/.test(err.message),
  );
  const result = await client.run({ type: 'train', params: { projectDir: dir, data: 'raw', loss: 'mnr', mode: 'head', epochs: 1, batchSize: 4, encoder: tinyModel, seed: 1, evalFraction: 0.2 } });
  assert.equal(result.status, 'completed');
  const file = path.join(dir, '.cache', 'train-labelled-raw.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; label: string });
  assert.equal(lines.length, 10, 'only the labelled records');
  assert.deepEqual(lines.map((l) => l.label), ['alpha', 'alpha', 'alpha', 'alpha', 'alpha', 'beta', 'beta', 'beta', 'beta', 'beta']);
  const config = JSON.parse(readFileSync(path.join(dir, 'runs', result.id, 'config.json'), 'utf8'));
  assert.equal(path.resolve(config.options.train.file), file);

  // A run on "news" (its own labels plus one map label) is drawn on "news", not on the first dataset ("raw").
  const onNews = await client.run({ type: 'train', params: { projectDir: dir, data: 'news', loss: 'mnr', mode: 'head', epochs: 1, batchSize: 16, trainLimit: 32, encoder: tinyModel, seed: 1 } });
  assert.equal(onNews.status, 'completed');
  const newsLabels = readFileSync(path.join(dir, '.cache', 'train-labelled-news.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { label: string });
  assert.equal(newsLabels.length, 300);
  assert.equal(newsLabels[0].label, 'Markets');
  const drawn = await client.run({ type: 'runMap', params: { projectDir: dir, runId: onNews.id, stage: 'before', settings: { algo: 'kmeans', k: 3, seed: 2 } } });
  assert.equal(drawn.dataset, 'news');
});

test('clearing map labels: the records fall back to their own labels in the map, the export, the tree and fine-tuning', async () => {
  const raw = new ProjectMapSource(ctx as never, dir, 'raw', tinyModel);
  const file = path.join(dir, 'labels.jsonl');
  const before = readFileSync(file, 'utf8');
  const refreshes = refreshed;
  // Records 0-2 had "alpha"; 50 never had a map label; 999 is outside the map.
  assert.equal(await raw.clearLabels([0, 1, 2, 50, 999]), 3);
  assert.equal(refreshed, refreshes + 1, 'the project view refreshes');
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith(before), 'the log is appended to, never rewritten');
  const ids = (await raw.getPoints()).ids;
  assert.deepEqual(text.slice(before.length).trim().split('\n').map((l) => JSON.parse(l)).map((e) => [e.schemaVersion, e.id, e.label]), [[2, ids[0], null], [2, ids[1], null], [2, ids[2], null]]);
  assert.equal(await raw.clearLabels([0, 1, 2]), 0, 'nothing left to clear');
  assert.equal(readFileSync(file, 'utf8'), text, 'and nothing written');
  // "Clear label" right after "Label selection" (not waiting): the writes keep the user's order.
  const [, quick] = await Promise.all([raw.labelRecords([20], 'gamma'), raw.clearLabels([20])]);
  assert.equal(quick, 1, 'the clear sees the label given just before');

  const after = await raw.getPoints();
  assert.deepEqual(after.labelNames, ['alpha', 'beta']);
  assert.deepEqual(Array.from(after.labels!.slice(0, 11)), [-1, -1, -1, 0, 0, 1, 1, 1, 1, 1, -1]);

  // On "news" the cleared record shows its own label from the data again.
  const news = new ProjectMapSource(ctx as never, dir, 'news', tinyModel);
  assert.equal(await news.clearLabels([0]), 1);
  const newsPoints = await news.getPoints();
  assert.deepEqual(newsPoints.labelNames, ['Business', 'Sci/Tech', 'Sports', 'World']);
  assert.equal(newsPoints.labelNames![newsPoints.labels![0]], 'Business');

  const csvFile = path.join(dir, 'out', 'raw-clusters-cleared.csv');
  await client.run({ type: 'exportClusters', params: { projectDir: dir, dataset: 'raw', encoder: tinyModel, settings: { algo: 'kmeans', k: 3, seed: 3 }, out: csvFile } });
  const rows = parseCsv(readFileSync(csvFile, 'utf8'));
  assert.deepEqual(rows.slice(1, 12).map((r) => r.at(-2)), ['', '', '', 'alpha', 'alpha', 'beta', 'beta', 'beta', 'beta', 'beta', '']);

  const { readProjectSummary } = await import('../../../src/host/project/summary');
  const summary = await readProjectSummary(dir);
  assert.equal(summary.datasets.find((d) => d.name === 'raw')?.labelled, 7);
  assert.equal(summary.datasets.find((d) => d.name === 'news')?.labelled, 300);
  assert.deepEqual(summary.problems, []);

  const result = await client.run({ type: 'train', params: { projectDir: dir, data: 'raw', loss: 'mnr', mode: 'head', epochs: 1, batchSize: 4, encoder: tinyModel, seed: 1, evalFraction: 0.2 } });
  assert.equal(result.status, 'completed');
  const trained = readFileSync(path.join(dir, '.cache', 'train-labelled-raw.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; label: string });
  assert.deepEqual(trained.map((l) => [l.id, l.label]), [3, 4, 5, 6, 7, 8, 9].map((i) => [ids[i], i < 5 ? 'alpha' : 'beta']));
});

test('a bad line in labels.jsonl is an error naming the file, line and field', async () => {
  const file = path.join(dir, 'labels.jsonl');
  const good = readFileSync(file, 'utf8');
  appendFileSync(file, '{"schemaVersion":1,"dataset":"raw","id":"x","label":"","time":"2026-01-01T00:00:00Z"}\n');
  const line = good.split('\n').length; // the appended line's number
  const source = new ProjectMapSource(ctx as never, dir, 'raw', tinyModel);
  await assert.rejects(source.getPoints(), (err: Error) => err.name === 'InputError' && err.message.startsWith(`${file}:${line}, field "label": must be a non-empty string`));
  await assert.rejects(
    client.run({ type: 'train', params: { projectDir: dir, data: 'raw', loss: 'mnr', epochs: 1, encoder: tinyModel } }),
    (err: Error) => err.name === 'InputError' && err.message.includes(`${file}:${line}`),
  );
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, good);
});

test('annotate a selection: the ids are saved for restarts, pairs come from the selection, the session says how many', async () => {
  const map = await new ProjectMapSource(ctx as never, dir, 'raw', tinyModel).getPoints();
  const ids = map.ids.slice(20, 32);
  const selection = await saveSelection(dir, 'raw', [...ids, ids[0]]);
  assert.equal(selection.ids.length, 12, 'distinct ids');
  assert.equal(selection.key, selectionKey('raw', [...ids].reverse()), 'the key does not depend on order');
  assert.notEqual(selection.key, selectionKey('news', ids));
  assert.deepEqual(await loadSelection(dir, 'raw', selection.key), selection);
  assert.equal(await loadSelection(dir, 'news', selection.key), undefined, 'a selection of another dataset');
  assert.equal(await loadSelection(dir, 'raw', '../../etc'), undefined);

  const source = new ProjectAnnotationSource(ctx as never, dir, 'raw', tinyModel, 'maplabels', selection);
  assert.equal(source.restoreKey, annotateRestoreKey(dir, 'raw', selection));
  const parsed = parseRestoreKey(source.restoreKey);
  assert.equal(parsed.projectDir, dir);
  assert.deepEqual(parseDatasetPart(parsed.dataset!), { dataset: 'raw', selectionKey: selection.key });
  assert.deepEqual(parseDatasetPart('raw'), { dataset: 'raw' });
  assert.match(source.title, /selection of 12$/);
  assert.deepEqual((await source.getSession()).selection, { records: 12 });

  const inSelection = new Set(ids);
  for (const strategy of ['nearest', 'random', 'stratified', 'cluster-border'] as const) {
    const pairs = await source.nextPairs(strategy, 8);
    assert.ok(pairs.length > 0, strategy);
    for (const p of pairs) assert.ok(inSelection.has(p.id1) && inSelection.has(p.id2), `${strategy}: ${p.id1}, ${p.id2}`);
  }
  // The whole dataset: no selection in the session, and pairs outside those records.
  const whole = new ProjectAnnotationSource(ctx as never, dir, 'raw', tinyModel, 'maplabels');
  assert.equal(whole.restoreKey, `${dir}#raw`);
  assert.equal((await whole.getSession()).selection, undefined);
  const wide = await whole.nextPairs('random', 20);
  assert.ok(wide.some((p) => !inSelection.has(p.id1) || !inSelection.has(p.id2)));
  // An id that is not in the dataset is refused by name.
  await assert.rejects(
    client.run({ type: 'suggestPairs', params: { projectDir: dir, dataset: 'raw', encoder: tinyModel, strategy: 'random', count: 3, candidates: ['nope'] } }),
    (err: Error) => err.name === 'InputError' && /field "candidates": no record "nope"/.test(err.message),
  );
  assert.ok(existsSync(path.join(dir, '.cache', 'selections', `${selection.key}.json`)));
});
