// Dataset text with terminal control sequences (OSC retitle, CSI clear screen, C1 controls, bidi
// overrides) is printed escaped, on stdout and in error messages on stderr; --json still gives
// back the exact text.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir } from './helpers';
import { escapeControls } from '../../../src/cli/terminal-text';

const dir = tempDir('embedlab-terminal-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Raw C0 controls except newline and tab, DEL, C1 controls, bidi controls. */
// eslint-disable-next-line no-control-regex -- the test looks for raw control characters
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE = [
  'market report \u001b]0;pwned\u0007 shares rise',
  'market news \u001b[2J\u001b[H cleared screen',
  'market update \u009b31m red via C1 CSI \u0085 next line',
  'market file \u202egpj.exe reversed',
  'market bell \u0007\u0007 and DEL \u007f end',
];
const records = [
  ...HOSTILE.map((text, i) => ({ id: `h${i}`, text, label: 'x' })),
  ...Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, text: `plain market text number ${i} about shares and prices`, label: i % 2 ? 'x' : 'y' })),
];
const file = path.join(dir, 'hostile.jsonl');
fs.writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');

test('the escape helper makes controls visible and keeps newlines and tabs', () => {
  assert.equal(escapeControls('a\u001b]0;x\u0007b\u009b\u202e\r\n\tz'), 'a\\u001b]0;x\\u0007b\\u009b\\u202e\\u000d\n\tz');
});

test('search prints dataset text without raw control characters; --json round-trips it exactly', async () => {
  const r = await runCli('search', file, '--text', '{text}', '--query', 'market', '--k', '20', '--encoder', 'builtin');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, RAW_CONTROL);
  assert.doesNotMatch(r.stderr, RAW_CONTROL);
  assert.match(r.stdout, /market report \\u001b\]0;pwned\\u0007 shares rise/);
  assert.match(r.stdout, /\\u202egpj\.exe/);

  const j = await runCli('search', file, '--text', '{text}', '--query', 'market', '--k', '20', '--encoder', 'builtin', '--json');
  assert.equal(j.code, 0, j.stderr);
  assert.doesNotMatch(j.stdout, RAW_CONTROL);
  const texts = new Map((JSON.parse(j.stdout) as { results: { id: string; text: string }[] }).results.map((x) => [x.id, x.text]));
  HOSTILE.forEach((text, i) => assert.equal(texts.get(`h${i}`), text));
});

test('an error message quoting user data is escaped too', async () => {
  const r = await runCli('search', file, '--text', '{text}', '--id', 'no\u001b[2Jsuch\u0007', '--encoder', 'builtin');
  assert.equal(r.code, 2);
  assert.doesNotMatch(r.stderr, RAW_CONTROL);
  assert.match(r.stderr, /no record with id "no\\u001b\[2Jsuch\\u0007"/);
});

test('annotations suggest prints pair texts escaped; --json keeps them exact', async () => {
  const project = path.join(dir, 'proj');
  assert.equal((await runCli('init', project)).code, 0);
  const imported = await runCli('import', file, '--project', project, '--text', '{text}', '--id', 'id', '--name', 'hostile');
  assert.equal(imported.code, 0, imported.stderr);
  const args = ['annotations', 'suggest', '--project', project, '--dataset', 'hostile', '--count', '40', '--strategy', 'random', '--encoder', 'builtin'];
  const r = await runCli(...args);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, RAW_CONTROL);
  assert.doesNotMatch(r.stderr, RAW_CONTROL);
  const j = await runCli(...args, '--json');
  assert.equal(j.code, 0, j.stderr);
  assert.doesNotMatch(j.stdout, RAW_CONTROL);
  const pairs = (JSON.parse(j.stdout) as { pairs: { id1: string; id2: string; text1: string; text2: string }[] }).pairs;
  const seen = new Map<string, string>();
  for (const p of pairs) {
    seen.set(p.id1, p.text1);
    seen.set(p.id2, p.text2);
  }
  const hostileSeen = HOSTILE.map((text, i) => [text, seen.get(`h${i}`)] as const).filter(([, got]) => got !== undefined);
  assert.ok(hostileSeen.length > 0, 'no hostile record among the suggested pairs');
  // The imported text may be cleaned on import; whatever the project holds comes back exactly.
  const stored = new Map(
    fs
      .readFileSync(path.join(project, 'data', 'hostile.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; text: string })
      .map((x) => [x.id, x.text]),
  );
  for (const [id, text] of seen) assert.equal(text, stored.get(id));
  assert.ok([...stored.values()].some((t) => RAW_CONTROL.test(t)), 'the import removed every control character: the test shows nothing');
});
