import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createProject, openProject, updateProject } from '../../../src/engine/project/store';
import { validateProject, DEFAULT_RUBRIC, PROJECT_SCHEMA_VERSION } from '../../../src/engine/project/schema';
import { importDataset } from '../../../src/engine/project/import-dataset';
import { readDatasetFile } from '../../../src/engine/project/dataset-file';
import { writeFileAtomic } from '../../../src/engine/util/fs';

const root = mkdtempSync(path.join(tmpdir(), 'embedlab-project-'));
let n = 0;
const fresh = () => path.join(root, `p${n++}`);
function write(name: string, content: string | Buffer): string {
  const f = path.join(root, name);
  writeFileSync(f, content);
  return f;
}

test('createProject writes project.json with the default rubric, data/, runs/ and a .gitignore for .cache/', async () => {
  const dir = fresh();
  const p = await createProject(dir, { name: 'Régions' });
  const json = JSON.parse(readFileSync(path.join(dir, 'project.json'), 'utf8'));
  assert.equal(json.schemaVersion, PROJECT_SCHEMA_VERSION);
  assert.equal(json.name, 'Régions');
  assert.deepEqual(json.rubric.map((r: { score: number }) => r.score), [0, 0.25, 0.5, 0.75, 1]);
  assert.equal(json.rubric[4].label, 'same event or very narrow topic');
  assert.ok(existsSync(path.join(dir, 'data')) && existsSync(path.join(dir, 'runs')));
  assert.match(readFileSync(path.join(dir, '.gitignore'), 'utf8'), /^\.cache\/$/m);
  assert.equal((await openProject(dir)).config.name, p.config.name);
  await assert.rejects(createProject(dir), /project\.json: a project already exists here/);
});

test('validation errors name the file and the field', async () => {
  const file = '/x/project.json';
  const good = { schemaVersion: 2, name: 'n', datasets: [], template: '{text}', cleaning: [], encoder: 'builtin', seeds: {}, rubric: DEFAULT_RUBRIC };
  assert.throws(() => validateProject({ ...good, name: 3 }, file), /project\.json, field "name": must be a non-empty string/);
  assert.throws(() => validateProject({ ...good, datasets: [{ name: 'a b', file: 'data/a.jsonl', count: 1 }] }, file), /field "datasets\[0\]\.name"/);
  assert.throws(() => validateProject({ ...good, datasets: [{ name: 'a', file: '../a.jsonl', count: 1 }] }, file), /field "datasets\[0\]\.file": must be a path inside/);
  assert.throws(() => validateProject({ ...good, rubric: [{ score: 0.5, label: 'x' }, { score: 0.2, label: 'y' }] }, file), /field "rubric\[1\]\.score": scores must increase/);
  // the rubric is the project's: descriptions are kept, at most nine levels (keys 1–9)
  const described = validateProject({ ...good, rubric: [{ score: 0, label: 'autre', description: 'Rien en commun.' }, { score: 1, label: 'même événement' }] }, file);
  assert.deepEqual(described.rubric, [{ score: 0, label: 'autre', description: 'Rien en commun.' }, { score: 1, label: 'même événement' }]);
  assert.throws(() => validateProject({ ...good, rubric: [{ score: 0, label: 'x', description: 7 }] }, file), /project\.json, field "rubric\[0\]\.description": must be a string/);
  assert.throws(() => validateProject({ ...good, rubric: Array.from({ length: 10 }, (_, i) => ({ score: i / 9, label: `l${i}` })) }, file), /field "rubric": has 10 levels; at most 9/);
  assert.throws(() => validateProject({ ...good, rubric: [{ score: 1.5, label: 'x' }] }, file), /field "rubric\[0\]\.score": must be a number in 0–1/);
  assert.throws(() => validateProject({ ...good, cleaning: [{ rule: 'nope' }] }, file), /project\.json, field "cleaning\[0\]\.rule"/);
  assert.throws(() => validateProject({ ...good, seeds: { umap: 'x' } }, file), /field "seeds\.umap"/);
  assert.throws(() => validateProject({ ...good, schemaVersion: 99 }, file), /field "schemaVersion": is 99: this project was written by a newer/);
  assert.throws(() => validateProject({ ...good, schemaVersion: undefined }, file), /field "schemaVersion"/);
  const dir = fresh();
  await createProject(dir);
  writeFileSync(path.join(dir, 'project.json'), '{"schemaVersion": 2,');
  await assert.rejects(openProject(dir), /project\.json: invalid JSON/);
});

test('a version-1 project.json is migrated: rubric added, records → count, unknown fields kept', async () => {
  const dir = fresh();
  await createProject(dir);
  const v1 = {
    schemaVersion: 1,
    name: 'old',
    datasets: [{ name: 'news', file: 'data/news.jsonl', template: '{title}', source: 'news.csv', records: 12 }],
    template: '{text}',
    cleaning: [],
    encoder: 'builtin',
    seeds: { umap: 1 },
    encoders: ['builtin', 'run:abc'],
  };
  writeFileSync(path.join(dir, 'project.json'), JSON.stringify(v1));
  const p = await openProject(dir);
  assert.equal(p.migratedFrom, 1);
  assert.equal(p.config.schemaVersion, 2);
  assert.deepEqual(p.config.rubric, DEFAULT_RUBRIC);
  assert.equal(p.config.datasets[0].count, 12);
  assert.deepEqual(p.config.datasets[0].mapping, {});
  await updateProject(dir, () => undefined);
  const saved = JSON.parse(readFileSync(path.join(dir, 'project.json'), 'utf8'));
  assert.equal(saved.schemaVersion, 2);
  assert.deepEqual(saved.encoders, ['builtin', 'run:abc']);
  assert.equal(saved.datasets[0].records, undefined);
});

