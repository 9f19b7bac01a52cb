// The CLI's use cases are jobs: what `embedlab cluster`, `eval-topk`, `search` and `eval-sts`
// print is what the same job returns when the extension sends it to the engine process.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EngineClient } from '../../../src/engine/jobs/client';
import { runCli, onlyJson } from '../cli/helpers';

const entry = path.resolve(__dirname, '../../../src/engine/jobs/engine-process.ts');
const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const pairs = path.resolve(__dirname, '../../fixtures/sample/stsb-100.jsonl');
const client = new EngineClient({ entry });
const dir = mkdtempSync(path.join(tmpdir(), 'el-cli-jobs-'));
after(async () => {
  await client.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const TEMPLATE = '{title}. {description}';
const withoutTime = (o: Record<string, unknown>) => {
  const { seconds: _s, clusterSeconds: _c, ...rest } = o;
  return rest;
};

test('cluster, eval-topk, search and eval-sts: the engine process job returns what the CLI prints', async () => {
  const cli = onlyJson(await runCli('cluster', sample, '--text', TEMPLATE, '--label', 'label', '--algo', 'kmeans', '--k', '4', '--json'));
  const job = await client.run({ type: 'clusterFile', params: { file: sample, template: TEMPLATE, label: 'label', algo: 'kmeans', k: 4, seed: 42, encoder: 'builtin' } });
  assert.deepEqual(withoutTime(job as unknown as Record<string, unknown>), withoutTime(cli));
  assert.equal(job.clusters, 4);
  assert.match((cli.notes as string[]).join('\n'), /topic view weighted by idf-entropy \(auto: the median text has \d+(\.5)? word tokens/, 'the choice is in the notes');

  const topkCli = onlyJson(await runCli('eval-topk', sample, '--text', TEMPLATE, '--label', 'label', '--k', '5', '--json'));
  const topkJob = await client.run({ type: 'evalTopk', params: { file: sample, template: TEMPLATE, label: 'label', k: 5, seed: 42 } });
  assert.deepEqual(withoutTime(topkJob as unknown as Record<string, unknown>), withoutTime(topkCli));

  const searchCli = onlyJson(await runCli('search', sample, '--text', TEMPLATE, '--query', 'oil prices', '--k', '3', '--json'));
  const searchJob = await client.run({ type: 'searchFile', params: { file: sample, template: TEMPLATE, query: 'oil prices', k: 3 } });
  assert.deepEqual(withoutTime(searchJob as unknown as Record<string, unknown>), withoutTime(searchCli));

  const stsCli = onlyJson(await runCli('eval-sts', pairs, '--json'));
  const stsJob = await client.run({ type: 'evalSts', params: { file: pairs } });
  assert.deepEqual(withoutTime(stsJob as unknown as Record<string, unknown>), withoutTime(stsCli));
});

test('embedFile writes the vectors and the ids file, as embedlab embed does', async () => {
  const out = path.join(dir, 'v.npy');
  const r = await client.run({ type: 'embedFile', params: { file: sample, template: TEMPLATE, out } });
  assert.equal(r.rows, 300);
  assert.equal(r.idsFile, path.join(dir, 'v.ids.txt'));
  assert.equal(r.format, 'npy');
});
