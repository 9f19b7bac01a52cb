// The README's performance tables are generated from bench/results/latest.json, never edited by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readmeWithResults, renderResultsMarkdown, README_END, README_START, type ResultsFile } from '../../../bench/results-tables';
import { sections } from '../../../bench/sections';

const repo = path.resolve(__dirname, '../../..');
const order = sections.map((s) => s.name);
const results = JSON.parse(fs.readFileSync(path.join(repo, 'bench/results/latest.json'), 'utf8')) as ResultsFile;

test('the README performance tables and latest.md are the rendering of latest.json', () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  assert.equal(readme, readmeWithResults(readme, results, order), 'run `npm run bench -- --render` after changing latest.json');
  assert.equal(fs.readFileSync(path.join(repo, 'bench/results/latest.md'), 'utf8'), renderResultsMarkdown(results, order));
});

test('the generated block replaces only what lies between its markers', () => {
  const one: ResultsFile = {
    schemaVersion: 1,
    sections: {
      zeta: { measuredAt: '2026-01-02T03:04:05Z', seconds: 3, loadBefore: 0.5, loadAfter: 1, machine: 'm', rows: [{ task: 'a|b', ours: '1 s', baseline: '2 s', ratio: '2.00×', note: 'x\ny' }] },
    },
  };
  const out = readmeWithResults(`intro\n${README_START}\nold\n${README_END}\noutro\n`, one, order);
  assert.ok(out.startsWith(`intro\n${README_START}\n| area |`));
  assert.ok(out.endsWith(`${README_END}\noutro\n`));
  assert.match(out, /\| zeta \| a\\\|b \| 1 s \| 2 s \| 2\.00× \| x y \|/);
  assert.match(out, /\| zeta \| 2026-01-02 03:04 UTC \| 3 s \| 0\.5 → 1\.0 \| m \|/);
  assert.throws(() => readmeWithResults('no markers', one, order), /no generated bench block/);
});
