// Issue 12 item 1: the loss follows the data. Scored pairs train with a score-aware loss by
// default; MNR on scored pairs keeps only the pairs at or above the threshold and says how many;
// labels train MNR on same-label pairs; a loss that cannot use the data is refused; a small
// evaluation set is named as such; the epochs come from the data when not given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { toyContext, tempDir, writeLabelled, writePairs, writeScoredPairs } from './helpers';
import { chooseLoss, dataShapeOf, DEFAULT_SCORED_LOSS } from '../../../src/engine/train/choose-loss';
import { train } from '../../../src/engine/train/trainer';
import { readSummary, runFiles } from '../../../src/engine/train/runs';
import { InputError } from '../../../src/engine/util/errors';
import { TRAIN_DEFAULTS } from '../../../src/engine/defaults';

const dir = tempDir();
const scored = path.join(dir, 'scored.jsonl');
const labelled = path.join(dir, 'labelled.jsonl');
const pairs = path.join(dir, 'pairs.jsonl');
const texts = path.join(dir, 'texts.jsonl');
writeScoredPairs(scored, 200, 1);
writeLabelled(labelled, 120, 3);
writePairs(pairs, 100, 4);
writeFileSync(texts, ['{"text":"a b"}', '{"text":"c d"}', '{"text":"e f"}'].join('\n') + '\n');

const base = { encoder: 'toy:32', batchSize: 16, lr: 1e-2, backend: 'wasm' as const, encoderContext: toyContext };

test('the default loss follows the shape of the data', () => {
  assert.equal(chooseLoss('scored', undefined).loss, DEFAULT_SCORED_LOSS);
  assert.ok(['cosine', 'cosent'].includes(DEFAULT_SCORED_LOSS), 'scored pairs default to a score-aware loss');
  assert.equal(chooseLoss('scored', 'auto').minScore, undefined, 'a score-aware loss trains on every pair');
  assert.equal(chooseLoss('labelled', 'auto').loss, 'mnr');
  assert.match(chooseLoss('labelled', 'auto').reason, /mnr loss on pairs of texts that share a label/);
  assert.equal(chooseLoss('pairs', 'auto').loss, 'mnr');
  assert.throws(() => chooseLoss('texts', 'auto'), /name a label field \(--label\).*--loss dec/);
});

test('MNR on scored pairs takes only the pairs at or above the threshold', () => {
  const c = chooseLoss('scored', 'mnr');
  assert.equal(c.loss, 'mnr');
  assert.equal(c.minScore, TRAIN_DEFAULTS.mnrMinScore);
  assert.match(c.reason, /treats every pair as a match, so only the pairs scored ≥ 0\.75 train/);
  assert.equal(chooseLoss('scored', 'megabatch', { minScore: 0.5 }).minScore, 0.5);
  assert.throws(() => chooseLoss('scored', 'mnr', { minScore: 2 }), (e: unknown) => e instanceof InputError && e.field === 'min-score');
});

test('a loss that cannot use the data is refused, saying what would', () => {
  const refused = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof InputError && e.field === 'loss' && re.test(e.message));
  refused(() => chooseLoss('labelled', 'cosine'), /the cosine loss cannot use labelled texts .* it trains on scored pairs; use mnr or triplet or dec/);
  refused(() => chooseLoss('pairs', 'cosent'), /cannot use unscored pairs .* use mnr or megabatch/);
  refused(() => chooseLoss('pairs', 'triplet'), /the triplet loss cannot use unscored pairs .* labelled texts \(--label\)/);
  refused(() => chooseLoss('scored', 'triplet'), /cannot use scored pairs/);
  refused(() => chooseLoss('labelled', 'megabatch'), /cannot use labelled texts/);
  refused(() => chooseLoss('texts', 'mnr'), /cannot use plain texts .* use dec/);
});

test('the shape of a file comes from its fields and the ones named', async () => {
  assert.equal(await dataShapeOf(scored, {}, undefined), 'scored');
  assert.equal(await dataShapeOf(pairs, { text1: 'title', text2: 'summary' }, 'auto'), 'pairs');
  assert.equal(await dataShapeOf(labelled, { label: 'label' }, 'auto'), 'labelled');
  assert.equal(await dataShapeOf(labelled, {}, 'auto'), 'texts');
  assert.equal(await dataShapeOf(texts, {}, 'dec'), 'texts');
});

