/**
 * Killing VS Code (or the engine) mid-annotation or mid-training loses no saved
 * annotation and leaves a project that opens cleanly: the annotation panel's writes are
 * appended and fsynced before the save resolves, runs write their files atomically, and
 * a run whose process died reads as "interrupted".
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createProject, openProject } from '../../../src/engine/project/store';
import { readAnnotations, appendAnnotation, currentAnnotations } from '../../../src/engine/project/annotations';
import { listRuns } from '../../../src/engine/train/runs';
import { EngineClient, EngineExitedError } from '../../../src/engine/jobs/client';
import { readProjectSummary } from '../../../src/host/project/summary';

const dir = mkdtempSync(path.join(tmpdir(), 'el-crash-'));
const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const annotations = path.join(dir, 'annotations.jsonl');
after(() => rmSync(dir, { recursive: true, force: true }));

test('SIGKILL while annotating: every acknowledged score is on disk, and the log and project read cleanly', { timeout: 60_000 }, async () => {
  await createProject(dir, { name: 'crash', template: '{title}. {description}' });
  const child = fork(path.join(__dirname, 'annotate-writer.ts'), [dir], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  let acked = -1;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { acked: number }) => {
      acked = m.acked;
      // Kill in the middle of the stream: the next append is already under way.
      if (acked === 40) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => (acked < 40 ? reject(new Error(`the writer stopped early: ${stderr}`)) : resolve()));
  });
  assert.equal(await exited, 'SIGKILL');
  const log = await readAnnotations(annotations);
  assert.deepEqual(log.problems, [], 'no damaged line');
  assert.ok(log.entries.length >= acked + 1, `${log.entries.length} entries on disk, ${acked + 1} acknowledged`);
  for (let i = 0; i <= acked; i++) {
    const e = log.entries[i];
    assert.equal(e.id1, `r${i}`);
    assert.equal(e.score, (i % 5) / 4);
    assert.equal(e.annotator, 'crash-test');
    if (i % 7 === 0) assert.equal(e.note, `note ${i}`);
  }
  // The next session appends after whatever the kill left (a cut-off line is ended first).
  await appendAnnotation(annotations, { id1: 'after', id2: 'crash', score: 1, annotator: 'next' });
  const again = await readAnnotations(annotations);
  assert.equal(again.truncatedTail, false);
  assert.deepEqual(again.problems, []);
  assert.equal(again.entries.at(-1)?.id1, 'after');
  await openProject(dir);
  const summary = await readProjectSummary(dir);
  assert.deepEqual(summary.problems, []);
  assert.equal(summary.annotations, currentAnnotations(again.entries).scores.size);
});

test('SIGKILL of the engine mid-training: the run reads as interrupted, annotations and project intact', { timeout: 120_000 }, async () => {
  const before = readFileSync(annotations, 'utf8');
  const client = new EngineClient({ entry: path.resolve(__dirname, '../../../src/engine/jobs/engine-process.ts') });
  try {
    await client.run({ type: 'import', params: { projectDir: dir, file: sample, name: 'news', label: 'label', idField: 'id' } });
    let killed = false;
    const job = client.run(
      { type: 'train', params: { projectDir: dir, data: 'news', loss: 'mnr', mode: 'head', epochs: 200, batchSize: 16, encoder: 'builtin', seed: 1 } },
      {
        onProgress: (p) => {
          if (p.stage === 'train' && p.done >= 3 && !killed && client.pid) {
            killed = true;
            process.kill(client.pid, 'SIGKILL');
          }
        },
      },
    );
    await assert.rejects(job, (err: Error) => err instanceof EngineExitedError);
    assert.ok(killed, 'killed during the training steps');
  } finally {
    await client.dispose();
  }
  const runs = await listRuns(dir);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].state, 'interrupted', 'a running run whose process is gone');
  assert.ok(runs[0].config, 'config.json is whole');
  assert.equal(readFileSync(annotations, 'utf8'), before, 'the annotations are untouched');
  await openProject(dir);
  const summary = await readProjectSummary(dir);
  assert.deepEqual(summary.problems, []);
  assert.equal(summary.datasets[0].records, 300);
});
