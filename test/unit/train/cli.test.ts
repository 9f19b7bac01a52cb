import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseArgs } from '../../../src/cli/args';
import type { CliCommand, CommandContext } from '../../../src/cli/command';
import { trainCommand } from '../../../src/cli/commands/train';
import { runsCommand } from '../../../src/cli/commands/runs';
import { sweepCommand } from '../../../src/cli/commands/sweep';
import { toyContext, tempDir, writeLabelled } from './helpers';

async function run(cmd: CliCommand, argv: string[]): Promise<{ code: number; out: string; log: string[] }> {
  let out = '';
  const log: string[] = [];
  const ctx: CommandContext = {
    args: parseArgs(argv, cmd.options),
    log: (l) => log.push(l),
    stdout: (t) => (out += t),
    signal: new AbortController().signal,
    encoderProviders: toyContext.providers,
  };
  const code = await cmd.run(ctx);
  return { code, out, log };
}

test('embedlab train --json prints {run, before, after}; runs lists it; full mode on an encoder it cannot train is refused clearly', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'lab.jsonl');
  writeLabelled(file, 160, 9);
  const common = ['--train', file, '--text', '{text}', '--label', 'label', '--encoder', 'toy:32', '--out', dir, '--batch-size', '16', '--backend', 'cpu'];
  const r = await run(trainCommand, [...common, '--loss', 'triplet', '--distance', 'cosine', '--margin', '0.5', '--epochs', '2', '--seed', '5', '--json']);
  assert.equal(r.code, 0);
  const result = JSON.parse(r.out);
  assert.ok(result.run.startsWith(path.join(dir, 'runs')));
  assert.ok(typeof result.before.top10 === 'number' && typeof result.after.top10 === 'number');
  const listed = JSON.parse((await run(runsCommand, ['--project', dir, '--json'])).out);
  assert.equal(listed.runs.length, 1);
  assert.equal(listed.runs[0].state, 'completed');
  await assert.rejects(run(trainCommand, [...common, '--loss', 'mnr', '--mode', 'full']), /full mode trains a BERT-family model: "toy:32" is not a model folder/);
  const sweep = JSON.parse((await run(sweepCommand, [...common, '--loss', 'triplet,mnr', '--max-steps', '3', '--sweep-id', 'g', '--json'])).out);
  assert.deepEqual(
    sweep.runs.map((x: { loss: string; status: string }) => `${x.loss}:${x.status}`),
    ['triplet:completed', 'mnr:completed'],
  );
});
