/**
 * project.json under concurrent writers: `embedlab import` runs from several processes
 * into one project all end up listed (the read-modify-write is under a lock file), a
 * lock left by a dead process is broken, and temp files left by a killed import are
 * removed at the next import and ignored by git.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import * as path from 'node:path';
import { BIN } from '../cli/helpers';
import { createProject, openProject, updateProject, projectPaths, ensureGitignore } from '../../../src/engine/project/store';
import { importDataset } from '../../../src/engine/project/import-dataset';
import { withFileLock } from '../../../src/engine/util/file-lock';

const root = mkdtempSync(path.join(tmpdir(), 'el-conc-'));
after(() => rmSync(root, { recursive: true, force: true }));

function csv(name: string, rows: number): string {
  const file = path.join(root, `${name}.csv`);
  writeFileSync(file, 'text,label\n' + Array.from({ length: rows }, (_, i) => `row ${i} of ${name},l${i % 3}\n`).join(''));
  return file;
}

function embedlab(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** The pid of a process that has exited (so it is not alive, and not reused that soon). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('4 processes × 3 rounds of `embedlab import` into one project: every dataset is listed and every data file referenced', { timeout: 120_000 }, async () => {
  const dir = path.join(root, 'proj');
  await createProject(dir, { name: 'conc', template: '{text}' });
  const lanes = 4;
  const rounds = 3;
  const files = Array.from({ length: lanes * rounds }, (_, k) => csv(`d${k}`, 50 + k));
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let r = 0; r < rounds; r++) {
        const k = lane * rounds + r;
        const res = await embedlab(['import', files[k], '--project', dir, '--name', `d${k}`, '--label', 'label']);
        assert.equal(res.code, 0, res.stderr);
      }
    }),
  );
  const project = await openProject(dir);
  const listed = project.config.datasets.map((d) => d.name).sort();
  assert.deepEqual(listed, files.map((_, k) => `d${k}`).sort(), 'every import that printed success is in project.json');
  for (const d of project.config.datasets) assert.equal(d.count, 50 + Number(d.name.slice(1)));
  const dataFiles = readdirSync(path.join(dir, 'data')).sort();
  assert.deepEqual(dataFiles, project.config.datasets.map((d) => path.basename(d.file)).sort(), 'no orphaned data file, no temp file');
  assert.equal(existsSync(projectPaths(dir).lock), false, 'the lock is released');
});

test('a lock left by a dead process is broken; a live one is waited for, with an error naming the lock file', async () => {
  const dir = path.join(root, 'locked');
  await createProject(dir, { name: 'locked' });
  const lock = projectPaths(dir).lock;
  writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), time: new Date().toISOString(), token: 'dead' }) + '\n');
  await updateProject(dir, (c) => {
    c.encoder = 'builtin:after-dead-lock';
  });
  assert.equal((await openProject(dir)).config.encoder, 'builtin:after-dead-lock');
  assert.equal(existsSync(lock), false);

  // A live holder (this process, another token): the writer waits, then fails naming the lock.
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString(), token: 'live' }) + '\n');
  await assert.rejects(
    withFileLock(lock, async () => undefined, { timeoutMs: 300 }),
    (e: Error) => e.message.startsWith(`${lock}: still locked after`) && e.message.includes(`pid ${process.pid}`),
  );
  // An old lock (a hung holder, or another host) is broken after staleMs.
  const old = new Date(Date.now() - 60_000);
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: 'elsewhere', time: old.toISOString(), token: 'old' }) + '\n');
  utimesSync(lock, old, old);
  assert.equal(await withFileLock(lock, async () => 'ran', { staleMs: 30_000, timeoutMs: 2000 }), 'ran');
  assert.equal(existsSync(lock), false);
});

test('withFileLock serialises read-modify-write inside one process too', async () => {
  const file = path.join(root, 'counter.txt');
  writeFileSync(file, '0');
  await Promise.all(
    Array.from({ length: 20 }, () =>
      withFileLock(`${file}.lock`, async () => {
        const n = Number(readFileSync(file, 'utf8'));
        await new Promise((r) => setTimeout(r, 2));
        writeFileSync(file, String(n + 1));
      }),
    ),
  );
  assert.equal(readFileSync(file, 'utf8'), '20');
});

test('temp files of a killed writer are removed at the next import, live ones kept; .gitignore covers them and the lock', async () => {
  const dir = path.join(root, 'temps');
  await createProject(dir, { name: 'temps', template: '{text}' });
  const data = path.join(dir, 'data');
  const dead = path.join(data, `.big.jsonl.${deadPid()}.${Date.now()}.0.tmp`);
  const live = path.join(data, `.other.jsonl.${process.pid}.${Date.now()}.0.tmp`);
  const lookalike = path.join(data, 'notes.1.2.3.tmp'); // not a temp name of ours: never touched
  for (const f of [dead, live, lookalike]) writeFileSync(f, 'partial');
  const old = new Date(Date.now() - 5 * 60_000);
  for (const f of [dead, live, lookalike]) utimesSync(f, old, old);
  await importDataset(dir, csv('after-kill', 5), { name: 'news' });
  assert.equal(existsSync(dead), false, "the dead writer's temp file is gone");
  assert.equal(existsSync(live), true, "a live writer's temp file stays");
  assert.equal(existsSync(lookalike), true);

  // git ignores the temp files and the lock (a real repository when git is installed).
  const git = spawnSync('git', ['--version']);
  if (git.status === 0) {
    spawnSync('git', ['init', '-q', dir]);
    const lockName = path.basename(projectPaths(dir).lock);
    writeFileSync(path.join(dir, lockName), '{}');
    const r = spawnSync('git', ['-C', dir, 'check-ignore', path.relative(dir, live), lockName, `${lockName}.break`, '.project.json.1.2.3.tmp', 'data/news.jsonl', 'project.json'], { encoding: 'utf8' });
    assert.deepEqual(r.stdout.trim().split('\n').sort(), [path.relative(dir, live), lockName, `${lockName}.break`, '.project.json.1.2.3.tmp'].sort());
  }
});

test('an existing project gets the missing .gitignore lines at its next write, the user lines kept', async () => {
  const dir = path.join(root, 'oldproj');
  await createProject(dir, { name: 'old' });
  const gi = path.join(dir, '.gitignore');
  writeFileSync(gi, '# Embedding Lab: caches are rebuilt on demand\n.cache/\nmy-notes/'); // an older project, plus a user line
  await updateProject(dir, (c) => {
    c.encoder = 'builtin';
  });
  assert.equal(readFileSync(gi, 'utf8'), '# Embedding Lab: caches are rebuilt on demand\n.cache/\nmy-notes/\n# Embedding Lab\n.*.tmp\n.project.json.lock*\n.topics.json.lock*\n');
  await ensureGitignore(dir);
  assert.equal(readFileSync(gi, 'utf8').match(/\.\*\.tmp/g)?.length, 1, 'added once');
});

test('project.json with a UTF-8 byte order mark opens and updates', async () => {
  const dir = path.join(root, 'bom');
  await createProject(dir, { name: 'bom' });
  const file = projectPaths(dir).projectFile;
  writeFileSync(file, '\uFEFF' + readFileSync(file, 'utf8'));
  assert.equal((await openProject(dir)).config.name, 'bom');
  await updateProject(dir, (c) => {
    c.encoder = 'builtin';
  });
  assert.equal((await openProject(dir)).config.encoder, 'builtin');
});
