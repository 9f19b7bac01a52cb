import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EngineClient } from '../../../src/engine/jobs/client';
import { parseCsv } from './read-csv';
import { createProject } from '../../../src/engine/project/store';
import { bertConfigFromHf } from '../../../src/engine/onnx/bert-config';
import { writeBertOnnx } from '../../../src/engine/onnx/bert-graph';
import { randomBertWeights } from '../../../src/engine/onnx/bert-weights';

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
  // the label and the fields the template leaves out ride along for the Details view
  assert.ok(first.every((p) => typeof p.leftDetails.label === 'string' && typeof p.rightDetails.label === 'string'));
  const metaNames = first[0].leftDetails.metadata.map((f) => f.name);
  assert.ok(!metaNames.includes('title') && !metaNames.includes('description'), metaNames.join());
  assert.ok(first.every((p) => p.id1 !== p.id2 && p.similarity !== undefined && p.similarity <= 1.0001));
  await appendAnnotation(path.join(dir, 'annotations.jsonl'), { id1: first[0].id1, id2: first[0].id2, score: 0.5, annotator: 'ann' });
  const again = await client.run({ type: 'suggestPairs', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, strategy: 'nearest', count: 3, annotator: 'ann', seed: 3 } });
  const key = (p: { id1: string; id2: string }) => [p.id1, p.id2].sort().join('|');
  assert.ok(!again.some((p) => key(p) === key(first[0])), 'an annotated pair is not suggested again');
});

/** Brute-force cosine top-k of row i (itself excluded): the reference for the kNN graph and the index. */
function bruteTopK(data: Float32Array, cols: number, i: number, k: number): { index: number; similarity: number }[] {
  const n = data.length / cols;
  const norm = (r: number) => Math.hypot(...data.subarray(r * cols, (r + 1) * cols));
  const ni = norm(i);
  const out: { index: number; similarity: number }[] = [];
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    let dotp = 0;
    for (let t = 0; t < cols; t++) dotp += data[i * cols + t] * data[j * cols + t];
    out.push({ index: j, similarity: dotp / (ni * norm(j)) });
  }
  return out.sort((x, y) => y.similarity - x.similarity).slice(0, k);
}

