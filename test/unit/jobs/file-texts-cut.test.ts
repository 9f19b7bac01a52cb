import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clusterFileJob } from '../../../src/engine/jobs/cluster-file-job';
import { searchFileJob } from '../../../src/engine/jobs/search-file-job';
import { FILE_TEXT_DEFAULTS } from '../../../src/engine/defaults';
import { createProject, openProject, datasetPath, findDataset } from '../../../src/engine/project/store';
import { importDataset } from '../../../src/engine/project/import-dataset';
import type { Progress } from '../../../src/engine/util/job';

const sample = path.join(__dirname, '../../fixtures/sample/ag-news-300.jsonl');
const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-cut-'));

/** 40 AG News rows and one text of `chars` characters (over 4 MiB: read as a streamed line). */
function fileWithHugeText(chars: number): { file: string; huge: string } {
  const lines = readFileSync(sample, 'utf8').split('\n').filter((l) => l.trim()).slice(0, 40);
  const words = lines.map((l) => (JSON.parse(l) as { description: string }).description).join(' ');
  const huge = words.repeat(Math.ceil(chars / words.length)).slice(0, chars);
  const file = path.join(dir, `huge-${chars}.jsonl`);
  writeFileSync(file, [...lines, JSON.stringify({ id: 'huge', title: 'A huge text', description: huge, label: 'World' })].join('\n') + '\n');
  return { file, huge };
}

const MESSAGE = '1 text longer than 1,000,000 characters was cut to its first 1,000,000';

test('cluster on a file with a 5 MB text: the text is cut to FILE_TEXT_DEFAULTS.maxFieldChars, said in a warning and in the notes', async () => {
  assert.equal(FILE_TEXT_DEFAULTS.maxFieldChars, 1_000_000);
  const { file } = fileWithHugeText(5_000_000);
  const progress: Progress[] = [];
  const r = await clusterFileJob(
    { file, template: '{title}. {description}', label: 'label', algo: 'kmeans', k: 4 },
    { secrets: {}, onProgress: (p) => progress.push(p) },
  );
  assert.equal(r.n, 41);
  assert.equal(r.skipped, 0);
  assert.equal(r.notes?.[0], `${MESSAGE} for clustering`);
  assert.deepEqual(
    progress.filter((p) => p.stage === 'warning').map((p) => p.message),
    [`${MESSAGE} for clustering`],
  );
});

test('search warns of the cut text; import into a project keeps it whole', async () => {
  const { file, huge } = fileWithHugeText(1_200_000);
  const progress: Progress[] = [];
  const r = await searchFileJob({ file, template: '{description}', id: 'huge', k: 2 }, { secrets: {}, onProgress: (p) => progress.push(p) });
  assert.ok(progress.some((p) => p.stage === 'warning' && p.message === `${MESSAGE} for search`));
  assert.equal(r.n, 41);

  const project = path.join(dir, 'project');
  await createProject(project, { template: '{description}' });
  await importDataset(project, file, { name: 'news', idField: 'id' });
  const opened = await openProject(project);
  const rows = readFileSync(datasetPath(opened, findDataset(opened, 'news')), 'utf8').split('\n').filter((l) => l.trim());
  const kept = rows.map((l) => JSON.parse(l) as { id: string; text: string }).find((x) => x.id === 'huge');
  assert.equal(kept?.text, huge);
});
