import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EngineClient } from '../../../src/engine/jobs/client';
import type { Progress } from '../../../src/engine/util/job';
import { createProject } from '../../../src/engine/project/store';
import { readSettings } from '../../../src/host/config-schema';
import { datasetJobParams } from '../../../src/host/commands/dataset-job-params';

const entry = path.resolve(__dirname, '../../../src/engine/jobs/engine-process.ts');
const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const client = new EngineClient({ entry });
const dir = mkdtempSync(path.join(tmpdir(), 'el-similar-'));
after(async () => {
  await client.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('Find Similar with the parameters Embed used reuses the saved fit and the cached embeddings (no fitting, no re-embedding)', async () => {
  await createProject(dir, { name: 'similar', template: '{title}. {description}' });
  await client.run({ type: 'import', params: { projectDir: dir, file: sample, name: 'news', label: 'label', idField: 'id' } });
  // A seed other than the default: the old command sent none, so the built-in encoder was fitted again and the dataset re-embedded.
  const params = datasetJobParams(readSettings((key) => (key === 'cluster.seed' ? 7 : undefined)), path.join(dir, '.models'), { projectDir: dir, dataset: 'news', encoder: 'builtin' });
  const embedStages = new Set<string>();
  await client.run({ type: 'embed', params }, { onProgress: (p: Progress) => embedStages.add(p.stage) });
  assert.ok(embedStages.has('svd') && embedStages.has('encode'), `the first embed fits and embeds: ${[...embedStages].join(' ')}`);

  const first = JSON.parse(readFileSync(path.join(dir, 'data', 'news.jsonl'), 'utf8').split('\n')[4]) as { id: string; text: string };
  const seen: Progress[] = [];
  const started = performance.now();
  const result = await client.run({ type: 'similar', params: { ...params, query: first.text, k: 5 } }, { onProgress: (p: Progress) => seen.push(p) });
  const ms = performance.now() - started;
  assert.deepEqual(seen.filter((p) => p.stage === 'tfidf' || p.stage === 'svd'), [], 'the built-in encoder is not fitted again');
  assert.ok(!seen.some((p) => p.stage === 'encode' && p.total > 1), `only the query is embedded: ${JSON.stringify(seen.slice(0, 5))}`);
  assert.equal(result.hits[0].id, first.id);
  assert.equal(result.hits[0].index, 4, 'each hit carries its record index (the map point)');
  result.hits.forEach((h) => assert.ok(Number.isInteger(h.index) && h.index >= 0 && h.index < 300));
  assert.deepEqual(result.embeddings, { reused: false, hits: 300, embedded: 0 }, 'the first search builds its index from the project\'s embedding cache');
  console.log(`similar after embed: ${ms.toFixed(0)} ms`);

  const again = await client.run({ type: 'similar', params: { ...params, query: 'a second query about football', k: 5 } });
  assert.deepEqual(again.embeddings, { reused: true, hits: 300, embedded: 0 }, 'the second search reuses the first one\'s index');
});
