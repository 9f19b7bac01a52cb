// Run ids from the command line become folder names: `embedlab train --run-id` keeps every run
// under <root>/runs/, refuses names that would leave it or overflow a file name, and refuses to
// silently replace an earlier run (--overwrite replaces it, --resume still continues it).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCliWith } from '../cli/helpers';
import { locateRun } from '../../../src/engine/train/runs';
import { toyContext, tempDir, writeLabelled } from './helpers';

const runCli = (...argv: string[]) => runCliWith({ encoderProviders: toyContext.providers }, ...argv);

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** <sandbox>/root holds runs/ and the data; <sandbox> must keep nothing but root/. */
function makeSandbox(): { sandbox: string; root: string; common: string[] } {
  const sandbox = tempDir();
  made.push(sandbox);
  const root = path.join(sandbox, 'root');
  fs.mkdirSync(root);
  const file = path.join(root, 'lab.jsonl');
  writeLabelled(file, 64, 3);
  const common = ['train', '--train', file, '--text', '{text}', '--label', 'label', '--encoder', 'toy:16', '--out', root, '--loss', 'triplet', '--batch-size', '16', '--max-steps', '2', '--backend', 'cpu', '--json'];
  return { sandbox, root, common };
}

const bad: Array<[string, string, RegExp]> = [
  ['".."', '..', /run id "\.\."/],
  ['"../../escape"', '../../escape', /run id "\.\.\/\.\.\/escape": use letters, digits/],
  ['an absolute path', '/tmp/embedlab-run-escape', /run id "\/tmp\/embedlab-run-escape": use letters, digits/],
  ['a 300-character name', 'r'.repeat(300), /run id "r+…": the name has 300 characters, at most 100 are allowed/],
  ['an empty name', '', /run id "": the name is empty/],
];

for (const [what, id, message] of bad) {
  test(`embedlab train --run-id with ${what} is refused before anything is written`, async () => {
    const { sandbox, root, common } = makeSandbox();
    const r = await runCli(...common, '--run-id', id);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /ENAMETOOLONG|EEXIST/);
    assert.equal(r.stdout, '');
    assert.deepEqual(fs.readdirSync(sandbox), ['root']);
    assert.deepEqual(fs.readdirSync(root).sort(), ['lab.jsonl']);
    assert.equal(fs.existsSync('/tmp/embedlab-run-escape'), false);
    // The evaluation-only run takes the same ids.
    const e = await runCli(...common, '--eval-only', '--eval', path.join(root, 'lab.jsonl'), '--run-id', id);
    assert.equal(e.code, 1, e.stderr);
    assert.match(e.stderr, message);
    assert.deepEqual(fs.readdirSync(sandbox), ['root']);
  });
}

test('reusing a run id is refused and keeps the earlier run; --overwrite replaces it; --resume still continues it', async () => {
  const { root, common } = makeSandbox();
  const first = await runCli(...common, '--run-id', 'r1');
  assert.equal(first.code, 0, first.stderr);
  const config = path.join(root, 'runs', 'r1', 'config.json');
  const before = fs.readFileSync(config, 'utf8');
  fs.writeFileSync(path.join(root, 'runs', 'r1', 'note.txt'), 'mine');

  const again = await runCli(...common, '--run-id', 'r1', '--seed', '7');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /a run "r1" exists already .*--overwrite to replace it.*--resume run:r1/);
  assert.equal(fs.readFileSync(config, 'utf8'), before, 'the earlier run was rewritten');
  assert.ok(fs.existsSync(path.join(root, 'runs', 'r1', 'note.txt')));

  const evalAgain = await runCli(...common, '--eval-only', '--eval', path.join(root, 'lab.jsonl'), '--run-id', 'r1');
  assert.equal(evalAgain.code, 1);
  assert.match(evalAgain.stderr, /a run "r1" exists already/);
  assert.equal(fs.readFileSync(config, 'utf8'), before);

  const resumed = await runCli('train', '--resume', 'run:r1', '--out', root, '--json');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(JSON.parse(resumed.stdout).run, path.join(root, 'runs', 'r1'));

  const replaced = await runCli(...common, '--run-id', 'r1', '--seed', '7', '--overwrite');
  assert.equal(replaced.code, 0, replaced.stderr);
  const after = JSON.parse(fs.readFileSync(config, 'utf8')) as { options: { seed: number } };
  assert.equal(after.options.seed, 7);
  assert.equal(fs.existsSync(path.join(root, 'runs', 'r1', 'note.txt')), false, 'the old run folder was not replaced');
  assert.deepEqual(fs.readdirSync(path.join(root, 'runs')), ['r1']);
});

test('run:<id> is an id, never a path: --encoder run:../x and --resume run:../x are refused', async () => {
  const { sandbox, root, common } = makeSandbox();
  // A real run folder outside runs/ that a path-like id could reach.
  const outside = path.join(sandbox, 'root', 'elsewhere');
  fs.mkdirSync(path.join(outside, 'model'), { recursive: true });
  fs.writeFileSync(path.join(outside, 'config.json'), '{}');
  fs.writeFileSync(path.join(outside, 'model', 'model.json'), '{}');
  await assert.rejects(locateRun('run:../elsewhere', root, 'config.json'), /run id "\.\.\/elsewhere"/);
  const enc = await runCli('embed', path.join(root, 'lab.jsonl'), '--text', '{text}', '--encoder', 'run:../elsewhere', '--project', root, '--out', path.join(root, 'v.npy'));
  assert.equal(enc.code, 1);
  assert.match(enc.stderr, /run id "\.\.\/elsewhere"/);
  const res = await runCli('train', '--resume', 'run:../elsewhere', '--out', root);
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /run id "\.\.\/elsewhere"/);
  void common;
});
