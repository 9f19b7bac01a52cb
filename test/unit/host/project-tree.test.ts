import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectNodes } from '../../../src/host/views/project-tree';
import type { ProjectSummary } from '../../../src/host/project/summary';

const summary: ProjectSummary = {
  dir: '/p',
  name: 'demo',
  schemaVersion: 2,
  encoder: 'builtin',
  datasets: [{ name: 'news', file: 'data/news.jsonl', records: 1234 }, { name: 'gone', file: 'data/gone.jsonl' }],
  annotations: 1,
  runs: [{ id: 'r1', status: 'completed', metric: 'Spearman 0.812', name: 'Dépêches — CoSENT', tags: ['baseline'] }, { id: 'r2', status: 'interrupted' }],
  encoders: ['builtin', 'run:r1'],
  problems: ['dataset "gone": data/gone.jsonl is missing'],
};

test('the tree shows datasets with sizes, annotation count, runs with status and metric, encoders, problems', () => {
  const nodes = projectNodes(summary);
  const [datasets, annotations, runs, encoders, problem] = nodes;
  assert.deepEqual(datasets.children?.map((n) => [n.label, n.description]), [['news', '1,234 records'], ['gone', 'missing']]);
  assert.equal(annotations.description, '1 pair');
  assert.deepEqual(runs.children?.map((n) => [n.label, n.description, n.icon]), [
    ['Dépêches — CoSENT', 'completed · Spearman 0.812 · #baseline', 'pass'],
    ['r2', 'interrupted', 'warning'],
  ]);
  assert.equal(runs.children?.[0].key, 'r1', 'commands get the run id, not its name');
  assert.match(runs.children?.[0].tooltip ?? '', /id: r1/);
  assert.deepEqual(encoders.children?.map((n) => [n.label, n.description]), [['builtin', 'current'], ['run:r1', undefined]]);
  assert.equal(problem.kind, 'problem');
  assert.ok(nodes.every((n) => n.projectDir === '/p'));
});

test('a dataset row counts its labelled records (own labels and labels given on the map)', () => {
  const nodes = projectNodes({ ...summary, datasets: [{ name: 'news', file: 'data/news.jsonl', records: 1234, labelled: 1200 }, { name: 'raw', file: 'data/raw.jsonl', records: 5, labelled: 0 }] });
  assert.deepEqual(nodes[0].children?.map((n) => [n.label, n.description]), [['news', '1,234 records · 1,200 labelled'], ['raw', '5 records']]);
});

test('an empty project shows what to do next', () => {
  const nodes = projectNodes({ ...summary, datasets: [], runs: [], encoders: [], problems: [] });
  assert.equal(nodes[0].children?.[0].label, 'No data yet: Import Data');
  assert.equal(nodes[2].children?.[0].label, 'No runs yet');
});
