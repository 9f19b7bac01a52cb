// Issue 12 item 3: a run trained on labels keeps a held-out split stated in its config.json, and
// its label metrics (the evaluation in summary.json, the NMI of Compare Runs' before/after maps)
// are computed on the held-out records only; a run without one is marked.
import '../host/vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProject, openProject, datasetPath, findDataset } from '../../../src/engine/project/store';
import { importDataset } from '../../../src/engine/project/import-dataset';
import { readDatasetFile } from '../../../src/engine/project/dataset-file';
import { trainJob } from '../../../src/engine/jobs/train-job';
import { runMapJob } from '../../../src/engine/jobs/map-job';
import { trainFileJob } from '../../../src/engine/jobs/train-run-jobs';
import { runFiles } from '../../../src/engine/train/runs';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { evalLabelGroups, labelIds } from '../../../src/engine/train/evaluate';
import { normalizeRows } from '../../../src/engine/util/matrix';
import { nmi } from '../../../src/engine/metrics/index';
import { prepareData } from '../../../src/engine/train/prepare-data';
import { resolveSettings, type TrainOptions } from '../../../src/engine/train/settings';
import { evalOverlapOf } from '../../../src/host/sources/project-runs-source';

const sample = path.resolve(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const settings = { algo: 'kmeans' as const, k: 4, seed: 1 };

test('a run trained on labels: held-out ids in config.json, disjoint from training; evaluation and run maps measured on them only', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedlab-heldout-'));
  await createProject(dir, { template: '{title}. {description}' });
  await importDataset(dir, sample, { name: 'news', label: 'label', idField: 'id' });
  const result = await trainJob({ projectDir: dir, data: 'news', mode: 'head', encoder: 'builtin', epochs: 2, seed: 1, evalFraction: 0.2 }, { secrets: {} });
  assert.equal(result.status, 'completed');
  const config = JSON.parse(readFileSync(runFiles(result.run).config, 'utf8'));
  assert.equal(config.options.loss, 'mnr', 'labels train MNR on same-label pairs');
  const heldOut: string[] = config.data.eval.heldOutIds;
  assert.equal(heldOut.length, 60, '20 % of 300 records');
  assert.equal(config.data.eval.heldOutFraction, 0.2);
  assert.equal(evalOverlapOf(config), 0);

  // The training set of the run, rebuilt from its config: no held-out id in it, and together they are every record.
  const project = await openProject(dir);
  const records = await readDatasetFile(datasetPath(project, findDataset(project, 'news')));
  const options = { ...config.options, root: dir } as TrainOptions;
  const data = await prepareData(options, resolveSettings(options));
  assert.ok(data.train.kind === 'labelled' && data.eval?.kind === 'labelled');
  const trainIds = new Set(data.train.ids);
  assert.deepEqual(data.eval.ids, heldOut);
  assert.equal(heldOut.filter((id) => trainIds.has(id)).length, 0, 'no held-out record was trained on');
  assert.equal(trainIds.size + heldOut.length, records.length);

  // The run's evaluation (summary.json) is the held-out records' top-k same label, computed here again.
  const held = new Set(heldOut);
  const heldRecords = records.filter((r) => held.has(r.id));
  const encoder = await resolveEncoder(`run:${result.id}`, { projectDir: dir });
  const x = normalizeRows(await encoder.encode(heldRecords.map((r) => r.text)));
  const expected = evalLabelGroups(x, labelIds(heldRecords.map((r) => r.label!)).ids, 42);
  for (const k of Object.keys(expected)) assert.ok(Math.abs(expected[k] - result.after[k]) < 1e-9, `${k}: ${result.after[k]} vs held-out ${expected[k]}`);

  // Compare Runs' maps: the held-out records are marked, and the NMI is theirs only, before and after.
  for (const stage of ['before', 'after'] as const) {
    const map = await runMapJob({ projectDir: dir, runId: result.id, stage, settings, seed: 1 }, { secrets: {} });
    assert.equal(map.metricsScope, 'held-out');
    assert.ok(map.heldOut);
    const marked = map.ids.filter((_, i) => map.heldOut![i] === 1);
    assert.deepEqual([...marked].sort(), [...heldOut].sort(), `${stage}: the marked points are the held-out records`);
    const idx = map.ids.flatMap((id, i) => (held.has(id) ? [i] : []));
    const heldNmi = nmi(idx.map((i) => map.labels![i]), idx.map((i) => map.clusterLabels[i]));
    const allNmi = nmi(Array.from(map.labels!), Array.from(map.clusterLabels));
    assert.ok(Math.abs(map.metrics!.nmi - heldNmi) < 1e-12, `${stage}: NMI ${map.metrics!.nmi} is the held-out records' ${heldNmi}`);
    assert.notEqual(map.metrics!.nmi, allNmi, 'with the training records it would differ');
    assert.match(map.caption, /NMI \d\.\d\d on 60 held-out records/);
  }
});

test('a run trained on labels with an evaluation file that overlaps its training data is marked, never shown as held-out', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedlab-heldout-'));
  await createProject(dir, { template: '{title}. {description}' });
  await importDataset(dir, sample, { name: 'news', label: 'label', idField: 'id' });
  const project = await openProject(dir);
  const file = datasetPath(project, findDataset(project, 'news'));
  const r = await trainFileJob(
    { root: dir, projectDir: dir, train: { file, fields: { text: '{text}', label: 'label' } }, eval: { file }, mode: 'head', encoder: 'builtin', epochs: 1, seed: 1 },
    { secrets: {} },
  );
  const config = JSON.parse(readFileSync(runFiles(r.run).config, 'utf8'));
  assert.equal(config.data.eval.overlapsTraining, 300, 'every evaluation record is a training record');
  assert.equal(config.data.eval.heldOutIds, undefined);
  assert.equal(evalOverlapOf(config), 300, 'Compare Runs marks its metrics as not held out');
  const map = await runMapJob({ projectDir: dir, runId: r.id, stage: 'after', settings, seed: 1 }, { secrets: {} });
  assert.equal(map.metricsScope, 'training');
  assert.equal(map.heldOut, undefined);
  assert.match(map.caption, /on all records, whose labels the run trained on \(no held-out split; its evaluation file shares 300 records with the training data\)/);
});