test('cluster saves the clustering; mapPoints reads it back; neighbours and search agree with brute force', async () => {
  const clustered = await client.run({
    type: 'cluster',
    params: { projectDir: dir, dataset: 'news', encoder: tinyModel, settings: { algo: 'kmeans', k: 4, seed: 5 } },
  });
  assert.equal(clustered.count, 300);
  assert.equal(clustered.clusters.length, 4);
  assert.equal(clustered.clusters.reduce((s, c) => s + c.size, 0), 300);
  assert.ok(clustered.clusters.every((c) => c.keywords.length > 0), 'c-TF-IDF keywords per cluster');
  assert.equal(clustered.outliers, 0, 'k-means leaves no outliers');
  assert.ok(clustered.metrics && clustered.metrics.nmi >= 0 && clustered.metrics.nmi <= 1, 'NMI against the labels');
  assert.ok(existsSync(clustered.file), 'saved in the project cache');
  assert.ok(clustered.file.startsWith(path.join(dir, '.cache', 'clusters')));

  // The map takes the saved clustering (k-means, 4), whatever its own default settings say.
  const map = await client.run({ type: 'mapPoints', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, settings: { algo: 'hdbscan', seed: 1 } } });
  assert.equal(map.computed, false, 'read from the cache');
  assert.equal(map.ids.length, 300);
  assert.ok(map.coords instanceof Float32Array && map.coords.length === 600);
  assert.ok(map.coords.every(Number.isFinite));
  assert.deepEqual(map.clusters, clustered.clusters);
  assert.match(map.caption, /^k-means \(k 4\) · tiny-bert-st6 · NMI \d\.\d\d$/);
  assert.deepEqual(map.labelNames, ['Business', 'Sci/Tech', 'Sports', 'World']);
  assert.equal(map.annotated.length, 300);
  // The records' own fields come along (bounded): title and description as shortened text.
  assert.deepEqual(map.fields.map((f) => [f.name, f.kind]), [['title', 'text'], ['description', 'text']]);
  const description = map.fields[1];
  assert.ok(description.kind === 'text' && description.values.length === 300 && description.values.every((v) => v.length <= 120));
  assert.deepEqual(map.omittedFields, []);

  // Neighbours from the saved kNN graph (k ≤ 15) and from the vector index (k > 15) match a brute-force search.
  const embedded = await client.run({ type: 'embed', params: { projectDir: dir, dataset: 'news', encoder: tinyModel } });
  for (const k of [5, 30]) {
    const nb = await client.run({ type: 'neighbours', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, index: 7, k } });
    const ref = bruteTopK(embedded.embeddings.data, embedded.embeddings.cols, 7, k);
    assert.equal(nb.length, k);
    assert.deepEqual(nb.map((x) => x.index), ref.map((x) => x.index), `neighbours (k ${k})`);
    nb.forEach((x, t) => assert.ok(Math.abs(x.similarity - ref[t].similarity) < 1e-4));
    assert.equal(nb[0].id, map.ids[nb[0].index]);
  }

  // Search: substring matches plus the records closest in meaning.
  const first = JSON.parse(readFileSync(path.join(dir, 'data', 'news.jsonl'), 'utf8').split('\n')[0]);
  const found = await client.run({ type: 'mapSearch', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, query: first.text, k: 5 } });
  assert.deepEqual(Array.from(found.text), [0]);
  assert.equal(found.semantic.length, 5);
  assert.equal(found.semantic[0].index, 0);
  assert.ok(found.semantic[0].similarity > 0.999);
  const word = await client.run({ type: 'mapSearch', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, query: 'oil' } });
  const expected = map.texts.flatMap((_, i) => (JSON.parse(readFileSync(path.join(dir, 'data', 'news.jsonl'), 'utf8').split('\n')[i]).text.toLowerCase().includes('oil') ? [i] : []));
  assert.deepEqual(Array.from(word.text), expected);
  assert.equal(word.semantic.length, 20);

  // Export Clusters (CSV): one row per record, the saved clusters, the topic keywords.
  const csvFile = path.join(dir, 'out', 'news-clusters.csv');
  const exported = await client.run({ type: 'exportClusters', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, settings: { algo: 'hdbscan', seed: 1 }, out: csvFile } });
  assert.equal(exported.computed, false);
  const rows = parseCsv(readFileSync(csvFile, 'utf8'));
  assert.deepEqual(rows[0], ['id', 'cluster', 'topic', 'x', 'y', 'label', 'text']);
  assert.equal(rows.length, 301);
  const cells = rows[1];
  const firstRecord = JSON.parse(readFileSync(path.join(dir, 'data', 'news.jsonl'), 'utf8').split('\n')[0]) as { id: string; text: string };
  assert.deepEqual([cells[0], cells[6]], [firstRecord.id, firstRecord.text], 'the record\'s full text, in its own column');
  assert.equal(cells[0], map.ids[0]);
  assert.equal(Number(cells[1]), map.clusterLabels[0]);
  assert.equal(cells[2], clustered.clusters.find((c) => c.id === map.clusterLabels[0])!.keywords.slice(0, 5).join(' '));
});

