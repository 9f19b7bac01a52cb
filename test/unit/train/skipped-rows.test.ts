// Issue 9 item 7: `train` never drops a row silently. Skipped rows (malformed JSONL, invalid
// UTF-8, a missing label, an unbalanced CSV quote) are counted and listed with their lines in the
// CLI output (text and --json), in the run's config.json and summary.json; --strict makes any
// skip an error naming the file, line and field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toyContext, tempDir, writeLabelled, writeScoredPairs } from './helpers';
import { onlyJson, runCliWith } from '../cli/helpers';

const runCli = (...argv: string[]) => runCliWith({ encoderProviders: toyContext.providers }, ...argv);

const dir = tempDir();

/** A labelled JSONL file with good rows and four bad ones on known lines. */
function labelledWithBadRows(): string {
  const good = path.join(dir, 'good.jsonl');
  writeLabelled(good, 120, 3);
  const lines = fs.readFileSync(good, 'utf8').trim().split('\n').map((l) => Buffer.from(l));
  lines.splice(4, 0, Buffer.from('{"id": "cut", "text": "cut off'));
  lines.splice(9, 0, Buffer.concat([Buffer.from('{"id":"u1","text":"caf'), Buffer.from([0xe9]), Buffer.from('","label":"topic1"}')]));
  lines.splice(14, 0, Buffer.from(JSON.stringify({ id: 'nolabel', text: 't1w1 noise3 words' })));
  lines.splice(19, 0, Buffer.from(JSON.stringify({ id: 'blank', text: 't1w1 noise3 words', label: '  ' })));
  const file = path.join(dir, 'bad-rows.jsonl');
  fs.writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
  return file;
}

const common = (file: string) => ['train', '--train', file, '--text', '{text}', '--label', 'label', '--loss', 'triplet', '--encoder', 'toy:16', '--out', dir, '--batch-size', '16', '--max-steps', '2', '--backend', 'cpu'];

test('train reports skipped rows: count, lines and reasons in --json, the text output, config.json and summary.json', async () => {
  const file = labelledWithBadRows();
  const r = await runCli(...common(file), '--json');
  assert.equal(r.code, 0, r.stderr);
  const json = onlyJson(r);
  const skipped = json.skipped as { train: { skipped: number; skippedByReason: Record<string, number>; skippedRows: { line: number; reason: string }[] } };
  assert.equal(skipped.train.skipped, 4);
  assert.deepEqual(
    skipped.train.skippedRows.map((s) => s.line),
    [5, 10, 15, 20],
  );
  assert.match(skipped.train.skippedRows[0].reason, /invalid JSON/);
  assert.match(skipped.train.skippedRows[1].reason, /invalid UTF-8/);
  assert.match(skipped.train.skippedRows[2].reason, /no value for the label "label"/);
  assert.deepEqual(skipped.train.skippedByReason, { 'invalid JSON': 1, 'invalid UTF-8': 1, 'no value for the label "…"': 2 });

  const runDir = String(json.run);
  const config = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
  assert.equal(config.data.train.skipped, 4);
  assert.deepEqual(config.data.train.skippedRows.map((s: { line: number }) => s.line), [5, 10, 15, 20]);
  const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8'));
  assert.equal(summary.skipped.train.skipped, 4);
  assert.equal(summary.skipped.train.skippedRows[2].field, 'label');

  const text = await runCli(...common(file));
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /skipped 4 rows of .*bad-rows\.jsonl:/);
  assert.match(text.stdout, /bad-rows\.jsonl:10: invalid UTF-8/);
  assert.match(text.stdout, /2 × no value for the label "…"/);
});

test('train --strict: a skipped row is an error naming the file, line and field, with a non-zero exit and no run', async () => {
  const file = labelledWithBadRows();
  const strictDir = path.join(dir, 'strict');
  const argv = common(file).map((a) => (a === dir ? strictDir : a));
  const r = await runCli(...argv, '--strict');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /bad-rows\.jsonl:5: invalid JSON .*--strict/);
  assert.ok(!fs.existsSync(path.join(strictDir, 'runs')), 'no run folder');

  // A file whose only bad row is a missing label: the error names the field.
  const good = path.join(dir, 'good2.jsonl');
  writeLabelled(good, 60, 4);
  fs.appendFileSync(good, JSON.stringify({ id: 'x', text: 'words here' }) + '\n');
  const r2 = await runCli(...common(good).map((a) => (a === dir ? strictDir : a)), '--strict');
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /good2\.jsonl:61, field "label": no value for the label "label"/);
});

test('sweep shares the loader: it reports the skipped rows, and --strict stops it at the first bad row', async () => {
  const file = labelledWithBadRows();
  const argv = common(file).slice(1).map((a) => (a === dir ? path.join(dir, 'sweep') : a));
  const r = await runCli('sweep', ...argv, '--strict');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /bad-rows\.jsonl:5: invalid JSON/);
  const ok = await runCli('sweep', ...argv, '--sweep-id', 's1', '--json');
  assert.equal(ok.code, 0, ok.stderr);
  const json = onlyJson(ok) as { dataSkipped: { train: { skipped: number; skippedRows: { line: number }[] } } };
  assert.equal(json.dataSkipped.train.skipped, 4);
  assert.deepEqual(json.dataSkipped.train.skippedRows.map((s) => s.line), [5, 10, 15, 20]);
  const text = await runCli('sweep', ...argv, '--sweep-id', 's1');
  assert.match(text.stdout, /skipped 4 rows of .*bad-rows\.jsonl:/);
});

test('scored pairs in CSV: an unbalanced quote and an empty text are skipped and reported; "0x1" is not a score', async () => {
  const jsonl = path.join(dir, 'pairs.jsonl');
  writeScoredPairs(jsonl, 80, 5);
  const rows = fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text1: string; text2: string; score: number });
  const csvLines = ['text1,text2,score', ...rows.map((p) => `${p.text1},${p.text2},${p.score}`)];
  csvLines.splice(3, 0, '"opened here,second text,0.5', 'closed" here,x,0.5'); // an unbalanced quote takes two lines
  csvLines.splice(7, 0, ' ,second text,0.5'); // an empty text1
  const csv = path.join(dir, 'pairs.csv');
  fs.writeFileSync(csv, csvLines.join('\n') + '\n');
  const argv = ['train', '--train', csv, '--loss', 'cosine', '--encoder', 'toy:16', '--out', dir, '--batch-size', '16', '--max-steps', '2', '--backend', 'cpu', '--json'];
  const r = await runCli(...argv);
  assert.equal(r.code, 0, r.stderr);
  const skipped = (onlyJson(r).skipped as { train: { skipped: number; skippedRows: { line: number; reason: string; field?: string }[] } }).train;
  assert.deepEqual(skipped.skippedRows.map((s) => s.line), [4, 8]);
  assert.match(skipped.skippedRows[0].reason, /malformed CSV: .*the row spans lines 4–5, is a quote on line 4 unbalanced\?/);
  assert.deepEqual([skipped.skippedRows[1].reason, skipped.skippedRows[1].field], ['empty text', 'text1']);

  const hex = path.join(dir, 'hex.csv');
  fs.writeFileSync(hex, [...csvLines.slice(0, 3), 'one text,other text,0x1', ...csvLines.slice(9)].join('\n') + '\n');
  const bad = await runCli(...argv.map((a) => (a === csv ? hex : a)));
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /hex\.csv:4, field "score": "0x1" is not a number/);
});
