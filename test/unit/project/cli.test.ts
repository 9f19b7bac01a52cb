import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { initCommand } from '../../../src/cli/commands/init';
import { importCommand } from '../../../src/cli/commands/import';
import { cleanCommand } from '../../../src/cli/commands/clean';
import { annotationsCommand } from '../../../src/cli/commands/annotations';

const commands = [initCommand, importCommand, cleanCommand, annotationsCommand];
import { parseArgs, UsageError } from '../../../src/cli/args';

const bin = path.resolve(__dirname, '../../../bin/embedlab.js');
const root = mkdtempSync(path.join(tmpdir(), 'embedlab-cli-'));

/** Runs a subcommand in this process, the way src/cli/main.ts does (exit codes included). */
async function cli(name: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const command = commands.find((c) => c.name === name)!;
  let out = '';
  let err = '';
  try {
    const args = parseArgs(argv, command.options);
    const code = await command.run({ args, log: (l) => (err += l + '\n'), stdout: (t) => (out += t + '\n'), signal: new AbortController().signal });
    return { code, out, err };
  } catch (e) {
    return { code: e instanceof UsageError ? 2 : 1, out, err: err + (e as Error).message };
  }
}
/** The real executable, for exit codes and --help. */
function spawnCli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('init, import, clean and annotations work end to end from the CLI', async () => {
  const dir = path.join(root, 'proj');
  assert.equal((await cli('init', dir, '--name', 'Régions')).code, 0);
  const csv = path.join(root, 'news.csv');
  writeFileSync(
    csv,
    'ref;titre;corps;cat\nS56-1;Accident;"Un camion s\'est renversé le 12/03/2024 sur la D76.\nCordialement,\nLe SDIS";faits\nS56-2;Vote;Le conseil a voté le budget;politique\nS56-3;Vote;Le conseil a voté le budget;politique\nS56-4;Court\n',
  );
  const imp = await cli('import', csv, '--project', dir, '--name', 'news', '--text', '{title}. {body}', '--map', 'title=titre', '--map', 'body=corps', '--label', 'cat', '--id', 'ref', '--json');
  assert.equal(imp.code, 0, imp.err);
  const report = JSON.parse(imp.out);
  assert.equal(report.imported, 3);
  assert.deepEqual(report.skippedRows, [{ line: 7, reason: '2 columns where the header has 4 (missing "corps", "cat")' }]);

  const preview = await cli('clean', 'news', '--project', dir, '--strip', 'dates-inline,signoffs', '--pattern', '\\b[SDF]\\d{1,2}\\b', '--dedupe', 'exact', '--json');
  assert.equal(preview.code, 0, preview.err);
  const p = JSON.parse(preview.out);
  assert.equal(p.mode, 'preview');
  assert.deepEqual(p.rules.map((r: { rule: string; changed: number; removed: number }) => [r.rule, r.changed, r.removed]), [
    ['signoffs', 1, 0],
    ['patterns', 1, 0],
    ['dates', 1, 0],
    ['whitespace', 0, 0],
    ['dedupe-exact', 0, 1],
  ]);
  assert.equal(readFileSync(path.join(dir, 'data/news.jsonl'), 'utf8').split('\n').length, 4, 'preview writes nothing');

  const applied = await cli('clean', 'news', '--project', dir, '--strip', 'dates-inline,signoffs', '--pattern', '\\b[SDF]\\d{1,2}\\b', '--dedupe', 'exact', '--apply', '--json');
  assert.equal(applied.code, 0, applied.err);
  const lines = readFileSync(path.join(dir, 'data/news.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((r) => [r.id, r.text]), [
    ['S56-1', "Accident. Un camion s'est renversé le sur la."],
    ['S56-2', 'Vote. Le conseil a voté le budget'],
  ]);
  const project = JSON.parse(readFileSync(path.join(dir, 'project.json'), 'utf8'));
  assert.equal(project.datasets[0].count, 2);
  assert.equal(project.cleaning.length, 5);

  assert.equal((await cli('annotations', 'add', 'S56-1', 'S56-2', '0.25', '--project', dir, '--annotator', 'ann')).code, 0);
  assert.equal((await cli('annotations', 'add', 'S56-2', 'S56-1', '0.5', '--project', dir, '--annotator', 'bob')).code, 0);
  // Ids that no dataset holds are refused (issue 9): such a score could never be trained on or shown.
  const before = readFileSync(path.join(dir, 'annotations.jsonl'), 'utf8');
  const unknown = await cli('annotations', 'add', 'S56-1', 'no-such-id', '0.5', '--project', dir);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /field "id": no dataset of the project has the record id "no-such-id" \(datasets: news\)/);
  const both = await cli('annotations', 'skip', 'x1', 'x2', '--project', dir);
  assert.equal(both.code, 1);
  assert.match(both.err, /the record ids "x1" and "x2"/);
  const hex = await cli('annotations', 'add', 'S56-1', 'S56-2', '0x1', '--project', dir);
  assert.equal(hex.code, 2);
  assert.match(hex.err, /the score must be a decimal number in 0–1, got "0x1"/);
  assert.equal(readFileSync(path.join(dir, 'annotations.jsonl'), 'utf8'), before, 'nothing was appended');
  const summary = JSON.parse((await cli('annotations', '--project', dir, '--json')).out);
  assert.equal(summary.scoredPairs, 1);
  assert.equal(summary.agreement.meanAbsDiff, 0.25);
});

test('clean --strip dates keeps dates inside sentences; --strip defaults picks the rules on by default', async () => {
  const file = path.join(root, 'fr-news.jsonl');
  writeFileSync(
    file,
    [
      { id: 'a', body: 'Publié le 3 juillet 2024 à 14h30\nLe journal a paru le 3 juillet 1869, sur sa première page.' },
      { id: 'b', body: 'La piscine est ouverte de 8 heures à 23 heures. Le projet coûte 1 008 978 400 FCFA.' },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n',
  );
  const dates = JSON.parse((await cli('clean', file, '--text', '{body}', '--strip', 'dates', '--examples', '5', '--json')).out);
  assert.deepEqual(dates.specs[0], { rule: 'dates' });
  assert.deepEqual(dates.rules[0].examples.map((e: { id: string; after: string }) => [e.id, e.after]), [
    ['a', 'Le journal a paru le 3 juillet 1869, sur sa première page.'],
  ]);
  const defaults = JSON.parse((await cli('clean', file, '--text', '{body}', '--strip', 'defaults', '--json')).out);
  assert.deepEqual(defaults.specs.map((s: { rule: string }) => s.rule), ['signoffs', 'urls', 'emails', 'dates', 'whitespace']);
  const all = JSON.parse((await cli('clean', file, '--text', '{body}', '--strip', 'all', '--json')).out);
  assert.equal(all.rules.find((r: { rule: string }) => r.rule === 'phones').changed, 0, 'an amount is not a phone number');
  const bad = await cli('clean', file, '--text', '{body}', '--strip', 'datez');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--strip takes .*dates-inline.*defaults/);
});

test('bad input gives a clear message and a non-zero exit', async () => {
  const dir = path.join(root, 'p2');
  await cli('init', dir);
  const missing = spawnCli('import', path.join(root, 'nope.csv'), '--project', dir, '--text', '{x}');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope\.csv: no such file/);
  const usage = await cli('clean', 'news', '--project', dir, '--dedupe', 'fuzzy');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--dedupe must be one of exact, near/);
  const help = spawnCli('import', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /--map <value>/);
  const again = await cli('init', dir);
  assert.equal(again.code, 1);
  assert.match(again.err, /a project already exists here/);
});
