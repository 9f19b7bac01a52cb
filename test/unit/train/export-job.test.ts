/**
 * `embedlab train --export-job` then the job run as its README says (`python -m embedlab_train
 * job --out run`, from the folder, on the test venv), then `embedlab runs import`: the run is
 * back in the project with its curves, and `--encoder run:<id>` embeds as sentence-transformers
 * does. And what `runs import` refuses, naming the file (and line, and field).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { trainCommand } from '../../../src/cli/commands/train';
import { runsCommand } from '../../../src/cli/commands/runs';
import { embedCommand } from '../../../src/cli/commands/embed';
import { importRun } from '../../../src/engine/train/import-run';
import { listRuns, readMetrics } from '../../../src/engine/train/runs';
import { PROBE_TEXTS, tempDir, writePairsFile, writeTinyModel } from './full-helpers';
import { runCli, runPythonJson, testPython } from './python-helpers';

test('export a job, run it as its README says, import it: the run, its curves and its model are back in the project', async () => {
  const python = await testPython();
  const dir = tempDir('embedlab-export-');
  const model = path.join(dir, 'base');
  writeTinyModel(model, { kind: 'bert', hidden: 32, seed: 7 });
  const data = path.join(dir, 'pairs.jsonl');
  writePairsFile(data, 24);
  // A row our loader skips: it is reported when exporting, and not in the job's data.
  writeFileSync(data, readFileSync(data, 'utf8') + JSON.stringify({ text1: '', text2: 'empty anchor' }) + '\n');
  const jobDir = path.join(dir, 'exported');
  const x = await runCli(trainCommand, ['--train', data, '--loss', 'mnr', '--mode', 'full', '--encoder', model, '--batch-size', '8', '--epochs', '1', '--run-id', 'far-away', '--export-job', jobDir, '--out', dir]);
  assert.equal(x.code, 0, x.log.join('\n'));
  assert.match(x.out, /job {5}.*run far-away/);
  assert.match(x.out, /skipped/i);
  for (const f of ['README.md', 'slurm.sbatch', 'requirements.txt', 'requirements-ray.txt', 'run-config.json', 'job/job.json', 'job/train.jsonl', 'job/model/config.json', 'embedlab_train/__main__.py', 'embedlab_train/ray_driver.py'])
    assert.ok(existsSync(path.join(jobDir, f)), f);
  const readme = readFileSync(path.join(jobDir, 'README.md'), 'utf8');
  assert.match(readme, /accelerate launch/);
  assert.match(readme, /sbatch slurm\.sbatch/);
  assert.match(readme, /ray job submit .*--working-dir \./);
  const job = JSON.parse(readFileSync(path.join(jobDir, 'job', 'job.json'), 'utf8')) as { model: string; runId: string };
  assert.deepEqual([job.model, job.runId], ['model', 'far-away']);
  assert.ok(!readFileSync(path.join(jobDir, 'job', 'train.jsonl'), 'utf8').includes('empty anchor'), 'the skipped row is not in the job');
  assert.ok(!existsSync(path.join(dir, 'runs', 'far-away')), 'exporting trains nothing here');
  // Elsewhere: nothing of Embedding Lab but the folder (no PYTHONPATH, the folder's own script).
  const env = { ...process.env, PYTHONPATH: '' };
  const run = spawnSync(python, ['-m', 'embedlab_train', 'job', '--out', 'run'], { cwd: jobDir, env, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr.slice(-3000));
  // Back into a project.
  const project = tempDir('embedlab-import-');
  const imp = await runCli(runsCommand, ['import', jobDir, '--project', project, '--json']);
  assert.equal(imp.code, 0, imp.log.join('\n'));
  const imported = JSON.parse(imp.out) as { id: string; status: string; runner: string; steps: number; totalSteps: number };
  assert.deepEqual([imported.id, imported.status, imported.runner], ['far-away', 'completed', 'python']);
  const runs = await listRuns(project);
  assert.deepEqual(runs.map((r) => [r.id, r.state]), [['far-away', 'completed']]);
  const losses = (await readMetrics(runs[0].dir)).filter((m) => typeof m.loss === 'number').map((m) => m.step);
  assert.deepEqual(losses, Array.from({ length: imported.totalSteps }, (_, i) => i + 1));
  const config = JSON.parse(readFileSync(path.join(runs[0].dir, 'config.json'), 'utf8')) as { runner: string; imported: { from: string }; resolved: { batchSize: number } };
  assert.equal(config.runner, 'python');
  assert.equal(config.imported.from, jobDir);
  assert.equal(config.resolved.batchSize, 8);
  // The imported model embeds through our ONNX path as sentence-transformers does.
  const probe = path.join(dir, 'probe.jsonl');
  writeFileSync(probe, PROBE_TEXTS.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  const npy = path.join(dir, 'far.npy');
  const e = await runCli(embedCommand, [probe, '--text', '{text}', '--encoder', 'run:far-away', '--project', project, '--out', npy]);
  assert.equal(e.code, 0);
  const cmp = runPythonJson<{ diff: number }>(
    python,
    [
      'import sys, json, numpy as np',
      'from sentence_transformers import SentenceTransformer',
      'm = SentenceTransformer(sys.argv[1], device="cpu")',
      'texts = [json.loads(l)["text"] for l in open(sys.argv[2], encoding="utf-8")]',
      'print(json.dumps({"diff": float(np.abs(m.encode(texts, convert_to_numpy=True) - np.load(sys.argv[3])).max())}))',
    ].join('\n'),
    [path.join(jobDir, 'run', 'model'), probe, npy],
  );
  assert.ok(cmp.diff <= 1e-4, `max |sentence-transformers − embedlab embed| = ${cmp.diff}`);
  // Importing again is refused unless --overwrite; another id is fine.
  await assert.rejects(importRun(jobDir, project), /a run "far-away" exists already/);
  assert.equal((await importRun(jobDir, project, { runId: 'far-away-2' })).id, 'far-away-2');
  // An export into a folder that is not empty is refused.
  const again = await runCli(trainCommand, ['--train', data, '--loss', 'mnr', '--mode', 'full', '--encoder', model, '--export-job', jobDir, '--out', dir]).catch((err: Error) => err);
  assert.match(String(again instanceof Error ? again.message : ''), /the folder is not empty/);
});

/** A minimal finished run folder as the python runner writes it. */
function fakeRun(dir: string, summary: Record<string, unknown>, metrics: string): string {
  mkdirSync(path.join(dir, 'model', 'onnx'), { recursive: true });
  writeFileSync(path.join(dir, 'model', 'modules.json'), '[]');
  writeFileSync(path.join(dir, 'model', 'onnx', 'model.onnx'), 'x');
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ id: 'r1', status: 'completed', runner: 'python', mode: 'full', loss: 'mnr', step: 2, totalSteps: 2, ...summary }));
  writeFileSync(path.join(dir, 'metrics.jsonl'), metrics);
  return dir;
}

