// The active loop's round (issue 12): a real head-mode CoSENT run on the annotations minus the
// fixed held-out part, an ordinary run named "active-loop-1" and tagged "active-loop", Spearman
// on the held-out pairs; and the "uncertain" suggestions change once a run exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProject } from '../../../src/engine/project/store';
import { importDataset } from '../../../src/engine/project/import-dataset';
import { appendAnnotation } from '../../../src/engine/project/annotations';
import { activeLoopTrainJob } from '../../../src/engine/jobs/active-loop-job';
import { activeLoopRounds, latestCompletedRound } from '../../../src/engine/jobs/active-loop-history';
import { suggestRecordPairs } from '../../../src/engine/jobs/suggest-job';
import { isHeldOutPair } from '../../../src/engine/annotate/held-out';
import { readRunMeta } from '../../../src/engine/train/run-meta';
import { createRng } from '../../../src/engine/util/random';
import { toyContext } from '../train/helpers';

const TOPICS = 4;
const ctx = { secrets: {}, encoderProviders: toyContext.providers };

/** A project of 120 records in 4 topics (noise words blur the raw cosine) and `pairs` scored pairs. */
async function projectWithAnnotations(pairs: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-active-loop-'));
  await createProject(dir);
  const rng = createRng(3);
  const topicOf: number[] = [];
  const lines: string[] = [];
  for (let i = 0; i < 120; i++) {
    const t = i % TOPICS;
    topicOf.push(t);
    const words = [`t${t}w${Math.floor(rng() * 2)}`, ...Array.from({ length: 4 }, () => `noise${Math.floor(rng() * 10)}`), `u${i}`];
    lines.push(JSON.stringify({ id: `r${i}`, text: words.join(' ') }));
  }
  const file = path.join(dir, 'in.jsonl');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  await importDataset(dir, file, { name: 'd', template: '{text}', idField: 'id' });
  const log = path.join(dir, 'annotations.jsonl');
  const done = new Set<string>();
  while (done.size < pairs) {
    const a = Math.floor(rng() * 120);
    const b = rng() < 0.4 ? (a + TOPICS * (1 + Math.floor(rng() * 5))) % 120 : Math.floor(rng() * 120);
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (a === b || done.has(key)) continue;
    done.add(key);
    await appendAnnotation(log, { id1: `r${a}`, id2: `r${b}`, score: topicOf[a] === topicOf[b] ? 1 : 0, annotator: 'ann' });
  }
  return dir;
}

