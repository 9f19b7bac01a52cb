// A held-out split of a few scored annotations drawn at random could hold one score only (all 1):
// Spearman is then undefined and the run failed at its first evaluation ("all gold scores are
// equal"), seen in the workbench e2e with 10 annotations. The split now keeps two different scores
// when the data has them; when every pair has the same score, the run trains without evaluation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareData } from '../../../src/engine/train/prepare-data';
import { resolveSettings, type TrainOptions } from '../../../src/engine/train/settings';

function pairsFile(scores: number[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedlab-heldout-scores-'));
  const file = path.join(dir, 'pairs.jsonl');
  writeFileSync(file, scores.map((score, i) => JSON.stringify({ text1: `the first text ${i}`, text2: `the second text ${i}`, score })).join('\n') + '\n');
  return file;
}

const options = (file: string, seed: number): TrainOptions => ({ root: path.dirname(file), train: { file }, loss: 'cosine', mode: 'head', encoder: 'builtin', evalFraction: 0.2, seed });

test('the held-out pairs hold two different scores whenever the annotations do (18 pairs at 1, 2 at 0; seeds 1–12)', async () => {
  const file = pairsFile([...Array(18).fill(1), 0, 0.5]);
  for (let seed = 1; seed <= 12; seed++) {
    const o = options(file, seed);
    const data = await prepareData(o, resolveSettings(o));
    assert.ok(data.eval?.kind === 'scored' && data.train.kind === 'scored');
    assert.equal(data.eval.scores.length, 4, '20 % of 20 pairs');
    assert.ok(new Set(data.eval.scores).size >= 2, `seed ${seed}: held-out scores ${[...data.eval.scores].join(', ')}`);
    assert.equal(data.train.scores.length + data.eval.scores.length, 20, 'every pair is in one part');
    assert.equal(data.heldOut?.length, 4);
  }
});

test('every pair scored alike: no held-out evaluation, every pair trains, and the notes say why', async () => {
  const file = pairsFile(Array(12).fill(1));
  const o = options(file, 3);
  const data = await prepareData(o, resolveSettings(o));
  assert.equal(data.eval, undefined);
  assert.equal(data.heldOut, undefined);
  assert.ok(data.train.kind === 'scored' && data.train.scores.length === 12);
  assert.ok(data.notes.some((n) => /every annotated pair has the score 1: no held-out evaluation/.test(n)), data.notes.join(' | '));
});