test('writeFileAtomic replaces a file whole and leaves no temp file', async () => {
  const f = path.join(fresh(), 'sub', 'x.json');
  await writeFileAtomic(f, 'one');
  await writeFileAtomic(f, Buffer.from('two'));
  assert.equal(readFileSync(f, 'utf8'), 'two');
  assert.deepEqual(readdirSync(path.dirname(f)), ['x.json']);
});

test('import: CSV with mapping, template, label and id field; bad rows reported with lines', async () => {
  const dir = fresh();
  await createProject(dir);
  const csv = write(
    'regions.csv',
    '\uFEFFref;titre;corps;cat\nS56-1;Accident;Un camion sur la D76;faits divers\nS56-2;;;politique\nS56-3;Vote;"Le conseil, réuni\nlundi";politique\nS56-1;Doublon;texte;x\nS56-5;Fête\n;Sans id;texte;x\n',
  );
  const report = await importDataset(dir, csv, {
    name: 'regions',
    template: '{title}. {body}',
    label: 'cat',
    idField: 'ref',
    mapping: { title: 'titre', body: 'corps' },
  });
  assert.equal(report.imported, 2);
  assert.equal(report.skipped, 4);
  assert.deepEqual(report.skippedRows.map((s) => [s.line, s.reason]), [
    [3, 'empty text'],
    [6, 'duplicate id "S56-1" (first on line 2)'],
    [7, '2 columns where the header has 4 (missing "corps", "cat")'],
    [8, 'no value for the id field "ref"'],
  ]);
  assert.deepEqual(report.skippedByReason, {
    'empty text': 1,
    'duplicate id "…"': 1,
    '2 columns where the header has 4': 1,
    'no value for the id field "…"': 1,
  });
  const records = await readDatasetFile(path.join(dir, 'data/regions.jsonl'));
  assert.deepEqual(records[1], {
    id: 'S56-3',
    // The field's newline reaches the text as it is: normalising whitespace is a cleaning rule's job.
    text: 'Vote. Le conseil, réuni\nlundi',
    label: 'politique',
    fields: { ref: 'S56-3', cat: 'politique', title: 'Vote', body: 'Le conseil, réuni\nlundi' },
  });
  const p = await openProject(dir);
  assert.deepEqual(
    { ...p.config.datasets[0], importedAt: '' },
    {
      name: 'regions',
      file: 'data/regions.jsonl',
      source: csv,
      mapping: { title: 'titre', body: 'corps' },
      template: '{title}. {body}',
      label: 'cat',
      idField: 'ref',
      count: 2,
      skipped: 4,
      importedAt: '',
    },
  );
  await assert.rejects(importDataset(dir, csv, { name: 'regions', template: '{titre}' }), /a dataset "regions" already exists/);
});

test('import failures leave no half-written dataset and an unchanged project.json', async () => {
  const dir = fresh();
  await createProject(dir);
  const before = readFileSync(path.join(dir, 'project.json'), 'utf8');
  const jsonl = write('n.jsonl', '{"id":"1","title":"A"}\n{"id":"2","title":"B"}\n');
  await assert.rejects(importDataset(dir, jsonl, { template: '{title} {summary}' }), /n\.jsonl, field "summary": the template names a field that no record has; fields are id, title/);
  await assert.rejects(importDataset(dir, jsonl, { template: '{title}', mapping: { body: 'corps' } }), /field "corps": the mapping body=corps names a field no record has/);
  await assert.rejects(importDataset(dir, write('e.jsonl', ''), { template: '{title}' }), /e\.jsonl: the file is empty/);
  await assert.rejects(importDataset(dir, write('bad.jsonl', '{oops\n[1]\n'), { template: '{title}' }), /no record could be imported; 2 rows skipped, first on line 1: invalid JSON/);
  await assert.rejects(importDataset(dir, jsonl, { template: '{title}', name: '../evil' }), /dataset name/);
  assert.deepEqual(readdirSync(path.join(dir, 'data')), []);
  assert.equal(readFileSync(path.join(dir, 'project.json'), 'utf8'), before);
});

test('import: ids default to line numbers and stay stable on re-import', async () => {
  const dir = fresh();
  await createProject(dir, { template: '{text}' });
  const f = write('plain.json', '[{"text":"un"},{"text":"deux"},\n{"text":"trois"}]');
  const r1 = await importDataset(dir, f);
  assert.equal(r1.dataset.name, 'plain');
  const a = await readDatasetFile(path.join(dir, 'data/plain.jsonl'));
  await importDataset(dir, f, { replace: true });
  const b = await readDatasetFile(path.join(dir, 'data/plain.jsonl'));
  assert.deepEqual(a.map((r) => r.id), ['1', '2', '3']);
  assert.deepEqual(b, a);
  assert.equal(new Set(a.map((r) => r.id)).size, 3);
});
