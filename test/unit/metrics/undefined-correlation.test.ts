// Issue 9 item 10: text1 == text2 everywhere, constant gold scores or constant similarities make
// Spearman undefined. eval-sts and the training evaluation say why instead of a silent NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { undefinedCorrelationReason, scoredPairCorrelations } from '../../../src/engine/metrics';
import { runCliWith } from '../cli/helpers';
import { toyContext } from '../train/helpers';

const runCli = (...argv: string[]) => runCliWith({ encoderProviders: toyContext.providers }, ...argv);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-nan-'));

test('undefinedCorrelationReason: constant gold, constant (or rounding-only) predictions, too few pairs', () => {
  assert.equal(undefinedCorrelationReason([0.1, 0.5, 0.3], [0, 1, 0.5]), undefined);
  assert.match(undefinedCorrelationReason([0.1, 0.5, 0.3], [0.5, 0.5, 0.5])!, /all gold scores are equal/);
  assert.match(undefinedCorrelationReason([1, 1, 1], [0, 1, 0.5])!, /all predicted similarities are equal/);
  assert.match(undefinedCorrelationReason([1, 0.9999999403953552, 1.0000001], [0, 1, 0.5])!, /all predicted similarities are equal/);
  assert.match(undefinedCorrelationReason([1], [0])!, /fewer than 2 pairs/);
  assert.throws(() => scoredPairCorrelations([1, 1], [0, 1]), /Spearman is undefined: all predicted similarities are equal/);
});

function pairsFile(name: string, make: (i: number) => { text1: string; text2: string; score: number }): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Array.from({ length: 40 }, (_, i) => JSON.stringify(make(i))).join('\n') + '\n');
  return file;
}

test('eval-sts: text1 == text2 everywhere, or constant scores, is an error that says why (never NaN with exit 0)', async () => {
  const same = pairsFile('same.jsonl', (i) => ({ text1: `t${i % 6}w1 noise${i}`, text2: `t${i % 6}w1 noise${i}`, score: (i % 5) / 4 }));
  const r = await runCli('eval-sts', same, '--encoder', 'toy:16', '--json');
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /same\.jsonl: Spearman and Pearson are undefined: all predicted similarities are equal/);
  const flat = pairsFile('flat.jsonl', (i) => ({ text1: `t${i % 6}w1 noise${i}`, text2: `t${(i + 1) % 6}w2 noise${i + 3}`, score: 0.5 }));
  const r2 = await runCli('eval-sts', flat, '--encoder', 'toy:16', '--json');
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /flat\.jsonl: Spearman and Pearson are undefined: all gold scores are equal \(0\.5\)/);
});

test('training on pairs with text1 == text2 everywhere fails with the reason, not "NaN"', async () => {
  const same = pairsFile('same-train.jsonl', (i) => ({ text1: `t${i % 6}w1 noise${i}`, text2: `t${i % 6}w1 noise${i}`, score: (i % 5) / 4 }));
  const r = await runCli('train', '--train', same, '--loss', 'cosine', '--encoder', 'toy:16', '--out', dir, '--batch-size', '8', '--max-steps', '2', '--backend', 'cpu', '--json');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /the evaluation pairs cannot be scored: Spearman is undefined: all predicted similarities are equal/);
  assert.doesNotMatch(r.stderr, /NaN/);
});
