// A venv setup that fails or is cancelled leaves nothing behind: the folder it created is removed,
// a folder that was there before is kept. Real child processes run the plan's commands.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runVenvPlan } from '../../../src/host/commands/venv-install';
import type { VenvPlan } from '../../../src/host/commands/fine-tune-runner';

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'el-venv-install-'));
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

/** Node scripts standing in for `python -m venv` (makes the folder) and a pip that fails. */
function plan(dir: string, pipExit: number): VenvPlan {
  return {
    dir,
    python: path.join(dir, 'bin', 'python'),
    commands: [
      [process.execPath, '-e', `require('fs').mkdirSync(${JSON.stringify(path.join(dir, 'bin'))}, { recursive: true }); require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'pyvenv.cfg'))}, 'x')`],
      [process.execPath, '-e', `process.exit(${pipExit})`],
    ],
    packages: ['torch'],
  };
}

function run(command: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

test('a failing install removes the venv folder it created', async () => {
  const dir = path.join(sandbox, 'new-venv');
  const ran: number[] = [];
  await assert.rejects(runVenvPlan(plan(dir, 3), (c, i) => (ran.push(i), run(c))), /exit 3/);
  assert.deepEqual(ran, [0, 1]);
  assert.equal(fs.existsSync(dir), false, 'the half-made venv is gone');
});

test('a folder that existed before is kept when the install fails', async () => {
  const dir = path.join(sandbox, 'old-venv');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'keep.txt'), 'the user’s');
  await assert.rejects(runVenvPlan(plan(dir, 1), run));
  assert.equal(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8'), 'the user’s');
});

test('a successful plan runs every command and keeps the venv', async () => {
  const dir = path.join(sandbox, 'ok-venv');
  await runVenvPlan(plan(dir, 0), run);
  assert.ok(fs.existsSync(path.join(dir, 'pyvenv.cfg')));
});
