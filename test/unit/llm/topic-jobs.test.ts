// Topic names and cluster judgments through the real jobs, on the sample project, against the
// test chat server: what the prompts carry, caching, renames, each bad server behaviour, cancel,
// and that the key never reaches a project file.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createProject } from '../../../src/engine/project/store';
import { importJob } from '../../../src/engine/jobs/import-job';
import { clusterJudgmentsJob, topicListJob, topicNamesJob, topicRenameJob, type TopicLlmParams } from '../../../src/engine/jobs/topic-llm-jobs';
import { mapPointsJob } from '../../../src/engine/jobs/map-job';
import { exportClustersJob } from '../../../src/engine/jobs/export-jobs';
import { encoderCoherence } from '../../../src/engine/jobs/encoder-coherence';
import { readTopicStore } from '../../../src/engine/project/topic-store';
import { EndpointError } from '../../../src/engine/http/post-json';
import { isCancelledError } from '../../../src/engine/util/job';
import { startChatServer, demoAnswer, type ChatServer } from '../../fixtures/chat-server/chat-server';

const KEY = 'sk-test-llm-key-4242';
const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const dir = mkdtempSync(path.join(tmpdir(), 'el-llm-topics-'));
const ctx = { secrets: { llmApiKey: KEY } };
let server: ChatServer;
let params: TopicLlmParams;

