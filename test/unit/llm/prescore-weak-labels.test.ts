// Training on annotations with LLM pre-scores as weak labels: only when asked; the held-out
// evaluation keeps human scores only; config.json records what was used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newsRecords, runCli, tempDir } from '../cli/helpers';
import { toyProvider } from '../train/helpers';
import { encoderProviders } from '../../../src/engine/encoders/registry';
import { trainJob } from '../../../src/engine/jobs/train-job';
import { appendAnnotation } from '../../../src/engine/project/annotations';
import { appendPrescores, prescoresPath } from '../../../src/engine/project/prescores';

const dir = tempDir('embedlab-weak-');
const project = path.join(dir, 'project');

async function setUp(): Promise<string[]> {
  const news = path.join(dir, 'news.jsonl');
  fs.writeFileSync(news, newsRecords(40).map((r) => JSON.stringify(r)).join('\n') + '\n');
  assert.equal((await runCli('init', project)).code, 0);
  assert.equal((await runCli('import', news, '--project', project, '--name', 'news', '--text', '{title}. {description}', '--label', 'label')).code, 0);
  const ids = fs.readFileSync(path.join(project, 'data', 'news.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
  // 10 human-scored pairs, 12 LLM-only pairs, and one pair with both (the human score wins).
  for (let i = 0; i < 10; i++) await appendAnnotation(path.join(project, 'annotations.jsonl'), { id1: ids[i], id2: ids[i + 20], score: (i % 5) / 4, annotator: 'ann' });
  await appendPrescores(prescoresPath(project), [
    ...Array.from({ length: 12 }, (_, i) => ({ id1: ids[10 + i], id2: ids[22 + (i % 18)], score: 0.375, reason: 'r', model: 'judge-1', promptVersion: 1 })),
    { id1: ids[0], id2: ids[20], score: 1, reason: 'r', model: 'judge-1', promptVersion: 1 },
  ]);
  return ids;
}

function configOf(runId: string): { options: { weakLabels?: { source: string; pairs: number; models: string[]; heldOutHumanPairs: number }; eval?: { file: string } } } {
  return JSON.parse(fs.readFileSync(path.join(project, 'runs', runId, 'config.json'), 'utf8'));
}

test('LLM weak labels: off by default; when asked, the LLM-only pairs train and the evaluation uses human scores only', async () => {
  await setUp();
  const ctx = { secrets: {}, encoderProviders: [toyProvider, ...encoderProviders] };
  const base = { projectDir: project, data: 'annotations', loss: 'cosent' as const, mode: 'head' as const, epochs: 1, encoder: 'toy:16', evalFraction: 0.2 };
  const plain = await trainJob(base, ctx);
  assert.equal(configOf(plain.id).options.weakLabels, undefined);
  const trainLines = () => fs.readFileSync(path.join(project, '.cache', 'train-pairs.jsonl'), 'utf8').trim().split('\n');
  assert.equal(trainLines().length, 10, 'without the opt-in only the human pairs are written');

  const weak = await trainJob({ ...base, llmWeakLabels: true }, ctx);
  const config = configOf(weak.id);
  assert.deepEqual(config.options.weakLabels, { source: 'llm', models: ['judge-1'], pairs: 12, humanPairs: 8, heldOutHumanPairs: 2 });
  assert.equal(trainLines().length, 20);
  const evalLines = fs.readFileSync(config.options.eval!.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { score: number });
  assert.equal(evalLines.length, 2);
  // 0.375 marks the LLM's scores (no human gave it): none in the evaluation, all 12 in training.
  for (const l of evalLines) assert.notEqual(l.score, 0.375);
  assert.equal(trainLines().filter((l) => (JSON.parse(l) as { score: number }).score === 0.375).length, 12);
  await assert.rejects(trainJob({ ...base, data: 'news', llmWeakLabels: true }, ctx), /annotations only/);
});
