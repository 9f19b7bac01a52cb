// The host's annotation source on a real project: the session carries Krippendorff's alpha
// over the standing scores, the guidelines (or why they cannot be shown) and the threshold;
// review mode lists the annotated pairs with their texts; an edit through `score` appends a
// new entry and wins; the guidelines file is made from the rubric on request.
import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProjectAnnotationSource } from '../../../src/host/sources/project-annotation-source';
import { createProject } from '../../../src/engine/project/store';
import { importDataset } from '../../../src/engine/project/import-dataset';
import { appendAnnotation } from '../../../src/engine/project/annotations';
import { krippendorffIntervalAlpha } from '../../../src/engine/annotate/agreement';

const ctxFor = (annotator: string) => ({
  config: () => ({ annotator, 'annotate.disagreementThreshold': 0.25 }),
  refreshProjects: () => undefined,
  extension: { workspaceState: { get: () => undefined, update: async () => undefined } },
});

test('session, review and guidelines of a real project', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedlab-annot-source-'));
  try {
    await createProject(dir);
    const csv = path.join(dir, 'src.csv');
    writeFileSync(csv, 'id,text\nr1,Inondations en Émilie-Romagne\nr2,Les secours atteignent les villages inondés\nr3,Le championnat de football reprend\nr4,La Bourse recule\n');
    await importDataset(dir, csv, { name: 'news', idField: 'id' });
    const file = path.join(dir, 'annotations.jsonl');
    await appendAnnotation(file, { id1: 'r1', id2: 'r2', score: 1, annotator: 'ana' });
    await appendAnnotation(file, { id1: 'r1', id2: 'r2', score: 0.5, annotator: 'ben' });
    await appendAnnotation(file, { id1: 'r3', id2: 'r4', score: 0, annotator: 'ana' });
    await appendAnnotation(file, { id1: 'r3', id2: 'r4', score: 0.25, annotator: 'ben' });
    const ben = new ProjectAnnotationSource(ctxFor('ben') as never, dir, 'news', 'builtin', 'p');

    const s = await ben.getSession();
    assert.equal(s.annotator, 'ben');
    assert.equal(s.agreement?.pairs, 2);
    assert.equal(s.agreement?.annotators, 2);
    assert.ok(Math.abs(s.agreement!.alpha! - krippendorffIntervalAlpha([[1, 0.5], [0, 0.25]])!) < 1e-12);
    assert.equal(s.guidelines, undefined);
    assert.equal(s.disagreementThreshold, 0.25);

    // review: both pairs with texts; ben edits r1~r2 through a score (appended), and it wins
    const before = await ben.reviewPairs({ offset: 0, limit: 10 });
    assert.equal(before.total, 2);
    assert.equal(before.rows.find((r) => r.id1 === 'r1')!.left, 'Inondations en Émilie-Romagne');
    const lines = readFileSync(file, 'utf8').trim().split('\n').length;
    const saved = await ben.score('r1', 'r2', 1, 'même crue');
    // the toolbar's alpha follows each save
    assert.ok(Math.abs(saved.overall!.alpha! - krippendorffIntervalAlpha([[1, 1], [0, 0.25]])!) < 1e-12);
    assert.equal(saved.overall!.pairs, 2);
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, lines + 1, 'the edit is one more line; nothing is rewritten');
    const after = await ben.reviewPairs({ offset: 0, limit: 10, annotator: 'ben', minScore: 1 });
    assert.deepEqual(after.rows.map((r) => [r.id1, r.scores.find((x) => x.annotator === 'ben')]), [['r1', { annotator: 'ben', score: 1, time: after.rows[0].time, note: 'même crue' }]]);
    assert.equal((await ben.getSession()).agreement?.pairs, 2);
    assert.ok(Math.abs((await ben.getSession()).agreement!.alpha! - krippendorffIntervalAlpha([[1, 1], [0, 0.25]])!) < 1e-12);

    // guidelines: made from the rubric on request, then shown; a folder in its place is reported
    const g = await ben.projectFile('guidelines');
    assert.equal(g, path.join(dir, 'guidelines.md'));
    assert.match((await ben.getSession()).guidelines!.text, /same event or very narrow topic/);
    assert.equal(await ben.projectFile('rubric'), path.join(dir, 'project.json'));
    assert.deepEqual(ben.sessionFiles, [g, path.join(dir, 'project.json')]);
    rmSync(g);
    mkdirSync(g);
    assert.match((await ben.getSession()).guidelines!.problem!, /guidelines\.md.*not a folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