test("cluster with the built-in encoder passes on the encoder's notes (its topic weighting, chosen from the data)", async () => {
  const clustered = await client.run({
    type: 'cluster',
    params: { projectDir: dir, dataset: 'news', encoder: 'builtin', settings: { algo: 'kmeans', k: 4, seed: 5 } },
  });
  assert.equal(clustered.count, 300);
  assert.equal(clustered.notes?.length, 1);
  assert.match(clustered.notes![0], /^built-in encoder: topic view weighted by (idf|idf-entropy)/);
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

test('a dataset change makes the saved clustering stale: the map clusters again', async () => {
  const lines = readFileSync(path.join(dir, 'data', 'news.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  const map = await client.run({ type: 'mapPoints', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, settings: { algo: 'kmeans', k: 3, seed: 2 } } });
  assert.equal(map.computed, true);
  assert.equal(map.ids.length, lines);
  assert.equal(map.clusters.length, 3);
  const again = await client.run({ type: 'mapPoints', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, settings: { algo: 'kmeans', k: 3, seed: 2 } } });
  assert.equal(again.computed, false);
  assert.deepEqual(Array.from(again.clusterLabels), Array.from(map.clusterLabels));
});

test('a model folder whose weights were replaced makes the saved clustering stale, though the spec is the same', async () => {
  const projectDir = path.join(dir, 'weights-project');
  await createProject(projectDir, { name: 'weights', template: '{title}. {description}' });
  await client.run({ type: 'import', params: { projectDir, file: sample, name: 'news', label: 'label', idField: 'id' } });
  const folder = path.join(dir, 'model-copy');
  cpSync(tinyModel, folder, { recursive: true });
  const params = { projectDir, dataset: 'news', encoder: folder, settings: { algo: 'kmeans' as const, k: 3, seed: 2 } };
  assert.equal((await client.run({ type: 'mapPoints', params })).computed, true);
  assert.equal((await client.run({ type: 'mapPoints', params })).computed, false);
  const config = bertConfigFromHf(JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')));
  writeBertOnnx(config, randomBertWeights(config, 7), path.join(folder, 'onnx', 'model.onnx'));
  const again = await client.run({ type: 'mapPoints', params });
  assert.equal(again.computed, true);
  assert.notEqual(again.encoderId, (await client.run({ type: 'mapPoints', params: { ...params, encoder: tinyModel } })).encoderId);
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
  assert.equal(result.skipped?.train?.skipped, 0, 'the result carries the skip report that the Fine-tune notification shows');
  const runDir = path.join(dir, 'runs', result.id);
  assert.ok(JSON.parse(readFileSync(path.join(runDir, 'config.json'), 'utf8')));
  const { readProjectSummary } = await import('../../../src/host/project/summary');
  const summary = await readProjectSummary(dir);
  assert.equal(summary.runs.find((r) => r.id === result.id)?.status, 'completed', 'the project view sees the run');

  // The run comparison's data source reads it back: config, metrics, loss curve.
  await import('../host/vscode-stub');
  const { ProjectRunsSource } = await import('../../../src/host/sources/project-runs-source');
  const runs = await new ProjectRunsSource({} as never, dir, 'jobs').getRuns();
  const run = runs.find((r) => r.id === result.id);
  assert.ok(run);
  assert.equal(run.status, 'completed');
  assert.equal(run.config.loss, 'mnr');
  assert.equal(run.config.batchSize, 16);
  const loss = run.curves.find((c) => c.name === 'loss');
  assert.ok(loss && loss.points.length === result.steps, 'one loss point per step');
  assert.ok(run.metrics.top1 !== undefined, 'label metrics under the one vocabulary (top1, top10, …)');
});

test('before/after maps of a run, and Export Model: the exported folder encodes like the run', async () => {
  const runId = readdirSync(path.join(dir, 'runs'))[0];
  const settings = { algo: 'kmeans' as const, k: 3, seed: 2 };
  const after = await client.run({ type: 'runMap', params: { projectDir: dir, runId, stage: 'after', settings } });
  const before = await client.run({ type: 'runMap', params: { projectDir: dir, runId, stage: 'before', settings } });
  assert.equal(after.dataset, 'news', 'the dataset the run trained on');
  assert.equal(after.ids.length, before.ids.length);
  assert.match(after.caption, new RegExp(`run:${runId}`));
  assert.match(before.caption, /tiny-bert-st6/);
  assert.notEqual(after.encoderId, before.encoderId);
  // The project map now offers the run's clusters as a colouring.
  const map = await client.run({ type: 'mapPoints', params: { projectDir: dir, dataset: 'news', encoder: tinyModel, settings } });
  assert.deepEqual(map.runs?.map((r) => r.id), [`run:${runId}`]);
  assert.deepEqual(Array.from(map.runs![0].values), Array.from(after.clusterLabels));

  const target = path.join(dir, 'exported');
  const out = await client.run({ type: 'exportModel', params: { projectDir: dir, runId, target } });
  assert.equal(out.dir, path.join(target, runId));
  assert.equal(out.layout, 'embedlab-head');
  for (const f of ['model/model.json', 'model/head.safetensors', 'config.json', 'summary.json', 'README.md']) assert.ok(existsSync(path.join(out.dir, f)), f);
  const texts = ['Oil prices rise again', 'The home team won the final'];
  const viaRun = await client.run({ type: 'embed', params: { texts, encoder: `run:${runId}`, projectDir: dir } });
  const viaExport = await client.run({ type: 'embed', params: { texts, encoder: out.dir } });
  assert.deepEqual(Array.from(viaExport.embeddings.data), Array.from(viaRun.embeddings.data));
  await assert.rejects(client.run({ type: 'exportModel', params: { projectDir: dir, runId, target } }), (err: Error) => err.name === 'InputError' && /already exists/.test(err.message));
});
