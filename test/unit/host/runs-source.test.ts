// The runs panel's webview sends run ids; the host checks each one against the project's real
// runs before it builds a path or starts a job with it.
import './vscode-stub';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProjectRunsSource } from '../../../src/host/sources/project-runs-source';
import type { HostContext } from '../../../src/host/context';
import { readSettings } from '../../../src/host/config-schema';
import { writeSummary, type RunSummary } from '../../../src/engine/train/runs';
import { runMapJob } from '../../../src/engine/jobs/map-job';

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'el-runs-source-'));
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));
const projectDir = path.join(sandbox, 'project');

function summary(id: string): RunSummary {
  const now = new Date().toISOString();
  return { schemaVersion: 1, id, status: 'completed', mode: 'head', startedAt: now, updatedAt: now, pid: 1, host: 'h', step: 1, totalSteps: 1, durationMs: 1 };
}

async function setup(): Promise<{ source: ProjectRunsSource; jobs: unknown[] }> {
  fs.mkdirSync(path.join(projectDir, 'runs', 'r1'), { recursive: true });
  await writeSummary(path.join(projectDir, 'runs', 'r1'), summary('r1'));
  // A run-like folder outside runs/: a path-like id must not reach it.
  fs.mkdirSync(path.join(sandbox, 'outside'), { recursive: true });
  await writeSummary(path.join(sandbox, 'outside'), summary('outside'));
  const jobs: unknown[] = [];
  const ctx = {
    config: () => readSettings(() => undefined),
    cacheDir: () => path.join(sandbox, 'cache'),
    jobs: { run: async (_title: string, job: unknown) => (jobs.push(job), { points: [] }) },
  } as unknown as HostContext;
  return { source: new ProjectRunsSource(ctx, projectDir, 'p'), jobs };
}

test('getRunMap and openRun refuse an id that is not one of the project runs, before any job or path', async () => {
  const { source, jobs } = await setup();
  for (const id of ['../../outside', '..', '../outside', '/etc', 'r2', 'r1/../../../outside']) {
    await assert.rejects(source.getRunMap(id, 'after'), (err: Error) => err.name === 'InputError' && err.message.includes(`no run ${JSON.stringify(id)}`), id);
    await assert.rejects(source.openRun(id), /no run/, id);
  }
  assert.equal(jobs.length, 0, 'a job was started with an unchecked run id');
  await source.getRunMap('r1', 'after');
  assert.equal(jobs.length, 1);
  assert.equal((jobs[0] as { params: { runId: string } }).params.runId, 'r1');
});

test('the engine job also takes run ids only: a path-like id is refused', async () => {
  await setup();
  fs.writeFileSync(path.join(sandbox, 'outside', 'config.json'), '{}');
  const params = { projectDir, runId: '../../outside', stage: 'before' as const, settings: { algo: 'kmeans' as const, k: 2, seed: 1 }, seed: 1 };
  await assert.rejects(runMapJob(params as Parameters<typeof runMapJob>[0], { secrets: {} } as Parameters<typeof runMapJob>[1]), /run id "\.\.\/\.\.\/outside"/);
});

test('runningRuns: only the runs still training, with their curves so far (the panel’s live updates)', async () => {
  const { source } = await setup();
  const live = path.join(projectDir, 'runs', 'live');
  fs.mkdirSync(live, { recursive: true });
  const now = new Date().toISOString();
  // Running in this process (its heartbeat fresh): running; a dead pid on this host: interrupted.
  await writeSummary(live, { ...summary('live'), status: 'running', mode: 'full', runner: 'python', pid: process.pid, host: os.hostname(), startedAt: now, updatedAt: now, step: 2, totalSteps: 9 });
  fs.writeFileSync(path.join(live, 'metrics.jsonl'), ['{"step":0,"before":true,"eval":{"top1":0.3}}', '{"step":1,"loss":2.5}', '{"step":2,"loss":2.25}'].join('\n') + '\n');
  const dead = path.join(projectDir, 'runs', 'dead');
  fs.mkdirSync(dead, { recursive: true });
  await writeSummary(dead, { ...summary('dead'), status: 'running', pid: 2 ** 22 + 12345, host: os.hostname() });
  const running = await source.runningRuns();
  assert.deepEqual(running.map((r) => [r.id, r.status]), [['live', 'running']]);
  assert.deepEqual(running[0].curves.find((c) => c.name === 'loss')?.points, [{ step: 1, value: 2.5 }, { step: 2, value: 2.25 }]);
  assert.equal(running[0].config.runner, 'python');
  // getRuns still lists every run, the interrupted one as failed.
  const all = await source.getRuns();
  assert.deepEqual(all.map((r) => [r.id, r.status]).sort(), [['dead', 'failed'], ['live', 'running'], ['r1', 'completed']]);
});

test('getRuns: the engine’s training notes (loss chosen, small evaluation set, early stop) reach the panel as sentences', async () => {
  const { source } = await setup();
  const dir = path.join(projectDir, 'runs', 'noted');
  fs.mkdirSync(dir, { recursive: true });
  await writeSummary(dir, {
    ...summary('noted'),
    epochs: 10,
    best: { step: 40, epoch: 4, metric: 'spearman', value: 0.6 },
    stoppedEarly: { step: 60, epochs: 6, patience: 2 },
    notes: ['scored pairs: CoSENT uses the scores', 'not enough annotations yet (n < 30): the evaluation uses 9 held-out examples, so its metrics and early stopping mean little'],
  });
  const runs = await source.getRuns();
  assert.deepEqual(runs.find((r) => r.id === 'noted')?.trainingNotes, [
    "stopped early after epoch 6 of 10 (no better evaluation in 2); the model is epoch 4's, the best",
    'scored pairs: CoSENT uses the scores',
    'not enough annotations yet (n < 30): the evaluation uses 9 held-out examples, so its metrics and early stopping mean little',
  ]);
  assert.equal(runs.find((r) => r.id === 'r1')?.trainingNotes, undefined, 'a run without notes has none');
});