test('runs import checks what it reads: summary fields, metric lines (file:line), the model layout, symbolic links, the id', async () => {
  const project = tempDir('embedlab-import-');
  const good = '{"step":1,"loss":1.5}\n{"step":2,"loss":1.2}\n';
  const ok = await importRun(fakeRun(tempDir('embedlab-run-'), {}, good + '{"step":3,"lo'), project);
  assert.equal(ok.skippedMetricLines, 1, 'the cut-off last line is counted');
  assert.equal((await readMetrics(ok.dir)).length, 2);
  await assert.rejects(importRun(fakeRun(tempDir('embedlab-run-'), { status: 'failed', error: 'OOM' }, good), project), /summary\.json: the run is failed \(OOM\)/);
  await assert.rejects(importRun(fakeRun(tempDir('embedlab-run-'), { runner: 'builtin' }, good), project), /summary\.json: the field "runner" must be one of python, ray/);
  await assert.rejects(importRun(fakeRun(tempDir('embedlab-run-'), { step: -1 }, good), project), /the field "step" must be a whole number/);
  await assert.rejects(importRun(fakeRun(tempDir('embedlab-run-'), { id: '../escape' }, good), project), /run id/);
  await assert.rejects(importRun(fakeRun(tempDir('embedlab-run-'), { id: 'r2' }, '{"step":1}\nnot json\n{"step":2}\n'), project), /metrics\.jsonl:2: not JSON/);
  await assert.rejects(importRun(fakeRun(tempDir('embedlab-run-'), { id: 'r3' }, '{"step":"one"}\n'), project), /metrics\.jsonl:1: the field "step"/);
  const noOnnx = fakeRun(tempDir('embedlab-run-'), { id: 'r4' }, good);
  spawnSync('rm', ['-r', path.join(noOnnx, 'model', 'onnx')]);
  await assert.rejects(importRun(noOnnx, project), /onnx[\\/]model\.onnx: missing/);
  const linked = fakeRun(tempDir('embedlab-run-'), { id: 'r5' }, good);
  symlinkSync('/etc/hostname', path.join(linked, 'model', 'secret.txt'));
  await assert.rejects(importRun(linked, project), /a symbolic link in the model folder/);
  await assert.rejects(importRun(tempDir('embedlab-run-'), project), /neither an exported job \(run\/summary\.json\) nor a run folder/);
  assert.deepEqual((await listRuns(project)).map((r) => r.id), ['r1'], 'nothing of a refused import is left');
});
