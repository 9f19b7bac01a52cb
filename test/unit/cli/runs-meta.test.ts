// `embedlab runs rename|tag|untag|note`: names, tags and notes of a run, listed by `embedlab runs`
// (text and --json); ids are checked against the project's runs, values are checked.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './helpers';
import { writeSummary, type RunSummary } from '../../../src/engine/train/runs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'el-cli-runs-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function project(): Promise<string> {
  const root = path.join(dir, 'p');
  const run = path.join(root, 'runs', '20261121-093000-cosent-ab12');
  fs.mkdirSync(run, { recursive: true });
  const now = '2026-11-21T09:30:00.000Z';
  const s: RunSummary = {
    schemaVersion: 1, id: path.basename(run), status: 'completed', mode: 'head', loss: 'cosent', startedAt: now, updatedAt: now, pid: 1, host: 'h',
    step: 40, totalSteps: 40, durationMs: 1000, before: { top1: 0.41, top10: 0.45, top25: 0.377 }, after: { top1: 0.52, top10: 0.55, top25: 0.503 },
  };
  await writeSummary(run, s);
  fs.writeFileSync(path.join(run, 'config.json'), JSON.stringify({ createdAt: now, mode: 'head', options: { loss: 'cosent' }, resolved: { loss: 'cosent', epochs: 4, lr: 0.001 } }));
  return root;
}

test('runs lists a readable default name and the metric in the shared vocabulary; rename, tag, untag, note', async () => {
  const root = await project();
  const id = '20261121-093000-cosent-ab12';
  const own = (f: string) => fs.readFileSync(path.join(root, 'runs', id, f), 'utf8');
  const before = [own('summary.json'), own('config.json')];
  let r = await runCli('runs', '--project', root);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^CoSENT · head · 4 ep · lr 1e-3 · 21 Nov 09:30\n/);
  assert.match(r.stdout, /before Same label@1 0\.410 {2}after Same label@1 0\.520/);

  assert.equal((await runCli('runs', 'rename', id, 'Dépêches AFP — CoSENT, lr plus bas', '--project', root)).code, 0);
  r = await runCli('runs', 'tag', id, 'baseline', 'français', '--project', root, '--json');
  assert.deepEqual(JSON.parse(r.stdout).tags, ['baseline', 'français']);
  r = await runCli('runs', 'untag', id, 'BASELINE', '--project', root);
  assert.equal(r.stdout.trim(), `tags of ${id}: français`);
  assert.equal((await runCli('runs', 'note', id, 'à comparer avec le MNR\nsur 4 époques', '--project', root)).code, 0);

  const listed = JSON.parse((await runCli('runs', '--project', root, '--json')).stdout);
  assert.equal(listed.runs[0].name, 'Dépêches AFP — CoSENT, lr plus bas');
  assert.equal(listed.runs[0].named, true);
  assert.deepEqual(listed.runs[0].tags, ['français']);
  assert.equal(listed.runs[0].notes, 'à comparer avec le MNR\nsur 4 époques');
  r = await runCli('runs', 'list', '--project', root);
  assert.match(r.stdout, /^Dépêches AFP — CoSENT, lr plus bas {2}\[français\]\n {2}20261121-093000-cosent-ab12 {2}completed/);
  assert.match(r.stdout, /notes: à comparer avec le MNR …/);
  // the run's own files are untouched
  assert.deepEqual([own('summary.json'), own('config.json')], before);
  assert.deepEqual(fs.readdirSync(path.join(root, 'runs', id)).sort(), ['config.json', 'meta.jsonl', 'summary.json']);
});

test('bad ids and values fail with exit 1 and a clear message; unknown actions are usage errors', async () => {
  const root = await project();
  const id = '20261121-093000-cosent-ab12';
  let r = await runCli('runs', 'rename', '../../etc', 'x', '--project', root);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no run "..\/..\/etc"/);
  r = await runCli('runs', 'rename', id, 'x'.repeat(200), '--project', root);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /meta\.jsonl, field "name": a run name has at most 120 characters/);
  r = await runCli('runs', 'tag', id, 'a,b', '--project', root);
  assert.match(r.stderr, /field "tags": a tag may not contain a comma/);
  r = await runCli('runs', 'frobnicate', '--project', root);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown action "frobnicate"/);
  r = await runCli('runs', 'rename', id, '--project', root);
  assert.match(r.stderr, /runs rename takes one name/);
});