test('train with no loss on scored pairs uses the score-aware default and records why', async () => {
  const r = await train({ ...base, root: path.join(dir, 'auto'), train: { file: scored }, epochs: 1 });
  assert.equal(r.status, 'completed');
  const config = JSON.parse(readFileSync(runFiles(r.run).config, 'utf8'));
  assert.equal(config.options.loss, DEFAULT_SCORED_LOSS);
  assert.equal(config.options.lossChoice.requested, 'auto');
  assert.equal(config.options.lossChoice.shape, 'scored');
  assert.ok('spearman' in r.after, 'evaluated on the held-out scored pairs');
  assert.match((r.notes ?? [])[0], /scored pairs .*follows the 0–1 scores/);
});

test('train --loss mnr on scored pairs trains only the pairs scored ≥ the threshold and says how many it kept', async () => {
  const all = readFileSync(scored, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { score: number });
  const r = await train({ ...base, root: path.join(dir, 'mnr'), train: { file: scored }, loss: 'mnr', minScore: 0.75, epochs: 1, evalFraction: 0 });
  assert.equal(r.status, 'completed');
  const kept = all.filter((p) => p.score >= 0.75).length;
  assert.ok(kept > 20 && kept < all.length - 20, 'the fixture has pairs on both sides of the threshold');
  const config = JSON.parse(readFileSync(runFiles(r.run).config, 'utf8'));
  assert.equal(config.data.train.examples, kept, 'the pairs scored below 0.75 are not trained as matches');
  assert.equal(r.totalSteps, Math.ceil(kept / 16));
  assert.ok(r.notes?.some((n) => n === `kept ${kept} of ${all.length} training pairs (scored ≥ 0.75)`), JSON.stringify(r.notes));
  assert.deepEqual((await readSummary(r.run))?.notes, r.notes);
});

test('labels train MNR on same-label pairs by default; a refused loss writes no run', async () => {
  const r = await train({ ...base, root: path.join(dir, 'labels'), train: { file: labelled, fields: { text: '{text}', label: 'label' } }, epochs: 1 });
  assert.equal(r.status, 'completed');
  assert.equal(JSON.parse(readFileSync(runFiles(r.run).config, 'utf8')).options.loss, 'mnr');
  assert.ok('top10' in r.after);
  await assert.rejects(
    train({ ...base, root: path.join(dir, 'refused'), train: { file: labelled, fields: { text: '{text}', label: 'label' } }, loss: 'cosine', runId: 'x' }),
    /the cosine loss cannot use labelled texts/,
  );
  assert.throws(() => readFileSync(runFiles(path.join(dir, 'refused', 'runs', 'x')).config));
});

test('a small evaluation set is named: "not enough annotations yet (n < 30)"', async () => {
  // 200 pairs, 10 % held out: 20 held-out pairs.
  const r = await train({ ...base, root: path.join(dir, 'small'), train: { file: scored }, epochs: 1 });
  assert.ok(r.notes?.some((n) => n.startsWith('not enough annotations yet (n < 30): the evaluation uses 20 held-out examples')), JSON.stringify(r.notes));
  const big = await train({ ...base, root: path.join(dir, 'big'), train: { file: scored }, evalFraction: 0.2, epochs: 1 });
  assert.ok(!big.notes?.some((n) => n.includes('not enough')), '40 held-out pairs are enough');
});

test('epochs: with evaluation data up to the cap with early stopping; without, from the data size', async () => {
  const withEval = await train({ ...base, root: path.join(dir, 'ep1'), train: { file: scored } });
  const c1 = JSON.parse(readFileSync(runFiles(withEval.run).config, 'utf8'));
  assert.equal(c1.resolved.epochs, TRAIN_DEFAULTS.maxEpochs);
  assert.equal(c1.resolved.patience, TRAIN_DEFAULTS.patience);
  assert.equal(withEval.epochs, TRAIN_DEFAULTS.maxEpochs);
  if (withEval.stoppedEarly) assert.ok(withEval.steps < withEval.totalSteps && withEval.best!.epoch! < withEval.stoppedEarly.epochs);

  const noEval = await train({ ...base, root: path.join(dir, 'ep2'), train: { file: scored }, evalFraction: 0 });
  const c2 = JSON.parse(readFileSync(runFiles(noEval.run).config, 'utf8'));
  const expected = Math.min(TRAIN_DEFAULTS.maxEpochs, Math.ceil(TRAIN_DEFAULTS.examplesPerRun / 200));
  assert.equal(c2.resolved.epochs, expected);
  assert.equal(c2.resolved.epochsFrom, 'data size');
  assert.equal(c2.resolved.patience, 0);
  assert.equal(noEval.totalSteps, expected * Math.ceil(200 / 16));
});
