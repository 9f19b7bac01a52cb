// The LLM jobs through the real engine process, as the extension runs them: the key travels as a
// job secret, the plan comes first, names arrive on the map's points; offline mode refuses a
// remote chat endpoint but not a local one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EngineClient } from '../../../src/engine/jobs/client';
import { createProject } from '../../../src/engine/project/store';
import { startChatServer, type ChatServer } from '../../fixtures/chat-server/chat-server';

const entry = path.resolve(__dirname, '../../../src/engine/jobs/engine-process.ts');
const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const client = new EngineClient({ entry });
const dir = mkdtempSync(path.join(tmpdir(), 'el-llm-engine-'));
let server: ChatServer;

before(async () => {
  server = await startChatServer();
  await createProject(dir, { name: 'llm-engine', template: '{title}. {description}' });
  await client.run({ type: 'import', params: { projectDir: dir, file: sample, name: 'news', idField: 'id' } });
});
after(async () => {
  await client.dispose();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = () => ({ projectDir: dir, dataset: 'news', encoder: 'builtin', settings: { algo: 'kmeans' as const, k: 3, seed: 42 }, offline: true, llm: `${server.base}/v1#engine-model` });

test('plan, then names and judgments in the engine process; the map points carry them', async () => {
  const secrets = { llmApiKey: 'sk-engine-secret' };
  const plan = await client.run({ type: 'topicNames', params: { ...base(), planOnly: true } }, { secrets });
  assert.equal(plan.plan.requests, 3);
  assert.equal(server.requests.length, 0);
  const named = await client.run({ type: 'topicNames', params: base() }, { secrets });
  assert.equal(named.clusters.filter((c) => c.source === 'llm').length, 3);
  assert.equal(server.requests[0].headers.authorization, 'Bearer sk-engine-secret');
  const judged = await client.run({ type: 'clusterJudgments', params: base() }, { secrets });
  assert.equal(judged.judged, 3);
  const points = await client.run({ type: 'mapPoints', params: base() }, { secrets });
  assert.deepEqual(points.clusters.map((c) => c.name), named.clusters.map((c) => c.name));
  assert.ok(points.clusters.every((c) => c.nameSource === 'llm' && c.coherence === 4));
});

test('offline mode refuses a chat endpoint on another machine', async () => {
  await assert.rejects(client.run({ type: 'topicNames', params: { ...base(), llm: 'https://api.openai.com/v1#gpt-4o-mini', planOnly: true } }), /offline mode is on: cannot call https:\/\/api\.openai\.com\/v1\/chat\/completions/);
});