before(async () => {
  server = await startChatServer();
  await createProject(dir, { name: 'llm', template: '{title}. {description}' });
  await importJob({ projectDir: dir, file: sample, name: 'news', idField: 'id' }, {});
  params = { projectDir: dir, dataset: 'news', encoder: 'builtin', settings: { algo: 'kmeans', k: 4, seed: 42 }, llm: `${server.base}/v1#test-model`, textChars: 120 };
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
  server.fallback = 'good';
  server.answer = demoAnswer;
});

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = path.join(d, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test('plan only: requests and estimated tokens, nothing sent', async () => {
  const r = await topicNamesJob({ ...params, planOnly: true }, ctx);
  assert.equal(r.sent, false);
  assert.equal(server.requests.length, 0);
  assert.equal(r.plan.clusters, 4);
  assert.equal(r.plan.requests, 4);
  assert.equal(r.plan.cached, 0);
  assert.equal(r.plan.model, 'test-model');
  assert.ok(r.plan.promptTokens > 100 && r.plan.promptTokens < 4 * 2000, `${r.plan.promptTokens}`);
  assert.ok(r.clusters.every((c) => c.source === 'pending'));
});

test('names: prompts carry the keywords and representative texts, truncated; answers cached in topics.json', async () => {
  const r = await topicNamesJob(params, ctx);
  assert.equal(r.sent, true);
  assert.deepEqual(r.failures, []);
  assert.equal(server.requests.length, 4);
  for (const c of r.clusters) {
    assert.equal(c.source, 'llm');
    assert.equal(c.name, c.keywords.slice(0, 3).join(' '), 'the demo server names a topic by its first keywords');
    assert.match(c.description ?? '', /^The texts of this group are about/);
  }
  for (const req of server.requests) {
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    assert.equal(req.body.model, 'test-model');
    const user = req.body.messages[1].content;
    const keywords = user.split('\n')[0];
    assert.match(keywords, /^Keywords: \S/);
    const c = r.clusters.find((x) => keywords === `Keywords: ${x.keywords.join(', ')}`);
    assert.ok(c, `a cluster's keywords: ${keywords}`);
    const texts = user.split('\n').filter((l) => /^\d+\. /.test(l));
    assert.equal(texts.length, 5, 'five representative texts');
    for (const t of texts) assert.ok(t.replace(/^\d+\. /, '').length <= 120, `truncated: ${t}`);
    assert.ok(texts.some((t) => t.endsWith('…')), 'long texts end with an ellipsis');
    assert.match(req.body.messages[0].content, /Write in English, the language of the texts/);
  }
  const { store } = await readTopicStore(path.join(dir, 'topics.json'));
  assert.equal(store.names.length, 4);
  assert.ok(store.names.every((n) => n.model === 'test-model' && n.promptVersion === 1));
});

test('names again: nothing is sent, the names come from the cache', async () => {
  const plan = await topicNamesJob({ ...params, planOnly: true }, ctx);
  assert.equal(plan.plan.requests, 0);
  assert.equal(plan.plan.cached, 4);
  const r = await topicNamesJob(params, ctx);
  assert.equal(server.requests.length, 0);
  assert.equal(r.sent, false);
  assert.ok(r.clusters.every((c) => c.source === 'cache'));
  // Another model is another cache key.
  const other = await topicNamesJob({ ...params, model: 'other-model', planOnly: true }, ctx);
  assert.equal(other.plan.requests, 4);
});

test('a rename wins over the LLM name, on the map too; an empty rename gives the LLM name back', async () => {
  await topicRenameJob({ ...params, cluster: 0, name: '  Ma   rubrique  ' }, ctx);
  const names = await topicNamesJob(params, ctx);
  assert.deepEqual(
    names.clusters.map((c) => c.source),
    ['user', 'cache', 'cache', 'cache'],
  );
  assert.equal(names.clusters[0].name, 'Ma rubrique');
  const map = await mapPointsJob(params, ctx);
  assert.equal(map.clusters[0].name, 'Ma rubrique');
  assert.equal(map.clusters[0].nameSource, 'user');
  assert.equal(map.clusters[1].nameSource, 'llm');
  assert.equal(map.clusters[1].name, names.clusters[1].name);
  await topicRenameJob({ ...params, cluster: 0, name: '' }, ctx);
  const list = await topicListJob(params, ctx);
  assert.equal(list.clusters[0].nameSource, 'llm');
  await assert.rejects(topicRenameJob({ ...params, cluster: 99, name: 'x' }, ctx), /no cluster 99/);
});

test('export clusters carries the names', async () => {
  const out = path.join(dir, 'export.csv');
  await exportClustersJob({ ...params, out }, ctx);
  const lines = readFileSync(out, 'utf8').split('\n');
  assert.match(lines[0], /^id,cluster,topic,name,x,y/);
  const names = (await topicListJob(params, ctx)).clusters.map((c) => c.name!);
  assert.ok(names.every((n) => lines.slice(1).some((l) => l.includes(`,${n},`) || l.includes(`,"${n}",`))), 'every name is in the CSV');
});

test('bad answers: prose is read, broken JSON and wrong language are retried, a second failure falls back to keywords and is counted', async () => {
  server.script.push('prose', 'broken', 'wrong-language');
  server.fallback = 'broken'; // the 4th request and every retry after the first three
  const r = await topicNamesJob({ ...params, refresh: true }, ctx);
  // prose: 1 request; broken: 2 (then broken again: fallback); wrong-language: 2 (retry broken: fallback); 4th: 2 broken
  const sources = r.clusters.map((c) => c.source).sort();
  assert.deepEqual(sources, ['cache', 'cache', 'cache', 'llm'], 'refreshed clusters without a valid answer keep their cached name');
  assert.equal(r.failures.length, 3);
  assert.match(r.failures[0].error, /no valid answer after 2 attempts: the JSON object in the answer is not closed/);
  const retries = server.requests.filter((q) => q.body.messages.length === 4);
  assert.equal(retries.length, 3, 'each invalid answer is sent back once');
  assert.ok(retries.some((q) => /the answer is in French; write it in English/.test(q.body.messages[3].content)), 'the wrong-language retry says why');
});

test('a failure with no cached name falls back to the keywords', async () => {
  server.fallback = 'broken';
  const r = await topicNamesJob({ ...params, model: 'fresh-model' }, ctx);
  assert.equal(r.failures.length, 4);
  for (const c of r.clusters.filter((x) => x.source !== 'user')) {
    assert.equal(c.source, 'fallback');
    assert.equal(c.name, c.keywords.slice(0, 3).join(', '));
  }
});

test('429 and 500 are retried; a 401 stops the batch with the finished answers kept', async () => {
  server.script.push({ status: 429, retryAfter: 0 }, { status: 500 });
  const ok = await topicNamesJob({ ...params, model: 'm-429', concurrency: 1 }, ctx);
  assert.deepEqual(ok.failures, []);
  assert.equal(server.requests.length, 6);
  server.requests.length = 0;
  server.script.push('good', { status: 401, message: 'bad key' });
  await assert.rejects(topicNamesJob({ ...params, model: 'm-401', concurrency: 1 }, ctx), (err: unknown) => err instanceof EndpointError && /HTTP 401: bad key/.test(err.message));
  const { store } = await readTopicStore(path.join(dir, 'topics.json'));
  assert.equal(store.names.filter((n) => n.model === 'm-401').length, 1);
});

test('cancel: a cancelled batch keeps what it finished', async () => {
  server.fallback = { slowMs: 150 };
  server.script.push('good');
  const ac = new AbortController();
  const pending = topicNamesJob({ ...params, model: 'm-cancel', concurrency: 1 }, { ...ctx, signal: ac.signal });
  while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
  ac.abort();
  await assert.rejects(pending, (err: unknown) => isCancelledError(err));
  const { store } = await readTopicStore(path.join(dir, 'topics.json'));
  assert.equal(store.names.filter((n) => n.model === 'm-cancel').length, 1);
});

test('judgments: coherence, reason and misfits from a numbered sample; mean coherence; cached', async () => {
  server.answer = (req) => (/"coherence"/.test(req.body.messages[0].content) ? { coherence: 3, reason: 'Mostly one subject, some strays.', misfits: [2, 2, 5] } : {});
  const r = await clusterJudgmentsJob({ ...params, judgeSample: 8 }, ctx);
  assert.equal(r.judged, 4);
  assert.equal(r.meanCoherence, 3);
  for (const req of server.requests) {
    const lines = req.body.messages[1].content.split('\n').filter((l) => /^\d+\. /.test(l));
    assert.equal(lines.length, 8);
    assert.match(req.body.messages[1].content, /^Keywords: /);
  }
  for (const c of r.clusters) {
    assert.equal(c.misfits.length, 2, 'repeated numbers count once');
    assert.equal(c.sampled, 8);
  }
  const user = server.requests[0].body.messages[1].content.split('\n').filter((l) => /^\d+\. /.test(l));
  const cluster = r.clusters.find((c) => server.requests[0].body.messages[1].content.startsWith(`Keywords: ${c.keywords.join(', ')}`))!;
  assert.ok(user[1].startsWith(`2. ${cluster.misfits[0].text.slice(0, 30)}`), 'misfit 2 is the second sampled text');
  server.requests.length = 0;
  const again = await clusterJudgmentsJob({ ...params, judgeSample: 8 }, ctx);
  assert.equal(server.requests.length, 0);
  assert.ok(again.clusters.every((c) => c.source === 'cache'));
  const map = await mapPointsJob(params, ctx);
  assert.ok(map.clusters.every((c) => c.coherence === 3));
  // What Compare Runs shows for an encoder: the mean over its judged clusters, with the model.
  assert.deepEqual(await encoderCoherence(dir, 'builtin'), { mean: 3, judged: 4, clusters: 4, models: ['test-model'] });
  assert.equal(await encoderCoherence(dir, 'run:none'), undefined);
});

test('a judgment out of range is retried, then "no judgment"', async () => {
  server.answer = () => ({ coherence: 9, reason: 'x' });
  const r = await clusterJudgmentsJob({ ...params, model: 'judge-bad' }, ctx);
  assert.equal(r.judged, 0);
  assert.equal(r.meanCoherence, undefined);
  assert.ok(r.clusters.every((c) => c.source === 'none'));
  assert.equal(r.failures.length, 4);
  assert.match(r.failures[0].error, /"coherence" must be an integer from 1 to 5/);
});

test('no key in any project file; a broken topics.json is an error naming it', async () => {
  for (const f of filesUnder(dir)) assert.ok(!readFileSync(f).includes(KEY), `${f} holds the key`);
  writeFileSync(path.join(dir, 'topics.json'), '{ broken');
  await assert.rejects(topicNamesJob(params, ctx), /topics\.json: is not valid JSON/);
});
