import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EngineClient } from '../../../src/engine/jobs/client';
import { createProject } from '../../../src/engine/project/store';

const entry = path.resolve(__dirname, '../../../src/engine/jobs/engine-process.ts');
const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const tinyModel = path.resolve(__dirname, '../../fixtures/models/tiny-bert-st6');
const client = new EngineClient({ entry });
const dir = mkdtempSync(path.join(tmpdir(), 'el-jobs-'));
after(async () => {
  await client.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('peek, import, then embed and search a project dataset through the engine process', async () => {
  await createProject(dir, { name: 'jobs', template: '{title}. {description}' });

  const peek = await client.run({ type: 'peek', params: { file: sample, rows: 3 } });
  assert.deepEqual(peek.fields, ['id', 'title', 'description', 'label']);
  assert.equal(peek.sample.length, 3);

  const report = await client.run({ type: 'import', params: { projectDir: dir, file: sample, name: 'news', label: 'label', idField: 'id' } });
  assert.equal(report.imported, 300);
  assert.equal(report.skipped, 0);
  const project = JSON.parse(readFileSync(path.join(dir, 'project.json'), 'utf8'));
  assert.equal(project.datasets[0].name, 'news');
  assert.equal(project.datasets[0].count, 300);

  const embedded = await client.run({ type: 'embed', params: { projectDir: dir, dataset: 'news', encoder: tinyModel } });
  assert.equal(embedded.embeddings.rows, 300);
  assert.ok(embedded.embeddings.data instanceof Float32Array, 'embeddings cross as a Float32Array');
  assert.equal(embedded.embeddings.data.length, 300 * embedded.embeddings.cols);
  assert.equal(embedded.ids[0], 'test-00000');
  assert.equal(embedded.labels?.[0], 'Business');
  assert.equal(embedded.cached?.hits, 0);
  const again = await client.run({ type: 'embed', params: { projectDir: dir, dataset: 'news', encoder: tinyModel } });
  assert.equal(again.cached?.embedded, 0, 'the second embed comes from the cache');
  assert.deepEqual(Array.from(again.embeddings.data.slice(0, 8)), Array.from(embedded.embeddings.data.slice(0, 8)));

  // The first record's own text is its nearest neighbour.
  const first = JSON.parse(readFileSync(path.join(dir, 'data', 'news.jsonl'), 'utf8').split('\n')[0]);
  const similar = await client.run({ type: 'similar', params: { projectDir: dir, dataset: 'news', query: first.text, k: 3, encoder: tinyModel } });
  assert.equal(similar.hits.length, 3);
  assert.equal(similar.hits[0].id, 'test-00000');
  assert.ok(similar.hits[0].score > 0.999);
});

test('suggestPairs: pairs with their fields, leaving out pairs already annotated', async () => {
  const { appendAnnotation } = await import('../../../src/engine/project/annotations');
  const first = await client.run({ type: 'suggestPairs', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, strategy: 'nearest', count: 3, annotator: 'ann', seed: 3 } });
  assert.equal(first.length, 3);
  assert.deepEqual(first[0].left.map((f) => f.name), ['title', 'description']);
  assert.ok(first.every((p) => p.id1 !== p.id2 && p.similarity <= 1.0001));
  await appendAnnotation(path.join(dir, 'annotations.jsonl'), { id1: first[0].id1, id2: first[0].id2, score: 0.5, annotator: 'ann' });
  const again = await client.run({ type: 'suggestPairs', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, strategy: 'nearest', count: 3, annotator: 'ann', seed: 3 } });
  const key = (p: { id1: string; id2: string }) => [p.id1, p.id2].sort().join('|');
  assert.ok(!again.some((p) => key(p) === key(first[0])), 'an annotated pair is not suggested again');
});