test('a round trains an ordinary run on the annotations, never on the held-out pairs, and scores it on them', { timeout: 120_000 }, async () => {
  const dir = await projectWithAnnotations(100);
  // the toy encoder's head needs a higher rate than the default to move in a few steps
  const r = await activeLoopTrainJob({ projectDir: dir, dataset: 'd', encoder: 'toy:32', seed: 1, lr: 1e-2, epochs: 20 }, ctx);
  assert.equal(r.runId, 'active-loop-1');
  assert.equal(r.status, 'completed');
  assert.equal(r.annotations, 100);
  assert.equal(r.trained + r.heldOut, 100);
  assert.ok(r.heldOut >= 10, `${r.heldOut} held out`);
  assert.ok(r.spearman, r.noSpearman);
  assert.ok(r.spearman.run > r.spearman.base, `Spearman ${r.spearman.base} → ${r.spearman.run}`);

  const runDir = path.join(dir, 'runs', 'active-loop-1');
  const config = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
  assert.equal(config.mode, 'head');
  assert.equal(config.options.loss, 'cosent');
  assert.deepEqual(config.options.activeLoop, { round: 1, annotations: 100, trained: r.trained, heldOut: r.heldOut, heldOutPercent: 20 });
  // The training file holds no held-out pair, the evaluation file only held-out pairs.
  const texts = new Map(fs.readFileSync(path.join(dir, 'data', 'd.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((x) => [x.text, x.id]));
  const pairsOf = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((p) => [texts.get(p.text1), texts.get(p.text2)] as [string, string]);
  const trained = pairsOf(config.options.train.file);
  const heldOut = pairsOf(config.options.eval.file);
  assert.equal(trained.length, r.trained);
  assert.equal(heldOut.length, r.heldOut);
  assert.ok(trained.every(([a, b]) => !isHeldOutPair(a, b, 20)), 'no held-out pair in the training file');
  assert.ok(heldOut.every(([a, b]) => isHeldOutPair(a, b, 20)));
  assert.equal(config.options.evalFraction, 0, 'nothing else is held out of the training pairs');

  const meta = await readRunMeta(runDir);
  assert.equal(meta.name, 'active-loop-1');
  assert.deepEqual(meta.tags, ['active-loop']);
  const rounds = await activeLoopRounds(dir);
  assert.deepEqual(rounds.map((x) => [x.round, x.runId, x.status, x.annotations]), [[1, 'active-loop-1', 'completed', 100]]);
  assert.equal(rounds[0].run, r.spearman.run);

  // More annotations: the next round is active-loop-2, and the pairs held out before are still held out.
  const log = path.join(dir, 'annotations.jsonl');
  for (let i = 0; i < 10; i++) await appendAnnotation(log, { id1: `r${i}`, id2: `r${i + 60}`, score: i % TOPICS === (i + 60) % TOPICS ? 1 : 0, annotator: 'ann' });
  const r2 = await activeLoopTrainJob({ projectDir: dir, dataset: 'd', encoder: 'toy:32', seed: 1, epochs: 1 }, ctx);
  assert.equal(r2.runId, 'active-loop-2');
  const config2 = JSON.parse(fs.readFileSync(path.join(dir, 'runs', 'active-loop-2', 'config.json'), 'utf8'));
  const heldOut2 = new Set(pairsOf(config2.options.eval.file).map(([a, b]) => `${a}|${b}`));
  for (const [a, b] of heldOut) assert.ok(heldOut2.has(`${a}|${b}`), 'a held-out pair stays held out');
  assert.ok(pairsOf(config2.options.train.file).every(([a, b]) => !isHeldOutPair(a, b, 20)));

  // The "uncertain" suggestions, without and with the loop's run: a different order.
  const params = { projectDir: dir, dataset: 'd', encoder: 'toy:32', strategy: 'uncertain' as const, count: 15, seed: 5 };
  const before = (await suggestRecordPairs(params, ctx)).pairs;
  const after = (await suggestRecordPairs({ ...params, secondEncoder: 'run:active-loop-1' }, ctx)).pairs;
  assert.equal(before.length, 15);
  assert.equal(after.length, 15);
  assert.ok(after.every((p) => typeof p.similarity2 === 'number'), 'each pair has the run\'s similarity');
  const key = (p: { id1: string; id2: string }) => `${p.id1}|${p.id2}`;
  assert.notDeepEqual(after.map(key), before.map(key), 'the run changes the suggestions');
});

test('too few held-out pairs: the run still trains, and says why there is no Spearman', { timeout: 60_000 }, async () => {
  const dir = await projectWithAnnotations(6);
  const r = await activeLoopTrainJob({ projectDir: dir, dataset: 'd', encoder: 'toy:32', seed: 1, epochs: 1 }, ctx);
  assert.equal(r.status, 'completed');
  assert.equal(r.spearman, undefined);
  assert.match(r.noSpearman ?? '', /held-out pairs? \(Spearman needs 10\)|all have the score/);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'runs', 'active-loop-1', 'config.json'), 'utf8'));
  assert.equal(config.options.eval, undefined);
});

test('a round is cancellable: it stops at its next step and stays as a cancelled run, not counted as the latest', { timeout: 60_000 }, async () => {
  const dir = await projectWithAnnotations(40);
  const controller = new AbortController();
  const r = await activeLoopTrainJob(
    { projectDir: dir, dataset: 'd', encoder: 'toy:32', seed: 1, epochs: 50 },
    { ...ctx, signal: controller.signal, onProgress: (p) => { if (p.stage === 'train' && p.done >= 2) controller.abort(); } },
  );
  assert.equal(r.status, 'cancelled');
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'runs', 'active-loop-1', 'summary.json'), 'utf8'));
  assert.equal(summary.status, 'cancelled');
  assert.ok(summary.step < summary.totalSteps, `stopped at step ${summary.step} of ${summary.totalSteps}`);
  const rounds = await activeLoopRounds(dir);
  assert.equal(rounds[0].status, 'cancelled');
  assert.equal(latestCompletedRound(rounds), undefined);
});
