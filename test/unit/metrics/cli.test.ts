import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseArgs } from '../../../src/cli/args';
import type { CliCommand } from '../../../src/cli/command';
import { evalStsCommand } from '../../../src/cli/commands/eval-sts';
import { evalTopkCommand } from '../../../src/cli/commands/eval-topk';
import { InputError } from '../../../src/engine/util/errors';

const fixtures = path.join(__dirname, '../../fixtures/metrics');

async function runCommand(cmd: CliCommand, argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await cmd.run({
    args: parseArgs(argv, cmd.options),
    log: () => undefined,
    stdout: (t) => out.push(t),
    signal: new AbortController().signal,
  });
  return { code, out };
}

test('eval-sts prints {spearman, pearson, n} as one JSON object', async () => {
  const { code, out } = await runCommand(evalStsCommand, [path.join(fixtures, 'pairs.jsonl'), '--json']);
  assert.equal(code, 0);
  assert.equal(out.length, 1);
  const r = JSON.parse(out[0]) as { spearman: number; pearson: number; n: number };
  assert.equal(r.n, 14);
  assert.ok(r.spearman >= -1 && r.spearman <= 1);
  assert.ok(r.pearson >= -1 && r.pearson <= 1);
});

test('eval-sts names the line of a missing score', async () => {
  await assert.rejects(runCommand(evalStsCommand, [path.join(fixtures, 'pairs-bad.jsonl'), '--json']), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.equal(err.line, 2);
    assert.equal(err.field, 'score');
    return true;
  });
});

test('eval-topk prints {topk, k, n}; topical texts find same-topic neighbours', async () => {
  const file = path.join(fixtures, 'topics.jsonl');
  const { code, out } = await runCommand(evalTopkCommand, [file, '--text', '{text}', '--label', 'topic', '--k', '3', '--json']);
  assert.equal(code, 0);
  const r = JSON.parse(out[0]) as { topk: number; k: number; n: number };
  assert.equal(r.k, 3);
  assert.equal(r.n, 15);
  // Chance level is about 0.33 here; related texts share words.
  assert.ok(r.topk > 0.45, `topk ${r.topk}`);
});
