// LLM pre-scores of pairs: `embedlab annotations prescore` against the local chat server, kept in
// prescores.jsonl apart from the human log; pre-scored pairs first in the annotation queue with the
// model's score hidden unless asked for; the agreement report checked against a hand computation.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, newsRecords, onlyJson, runCli, tempDir } from '../cli/helpers';
import { startChatServer, type ChatServer } from '../../fixtures/chat-server/chat-server';
import { llmHumanAgreement } from '../../../src/engine/annotate/llm-agreement';
import type { AnnotationEntry } from '../../../src/engine/project/annotations';
import { readPrescores, prescoresPath, type PrescoreEntry } from '../../../src/engine/project/prescores';
import { planPrescore, prescorePairs } from '../../../src/engine/jobs/prescore-job';
import { suggestRecordPairs } from '../../../src/engine/jobs/suggest-job';
import { PAIR_TEXT_MAX_CHARS } from '../../../src/engine/llm/pair-score-prompt';

const KEY = 'sk-prescore-secret-0123456789';
let server: ChatServer;
const dir = tempDir('embedlab-prescore-');
const project = path.join(dir, 'project');
const TEMPLATE = '{title}. {description}';

before(async () => {
  server = await startChatServer();
  const records = newsRecords(24);
  records[0] = { ...records[0], description: `${records[0].description} ${'Une très longue dépêche sur les marchés. '.repeat(200)}` };
  const news = path.join(dir, 'news.jsonl');
  fs.writeFileSync(news, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  assert.equal((await runCli('init', project)).code, 0);
  assert.equal((await runCli('import', news, '--project', project, '--name', 'news', '--text', TEMPLATE, '--label', 'label')).code, 0);
  process.env.EMBEDLAB_LLM_API_KEY = KEY;
});
after(async () => {
  delete process.env.EMBEDLAB_LLM_API_KEY;
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
  server.fallback = 'good';
});

const ctx = { secrets: { llmApiKey: KEY } };
/** The record ids the import gave the dataset, in file order. */
function recordIds(): string[] {
  return fs.readFileSync(path.join(project, 'data', 'news.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
}
const llm = () => `${server.base}/v1?model=judge-1`;

test('the agreement report matches a hand computation (Spearman and Krippendorff alpha)', () => {
  const time = '2026-01-01T00:00:00Z';
  const human = (id1: string, id2: string, score: number, annotator = 'ann'): AnnotationEntry => ({ schemaVersion: 1, id1, id2, score, annotator, time });
  const llmScore = (id1: string, id2: string, score: number): PrescoreEntry => ({ schemaVersion: 1, id1, id2, score, model: 'm', promptVersion: 1, source: 'llm', time });
  // Human consensus of a~b is the mean of two annotators: (0 + 0) / 2.
  const report = llmHumanAgreement(
    [human('a', 'b', 0), human('a', 'b', 0, 'other'), human('c', 'd', 0.5), human('e', 'f', 1), human('g', 'h', 0.25), human('x', 'y', 1)],
    [llmScore('b', 'a', 0), llmScore('c', 'd', 0.75), llmScore('e', 'f', 1), llmScore('g', 'h', 0), llmScore('p', 'q', 1)],
  );
  assert.equal(report.pairs, 4);
  assert.equal(report.prescored, 5);
  assert.equal(report.humanScored, 5);
  // ranks human [1, 3, 4, 2], llm [1.5, 3, 4, 1.5]: r = 4.5 / sqrt(5 · 4.5) = 3 / sqrt(10)
  assert.ok(Math.abs(report.spearman! - 3 / Math.sqrt(10)) < 1e-12, String(report.spearman));
  // D_o = (2·0.25² + 2·0.25²) / 8 = 0.03125; D_e = (2·8·2.875 − 2·3.5²) / 56 = 21.5 / 56
  assert.ok(Math.abs(report.alpha! - (1 - 0.03125 / (21.5 / 56))) < 1e-12, String(report.alpha));
  assert.ok(Math.abs(report.meanAbsDiff! - 0.125) < 1e-12);
  assert.equal(report.exact, 0.5);
  assert.equal(report.withinStep, 1);
  assert.deepEqual(report.largestDifferences.slice(0, 2).map((p) => `${p.id1}~${p.id2}`).sort(), ['c~d', 'g~h']);
});

test('prescore: asks before sending, then writes machine scores apart from the human log; the key reaches no file', async () => {
  const refused = await runCli('annotations', 'prescore', '--project', project, '--dataset', 'news', '--llm', llm(), '--count', '5');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /5 requests.*--yes/s);
  assert.equal(server.requests.length, 0, 'nothing is sent before the user agrees');

  const r = await runCli('annotations', 'prescore', '--project', project, '--dataset', 'news', '--llm', llm(), '--count', '5', '--yes', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = onlyJson(r) as { scored: number; failed: number; model: string; usage: { requests: number } };
  assert.equal(out.scored, 5);
  assert.equal(out.failed, 0);
  assert.equal(out.model, 'judge-1');
  assert.equal(server.requests.length, 5);
  for (const req of server.requests) assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  const log = await readPrescores(prescoresPath(project));
  assert.equal(log.entries.length, 5);
  for (const e of log.entries) {
    assert.equal(e.source, 'llm');
    assert.equal(e.score, 0.5);
    assert.match(e.reason ?? '', /share the subject|partagent le sujet/);
  }
  assert.equal(fs.existsSync(path.join(project, 'annotations.jsonl')) ? fs.readFileSync(path.join(project, 'annotations.jsonl'), 'utf8').trim() : '', '', 'no human entry was made');
  for (const f of listFiles(project)) assert.ok(!fs.readFileSync(path.join(project, f)).includes(KEY), `${f} holds the key`);
  // The rubric is the scale; the pair's texts are in the prompt.
  const prompt = server.prompts()[0];
  assert.match(prompt, /0\.25: same broad topic or region/);
  assert.match(prompt, /Text A:[\s\S]+Text B:/);
});

test('prescore: long texts are truncated in the prompt; pairs already pre-scored by the model are not asked again', async () => {
  const [long, other] = recordIds();
  const pairs = [{ id1: long, id2: other }];
  const plan = await planPrescore({ projectDir: project, dataset: 'news', llm: llm(), pairs }, ctx);
  assert.equal(plan.pairs.length, 1);
  assert.ok(plan.estimate.promptTokens < (2 * PAIR_TEXT_MAX_CHARS + 2000) / 4, `estimate ${plan.estimate.promptTokens}`);
  await prescorePairs({ projectDir: project, dataset: 'news', llm: llm(), pairs: plan.pairs }, ctx);
  const prompt = server.prompts()[0];
  assert.ok(prompt.length < 2 * PAIR_TEXT_MAX_CHARS + 1500, `prompt of ${prompt.length} characters`);
  assert.match(prompt, /…/);
  const again = await planPrescore({ projectDir: project, dataset: 'news', llm: llm(), pairs }, ctx);
  assert.equal(again.pairs.length, 0);
  assert.equal(again.alreadyPrescored, 1);
  const otherModel = await planPrescore({ projectDir: project, dataset: 'news', llm: llm(), model: 'judge-2', pairs }, ctx);
  assert.equal(otherModel.pairs.length, 1, 'another model is another pre-score');
});

test('prescore: prose around the JSON is read; broken JSON twice is a counted failure, not a crash', async () => {
  const ids = recordIds();
  server.script.push('prose', 'broken', 'broken');
  const first = await prescorePairs({ projectDir: project, dataset: 'news', llm: `${llm()}&concurrency=1`, model: 'judge-3', pairs: [{ id1: ids[2], id2: ids[3] }, { id1: ids[4], id2: ids[5] }] }, ctx);
  assert.equal(first.scored, 1);
  assert.equal(first.failed, 1);
  assert.match(first.failures[0].error, /no usable answer after 2 tries/);
  const failedEntry = (await readPrescores(prescoresPath(project))).entries.find((e) => e.model === 'judge-3' && e.score === null);
  assert.ok(failedEntry?.error, 'the failure is in the log with its error');
  // A failed pair is not pre-scored: a later plan asks again.
  const plan = await planPrescore({ projectDir: project, dataset: 'news', llm: llm(), model: 'judge-3', pairs: [{ id1: ids[4], id2: ids[5] }] }, ctx);
  assert.equal(plan.pairs.length, 1);
});

test('prescore: a cancelled batch keeps the answers it finished', async () => {
  const ids = recordIds();
  server.script.push('good');
  server.fallback = 'hang';
  const controller = new AbortController();
  const pairs = [{ id1: ids[6], id2: ids[7] }, { id1: ids[8], id2: ids[9] }, { id1: ids[10], id2: ids[11] }];
  const running = prescorePairs({ projectDir: project, dataset: 'news', llm: `${llm()}&concurrency=1`, model: 'judge-4', pairs }, {
    ...ctx,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.stage === 'pre-score pairs' && p.done === 1) controller.abort();
    },
  });
  const outcome = await running;
  assert.equal(outcome.cancelled, true);
  assert.equal(outcome.scored, 1);
  const kept = (await readPrescores(prescoresPath(project))).entries.filter((e) => e.model === 'judge-4');
  assert.equal(kept.length, 1);
  assert.equal(kept[0].score, 0.5);
});

test('annotation queue: pre-scored pairs come first; the model score is only sent when hints are asked for', async () => {
  const standing = (await readPrescores(prescoresPath(project))).entries.filter((e) => e.score !== null);
  const params = { projectDir: project, dataset: 'news', encoder: 'builtin', strategy: 'random' as const, count: 3, annotator: 'ann' };
  const hidden = await suggestRecordPairs(params, { secrets: {} });
  assert.equal(hidden.pairs.length, 3);
  const keys = new Set(standing.map((e) => [e.id1, e.id2].sort().join('~')));
  for (const p of hidden.pairs) {
    assert.ok(keys.has([p.id1, p.id2].sort().join('~')), 'a pre-scored pair is served first');
    assert.equal(p.prescored, true);
    assert.equal(p.prescore, undefined, 'no hint unless asked');
  }
  const shown = await suggestRecordPairs({ ...params, prescoreHints: true }, { secrets: {} });
  assert.equal(shown.pairs[0].prescore?.score, 0.5);
  assert.ok(shown.pairs[0].prescore?.model);
  // After annotating, llm-agreement reports on the pairs that have both.
  for (const p of hidden.pairs) assert.equal((await runCli('annotations', 'add', p.id1, p.id2, '0.5', '--project', project, '--annotator', 'ann')).code, 0);
  const report = onlyJson(await runCli('annotations', 'llm-agreement', '--project', project, '--json')) as { pairs: number; meanAbsDiff: number };
  assert.ok(report.pairs >= 3);
});

test('a human score records whether the LLM hint was on screen', async () => {
  const { appendAnnotation, readAnnotations, checkAnnotation } = await import('../../../src/engine/project/annotations');
  const file = path.join(dir, 'hint-annotations.jsonl');
  await appendAnnotation(file, { id1: 'a', id2: 'b', score: 0.75, annotator: 'ann', hintShown: true });
  await appendAnnotation(file, { id1: 'a', id2: 'c', score: 0.25, annotator: 'ann' });
  const entries = (await readAnnotations(file)).entries;
  assert.equal(entries[0].hintShown, true);
  assert.equal(entries[1].hintShown, undefined);
  assert.deepEqual(checkAnnotation({ ...entries[0], hintShown: 'yes' }), { field: 'hintShown', reason: 'must be true or false' });
});
