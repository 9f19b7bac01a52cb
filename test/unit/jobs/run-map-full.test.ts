// Compare Runs' "after" map of a full-mode run (python runner or builtin full): its model is a
// sentence-transformers folder with onnx/model.onnx and no model/model.json (that marks head
// runs). The map job used to refuse it as "no trained model (it did not complete)".
import '../host/vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProject, openProject, datasetPath, findDataset } from '../../../src/engine/project/store';
import { importDataset } from '../../../src/engine/project/import-dataset';
import { runMapJob } from '../../../src/engine/jobs/map-job';
import { locateTrainedProjectRun } from '../../../src/engine/train/runs';

const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const tinyModel = path.resolve(__dirname, '../../fixtures/models/tiny-bert-st6');

test('the after map of a full-mode run draws through its ONNX model; a run without a model is still refused', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedlab-runmap-full-'));
  await createProject(dir, { template: '{title}. {description}' });
  await importDataset(dir, sample, { name: 'news', label: 'label', idField: 'id' });
  const project = await openProject(dir);
  const file = datasetPath(project, findDataset(project, 'news'));
  // The files a python-runner run leaves: config.json, and model/ in the sentence-transformers layout with onnx/.
  const runDir = path.join(dir, 'runs', 'py-full');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, 'config.json'), JSON.stringify({ runner: 'python', mode: 'full', options: { encoder: tinyModel, mode: 'full', loss: 'triplet', train: { file } } }));
  cpSync(tinyModel, path.join(runDir, 'model'), { recursive: true });
  assert.equal(await locateTrainedProjectRun(dir, 'py-full'), runDir);
  const settings = { algo: 'kmeans' as const, k: 4, seed: 1 };
  const map = await runMapJob({ projectDir: dir, runId: 'py-full', stage: 'after', settings, seed: 1 }, { secrets: {} });
  assert.equal(map.ids.length, 300);
  assert.equal(map.coords.length, 600);
  assert.match(map.caption, /run:py-full/);
  // A run that stopped before its model was written: refused with a clear message.
  const unfinished = path.join(dir, 'runs', 'unfinished');
  mkdirSync(unfinished, { recursive: true });
  writeFileSync(path.join(unfinished, 'config.json'), JSON.stringify({ mode: 'full', options: { encoder: tinyModel, train: { file } } }));
  await assert.rejects(runMapJob({ projectDir: dir, runId: 'unfinished', stage: 'after', settings, seed: 1 }, { secrets: {} }), /the run unfinished has no trained model/);
});