test('mapPoints: a 2D layout, clusters with keywords and labels for the map; neighbours', async () => {
  const map = await client.run({ type: 'mapPoints', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, seed: 5, k: 4 } });
  assert.equal(map.ids.length, 300);
  assert.ok(map.coords instanceof Float32Array && map.coords.length === 600);
  assert.ok(map.coords.every(Number.isFinite));
  assert.equal(map.clusters.length, 4);
  assert.equal(map.clusters.reduce((s, c) => s + c.size, 0), 300);
  assert.ok(map.clusters.every((c) => c.keywords.length > 0));
  assert.deepEqual(map.labelNames, ['Business', 'Sci/Tech', 'Sports', 'World']);
  assert.equal(map.annotated.length, 300);
  const nb = await client.run({ type: 'neighbours', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, index: 0, k: 5 } });
  assert.equal(nb.length, 5);
  assert.ok(nb.every((n) => n.index !== 0));
  assert.ok(nb[0].similarity >= nb[4].similarity);
});

test('clean: the preview counts per rule without touching the dataset, apply rewrites it', async () => {
  const before = readFileSync(path.join(dir, 'data', 'news.jsonl'), 'utf8');
  const rules = [{ rule: 'urls' }, { rule: 'min-words', options: { min: 25 } }];
  const preview = await client.run({ type: 'clean', params: { projectDir: dir, dataset: 'news', rules } });
  assert.equal(preview.applied, false);
  assert.equal(preview.input, 300);
  const minWords = preview.rules.find((r) => r.rule === 'min-words');
  assert.ok(minWords && minWords.removed > 0, 'some AG News items have fewer than 25 words');
  assert.equal(preview.output, 300 - preview.removedCount);
  assert.equal(readFileSync(path.join(dir, 'data', 'news.jsonl'), 'utf8'), before, 'a preview writes nothing');

  const applied = await client.run({ type: 'clean', params: { projectDir: dir, dataset: 'news', rules, apply: true } });
  assert.equal(applied.output, preview.output);
  const lines = readFileSync(path.join(dir, 'data', 'news.jsonl'), 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, preview.output);
  const project = JSON.parse(readFileSync(path.join(dir, 'project.json'), 'utf8'));
  assert.equal(project.datasets[0].count, preview.output);
  assert.deepEqual(project.cleaning, rules);
});

test('a bad import crosses as an InputError naming the problem', async () => {
  await assert.rejects(
    client.run({ type: 'import', params: { projectDir: dir, file: sample, name: 'bad name!' } }),
    (err: Error) => err.name === 'InputError' && /dataset name/.test(err.message),
  );
  await assert.rejects(
    client.run({ type: 'embed', params: { projectDir: dir, dataset: 'missing', encoder: tinyModel } }),
    (err: Error) => err.name === 'InputError' && /no dataset "missing"/.test(err.message),
  );
});

test('a short head fine-tune runs in the engine process and lands in runs/', async () => {
  const seen: string[] = [];
  const result = await client.run(
    { type: 'train', params: { projectDir: dir, data: 'news', loss: 'mnr', mode: 'head', epochs: 1, batchSize: 16, trainLimit: 64, encoder: tinyModel, seed: 1 } },
    { onProgress: (p) => seen.push(p.stage) },
  );
  assert.equal(result.status, 'completed');
  assert.ok(result.steps > 0);
  assert.ok(seen.length > 0, 'training reports progress');
  const runDir = path.join(dir, 'runs', result.id);
  assert.ok(JSON.parse(readFileSync(path.join(runDir, 'config.json'), 'utf8')));
  const { readProjectSummary } = await import('../../../src/host/project/summary');
  const summary = await readProjectSummary(dir);
  assert.equal(summary.runs.find((r) => r.id === result.id)?.status, 'completed', 'the project view sees the run');

  // The run comparison's data source reads it back: config, metrics, loss curve.
  await import('../host/vscode-stub');
  const { ProjectRunsSource } = await import('../../../src/host/sources/runs-source');
  const runs = await new ProjectRunsSource({} as never, dir, 'jobs').getRuns();
  const run = runs.find((r) => r.id === result.id);
  assert.ok(run);
  assert.equal(run.status, 'completed');
  assert.equal(run.config.loss, 'mnr');
  assert.equal(run.config.batchSize, 16);
  const loss = run.curves.find((c) => c.name === 'loss');
  assert.ok(loss && loss.points.length === result.steps, 'one loss point per step');
  assert.ok(run.metrics.topkSameLabel !== undefined);
});
