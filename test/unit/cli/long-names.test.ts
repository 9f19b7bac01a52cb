// Names that become file or folder names (datasets, projects) are checked with one rule and a
// length limit: a clear error naming the field, never a raw ENAMETOOLONG from the file system.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newsRecords, runCli, tempDir } from './helpers';
import { validateProjectName } from '../../../src/host/project/scaffold';

const dir = tempDir('embedlab-long-names-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a 300-character project folder or name is refused clearly', async () => {
  const r = await runCli('init', path.join(dir, 'p'.repeat(300)));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /the folder name "p+…" has 300 bytes, file systems allow 255/);
  assert.doesNotMatch(r.stderr, /ENAMETOOLONG/);
  const named = await runCli('init', path.join(dir, 'short'), '--name', 'n'.repeat(300));
  assert.equal(named.code, 1);
  assert.match(named.stderr, /field "name": the project name has 300 characters, at most 100 are allowed/);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('a 300-character dataset name is refused clearly, and so is a file name that would give one', async () => {
  const project = path.join(dir, 'proj');
  assert.equal((await runCli('init', project)).code, 0);
  const data = path.join(dir, `${'d'.repeat(150)}.jsonl`);
  fs.writeFileSync(data, newsRecords(4).map((r) => JSON.stringify(r)).join('\n') + '\n');
  const long = await runCli('import', data, '--project', project, '--text', '{title}', '--name', 'x'.repeat(300));
  assert.equal(long.code, 1);
  assert.match(long.stderr, /field "name": dataset name "x+…": the name has 300 characters, at most 100 are allowed/);
  assert.doesNotMatch(long.stderr, /ENAMETOOLONG/);
  const fromFile = await runCli('import', data, '--project', project, '--text', '{title}');
  assert.equal(fromFile.code, 1);
  assert.match(fromFile.stderr, /dataset name "d+…" of 150 characters \(at most 100\): choose one with --name/);
  assert.deepEqual(fs.readdirSync(path.join(project, 'data')), []);
  const ok = await runCli('import', data, '--project', project, '--text', '{title}', '--name', 'news');
  assert.equal(ok.code, 0, ok.stderr);
});

test('the New Project box refuses names made of dots (they would name the workspace or its parent) and long names', () => {
  assert.ok(validateProjectName('..'));
  assert.ok(validateProjectName('.'));
  assert.ok(validateProjectName('n'.repeat(101)));
  assert.equal(validateProjectName('my project.v2'), undefined);
});
