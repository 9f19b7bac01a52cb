// `embedlab topics name|judge|rename|list` in process, against the test chat server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { runCli, FIXTURES } from './helpers';
import { startChatServer, type ChatServer } from '../../fixtures/chat-server/chat-server';

const KEY = 'sk-cli-topics-secret';
const dir = mkdtempSync(path.join(tmpdir(), 'el-cli-topics-'));
let server: ChatServer;
let llm: string;
const where = () => ['--project', dir, '--dataset', 'news', '--algo', 'kmeans', '--k', '3'];

before(async () => {
  process.env.EMBEDLAB_LLM_API_KEY = KEY;
  server = await startChatServer();
  llm = `${server.base}/v1#cli-model`;
  assert.equal((await runCli('init', dir, '--text', '{title}. {description}')).code, 0);
  assert.equal((await runCli('import', path.join(FIXTURES, 'sample', 'ag-news-300.jsonl'), '--project', dir, '--name', 'news')).code, 0);
});
after(async () => {
  delete process.env.EMBEDLAB_LLM_API_KEY;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('without --yes and without a terminal nothing is sent: the plan is shown and the command asks for --yes', async () => {
  const r = await runCli('topics', 'name', ...where(), '--llm', llm);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /3 requests \(up to 6 with retries\), about [\d,]+ prompt tokens \+ at most 600 answer tokens, to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(model cli-model\); 0 of 3 clusters answered before/);
  assert.match(r.stderr, /pass --yes to confirm/);
  assert.equal(server.requests.length, 0);
});

test('a "no" on the terminal sends nothing; a "yes" sends the batch', async () => {
  const questions: string[] = [];
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) };
  const no = await main(['topics', 'name', ...where(), '--llm', llm], { ...io, confirm: async (q) => (questions.push(q), false) });
  assert.equal(no, 1);
  assert.match(err, /nothing sent/);
  assert.equal(server.requests.length, 0);
  const yes = await main(['topics', 'name', ...where(), '--llm', llm], { ...io, confirm: async () => true });
  assert.equal(yes, 0, err);
  assert.equal(server.requests.length, 3);
  assert.deepEqual(questions, ['Send them?']);
  assert.match(out, /\[llm\]/);
});

test('--json with --yes: names from the cache, then judgments; list and rename', async () => {
  server.requests.length = 0;
  const names = await runCli('topics', 'name', ...where(), '--llm', llm, '--yes', '--json');
  assert.equal(names.code, 0, names.stderr);
  const r = JSON.parse(names.stdout) as { clusters: { id: number; name: string; source: string }[]; plan: { requests: number; cached: number } };
  assert.equal(r.plan.requests, 0);
  assert.equal(r.plan.cached, 3);
  assert.ok(r.clusters.every((c) => c.source === 'cache'));
  assert.equal(server.requests.length, 0);

  const judged = await runCli('topics', 'judge', ...where(), '--llm', llm, '--yes', '--json', '--sample', '6');
  assert.equal(judged.code, 0, judged.stderr);
  const j = JSON.parse(judged.stdout) as { meanCoherence: number; judged: number; plan: { model: string } };
  assert.equal(j.judged, 3);
  assert.equal(j.meanCoherence, 4);
  assert.equal(j.plan.model, 'cli-model');

  const renamed = await runCli('topics', 'rename', '1', 'Space and science', ...where());
  assert.equal(renamed.code, 0, renamed.stderr);
  const list = await runCli('topics', 'list', ...where());
  assert.match(list.stdout, /^1 \(\d+\) Space and science \[user\] coherence 4: /m);
  assert.match(list.stdout, /^0 \(\d+\) .+ \[llm\] coherence 4: /m);
});

test('bad input: no --llm, a bad URL, a key in the URL, an unknown action', async () => {
  assert.match((await runCli('topics', 'name', ...where())).stderr, /missing --llm/);
  assert.match((await runCli('topics', 'name', ...where(), '--llm', 'localhost:1234')).stderr, /field "llm": "localhost:1234" is not a valid URL|only http/);
  assert.match((await runCli('topics', 'name', ...where(), '--llm', `${server.base}/v1?api_key=sk-1`)).stderr, /field "llm": do not put secrets/);
  assert.equal((await runCli('topics', 'frobnicate', ...where())).code, 2);
});

test('the key is in no project file', () => {
  const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? files(path.join(d, n)) : [path.join(d, n)]));
  for (const f of files(dir)) assert.ok(!readFileSync(f).includes(KEY), f);
});
