// Issue 2, "Done when": bad input gives a clear error (naming file, line, field) with a non-zero
// exit, or a counted skip, and never a half-written project or output file. Each case runs through
// every command that reads data: embed, cluster, import, eval-sts, eval-topk, search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvCell, interruptCli, listFiles, newsRecords, onlyJson, runCli, tempDir, TINY_MODEL, type CliResult } from './helpers';

const dir = tempDir('embedlab-bad-input-');
const TEMPLATE = '{title}. {description}';
const good = newsRecords(24);
const goodLines = good.map((r) => JSON.stringify(r));
const csvHeader = 'id,title,description,label';
const csvLines = good.map((r) => [r.id, r.title, r.description, r.label].map(csvCell).join(','));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** `lines` with `extra` inserted so that each lands on the given 1-based line. */
function withLines(lines: readonly string[], extra: Record<number, string>): string {
  const out = [...lines];
  for (const line of Object.keys(extra).map(Number).sort((a, b) => a - b)) out.splice(line - 1, 0, extra[line]);
  return out.join('\n') + '\n';
}

const files = {
  malformedJsonl: write('malformed.jsonl', withLines(goodLines, { 3: '{"title": "cut off', 6: '[1, 2]', 9: 'not json at all' })),
  malformedCsv: write(
    'malformed.csv',
    withLines([csvHeader, ...csvLines], { 4: 'x1,only two', 7: 'x2,"Quoted"tail,desc,World', 10: 'x3,a,b,World,extra' }),
  ),
  // A stray opening quote: closed by the next quote in the file, or by none.
  strayQuoteCsv: write('stray-quote.csv', withLines([csvHeader, ...csvLines], { 5: 'x9,"never closed,desc,World' })),
  openQuoteCsv: write('open-quote.csv', withLines([csvHeader, ...good.map((r) => [r.id, r.title.replace(/[",]/g, ''), 'plain', r.label].join(','))], { 5: 'x9,"never closed,desc,World' })),
  emptyTexts: write(
    'empty-texts.jsonl',
    withLines(goodLines, {
      2: JSON.stringify({ id: 'e1', title: '', description: '', label: 'World' }),
      5: JSON.stringify({ id: 'e2', title: '   ', description: ' \t ', label: 'Sports' }),
      8: JSON.stringify({ id: 'p1', title: '.', description: ' ', label: 'Sports' }),
    }),
  ),
  allEmpty: write('all-empty.jsonl', ['', '  ', '\t'].map((t, i) => JSON.stringify({ id: `e${i}`, title: t, description: '', label: 'World' })).join('\n') + '\n'),
  missingColumnCsv: write('missing-column.csv', ['id,title,label', ...good.map((r) => [r.id, r.title, r.label].map(csvCell).join(','))].join('\n') + '\n'),
  missingFieldsJsonl: write('missing-fields.jsonl', withLines(goodLines, { 4: JSON.stringify({ id: 'm1', label: 'World' }), 8: JSON.stringify({ id: 'm2', other: 'x', label: 'World' }) })),
  badUtf8Jsonl: write(
    'bad-utf8.jsonl',
    Buffer.concat([Buffer.from(goodLines.slice(0, 3).join('\n') + '\n'), Buffer.from('{"id":"u1","title":"caf'), Buffer.from([0xe9]), Buffer.from('","description":"latin-1 byte","label":"World"}\n'), Buffer.from(goodLines.slice(3).join('\n') + '\n')]),
  ),
  badUtf8Csv: write(
    'bad-utf8.csv',
    Buffer.concat([Buffer.from([csvHeader, ...csvLines.slice(0, 2)].join('\n') + '\n'), Buffer.from('u1,caf'), Buffer.from([0xff, 0xfe]), Buffer.from(',desc,World\n'), Buffer.from(csvLines.slice(2).join('\n') + '\n')]),
  ),
  bigText: write(
    'big-text.jsonl',
    withLines(goodLines, { 2: JSON.stringify({ id: 'big', title: 'A very long text', description: 'word '.repeat(2_100_000), label: 'World' }) }),
  ),
  emptyJsonl: write('empty.jsonl', ''),
  emptyCsv: write('empty.csv', ''),
};

const project = path.join(dir, 'project');
let datasetCounter = 0;

type DataCommand = 'embed' | 'cluster' | 'import' | 'eval-topk' | 'search';
const DATA_COMMANDS: DataCommand[] = ['embed', 'cluster', 'import', 'eval-topk', 'search'];

/** The arguments of `command` on `file`, with an output file where the command writes one. */
function argsFor(command: DataCommand, file: string, options: { template?: string; encoder?: string; extra?: string[] } = {}): { argv: string[]; out?: string } {
  const template = options.template ?? TEMPLATE;
  const enc = [...(options.encoder ? ['--encoder', options.encoder] : []), ...(options.extra ?? [])];
  const out = path.join(dir, 'out', `${command}-${++datasetCounter}`);
  switch (command) {
    case 'embed':
      return { argv: ['embed', file, '--text', template, '--out', `${out}.npy`, '--json', ...enc], out: `${out}.npy` };
    case 'cluster':
      return { argv: ['cluster', file, '--text', template, '--label', 'label', '--k', '2', '--out', `${out}.jsonl`, '--json', ...enc], out: `${out}.jsonl` };
    case 'import':
      return { argv: ['import', file, '--project', project, '--name', `d${datasetCounter}`, '--text', template, '--json'] };
    case 'eval-topk':
      return { argv: ['eval-topk', file, '--text', template, '--label', 'label', '--k', '3', '--json', ...enc] };
    case 'search':
      return { argv: ['search', file, '--text', template, '--query', 'oil prices and stocks', '--k', '3', '--json', ...enc] };
  }
}

/** Files of the project and of the output folder, with project.json's bytes, to show nothing was half-written. */
function snapshot(): { project: string[]; projectJson: string; out: string[] } {
  return { project: listFiles(project), projectJson: fs.readFileSync(path.join(project, 'project.json'), 'utf8'), out: listFiles(path.join(dir, 'out')) };
}

/** Runs `command` on a bad file that must fail: exit 1, the message on stderr, nothing on stdout, nothing written. */
async function expectError(command: DataCommand, file: string, message: RegExp, options: { template?: string; encoder?: string; extra?: string[] } = {}): Promise<CliResult> {
  const before = snapshot();
  const { argv, out } = argsFor(command, file, options);
  const r = await runCli(...argv);
  assert.equal(r.code, 1, `${command} ${path.basename(file)}: exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '', `${command} ${path.basename(file)}: nothing on stdout`);
  assert.match(r.stderr, message, `${command} ${path.basename(file)}: message`);
  assert.match(r.stderr, new RegExp(`^embedlab ${command}: `, 'm'));
  if (out) assert.ok(!fs.existsSync(out), `${command}: no output file after a failure`);
  assert.deepEqual(snapshot(), before, `${command} ${path.basename(file)}: the project and output folder are unchanged`);
  return r;
}

interface Skip {
  line: number;
  reason: RegExp;
}

/** Runs `command` on a file with bad rows that must be skipped and counted (first one on stderr or in the JSON). */
async function expectSkips(command: DataCommand, file: string, skips: readonly Skip[], kept: number, options: { encoder?: string; extra?: string[] } = {}): Promise<Record<string, unknown>> {
  const { argv, out } = argsFor(command, file, options);
  const r = await runCli(...argv);
  assert.equal(r.code, 0, `${command} ${path.basename(file)}: ${r.stderr}`);
  const json = onlyJson(r);
  if (command === 'import') {
    assert.equal(json.imported, kept);
    assert.equal(json.skipped, skips.length);
    const rows = json.skippedRows as { line: number; reason: string }[];
    assert.deepEqual(rows.map((s) => s.line), skips.map((s) => s.line));
    rows.forEach((s, i) => assert.match(s.reason, skips[i].reason));
  } else {
    assert.equal(json.skipped, skips.length, `${command}: skipped count in the JSON`);
    const n = command === 'embed' ? json.rows : json.n;
    assert.equal(n, kept, `${command}: records used`);
    if (skips.length) {
      const first = new RegExp(`skipped ${skips.length} rows \\(first: line ${skips[0].line}: ${skips[0].reason.source}`);
      assert.match(r.stderr, first, `${command}: the skip is reported on stderr`);
    }
    if (out) assert.ok(fs.existsSync(out), `${command}: wrote ${out}`);
  }
  return json;
}

test('set-up: a project to import into', async () => {
  const r = await runCli('init', project);
  assert.equal(r.code, 0, r.stderr);
  fs.mkdirSync(path.join(dir, 'out'));
});

test('malformed JSONL lines are skipped and counted with their line numbers', async () => {
  const skips = [
    { line: 3, reason: /invalid JSON/ },
    { line: 6, reason: /not a JSON object/ },
    { line: 9, reason: /invalid JSON/ },
  ];
  for (const command of DATA_COMMANDS) await expectSkips(command, files.malformedJsonl, skips, 24);
});

test('malformed CSV rows (cells missing or extra, text after a closing quote) are skipped and counted', async () => {
  const skips = [
    { line: 4, reason: /2 columns where the header has 4 \(missing "description", "label"\)/ },
    { line: 7, reason: /malformed CSV: text after a closing quote on line 7/ },
    { line: 10, reason: /5 columns where the header has 4 \(extra cells\)/ },
  ];
  for (const command of DATA_COMMANDS) await expectSkips(command, files.malformedCsv, skips, 24);
});

test('a stray CSV quote that runs over several rows is one counted skip whose reason names the lines it took', async () => {
  const r = await expectSkips('import', files.strayQuoteCsv, [{ line: 5, reason: /; the row spans lines 5–7, is a quote on line 5 unbalanced\?/ }], 22);
  assert.equal(r.imported, 22, 'the rows on lines 6 and 7 went into the bad row, as the reason says');
});

test('a CSV quote left open, which would swallow the rest of the file, is an error naming its line', async () => {
  for (const command of DATA_COMMANDS)
    await expectError(command, files.openQuoteCsv, /open-quote\.csv:5: a quote opened on this line is never closed, so lines 5–26 would be one cell/);
});

test('empty texts (every template field empty or whitespace) are skipped and counted, "." is a text; a file of only empty texts is an error', async () => {
  const skips = [
    { line: 2, reason: /empty text/ },
    { line: 5, reason: /empty text/ },
  ];
  // embed keeps one vector per row unless --skip-empty.
  for (const command of DATA_COMMANDS) await expectSkips(command, files.emptyTexts, skips, 25, command === 'embed' ? { extra: ['--skip-empty'] } : {});
  await expectSkips('embed', files.emptyTexts, [], 27);
  for (const command of DATA_COMMANDS)
    await expectError(
      command,
      files.allEmpty,
      command === 'import' ? /all-empty\.jsonl: no record could be imported; 3 rows skipped, first on line 1: empty text/ : /all-empty\.jsonl: no usable records; 3 rows skipped, first at line 1: empty text/,
      command === 'embed' ? { extra: ['--skip-empty'] } : {},
    );
});

test('a missing column is an error naming the field; records missing the fields are skipped', async () => {
  for (const command of DATA_COMMANDS)
    await expectError(command, files.missingColumnCsv, /missing-column\.csv, field "description": the template names a field that no record has; fields are id, title, label/);
  const skips = [
    { line: 4, reason: /no value for "(title|…)", "(description|…)"/ },
    { line: 8, reason: /no value for "(title|…)", "(description|…)"/ },
  ];
  for (const command of DATA_COMMANDS) await expectSkips(command, files.missingFieldsJsonl, skips, 24);
});

test('invalid UTF-8 is skipped with its line and column, never turned into U+FFFD', async () => {
  for (const command of DATA_COMMANDS) {
    const json = await expectSkips(command, files.badUtf8Jsonl, [{ line: 4, reason: /invalid UTF-8 \(byte 0xe9 at column 24\)/ }], 24);
    if (command === 'search') assert.ok(!JSON.stringify(json).includes('\ufffd'));
    if (command === 'import') {
      const stored = fs.readFileSync(path.join(project, String(json.file)), 'utf8');
      assert.ok(!stored.includes('\ufffd') && !stored.includes('latin-1 byte'), 'the bad record is not in the dataset');
    }
    await expectSkips(command, files.badUtf8Csv, [{ line: 4, reason: /invalid UTF-8 \(byte 0xff at column 7\)/ }], 24);
  }
});

test('a single 10 MB text is read, imported and embedded (truncated by the model, not dropped)', async () => {
  assert.ok(fs.statSync(files.bigText).size > 10 * 1024 * 1024);
  for (const command of DATA_COMMANDS) {
    const json = await expectSkips(command, files.bigText, [], 25, { encoder: TINY_MODEL });
    if (command === 'search') assert.equal((json.results as unknown[]).length, 3);
    if (command === 'import') {
      const second = fs.readFileSync(path.join(project, String(json.file)), 'utf8').split('\n')[1];
      assert.ok(second.length > 10_000_000, 'the long text is stored whole');
    }
  }
});

test('an empty file is an error naming it', async () => {
  for (const command of DATA_COMMANDS) {
    await expectError(command, files.emptyJsonl, /empty\.jsonl: the file is empty/);
    await expectError(command, files.emptyCsv, /empty\.csv: the file is empty/);
  }
});

test('a template that names a missing field is an error naming the file and the field', async () => {
  for (const command of DATA_COMMANDS)
    await expectError(command, files.malformedJsonl, /malformed\.jsonl, field "headline": the template names a field that no record has; fields are id, title, description, label/, {
      template: '{headline}: {description}',
    });
});

test('a missing input file and a missing --text are errors with a non-zero exit', async () => {
  for (const command of DATA_COMMANDS) await expectError(command, path.join(dir, 'nope.jsonl'), /nope\.jsonl: no such file/);
  const usage = await runCli('cluster', files.malformedJsonl, '--json');
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /missing --text "<template>"/);
  assert.equal(usage.stdout, '');
});

// eval-sts reads scored pairs (text1, text2, score in 0–1), not a template: any bad pair is an error
// naming its line and field, since a skipped pair would change the correlation silently.
const pairLines = fs
  .readFileSync(path.join(path.dirname(TINY_MODEL), '..', 'sample', 'stsb-100.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .slice(0, 20);

async function expectStsError(name: string, content: string | Buffer, message: RegExp): Promise<void> {
  const file = write(name, content);
  const r = await runCli('eval-sts', file, '--json');
  assert.equal(r.code, 1, `eval-sts ${name}: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
}

test('eval-sts: malformed, empty, missing, out-of-range, invalid UTF-8 and empty-file inputs name the line and field', async () => {
  await expectStsError('p-malformed.jsonl', withLines(pairLines, { 3: '{"text1": "x", ' }), /p-malformed\.jsonl:3: invalid JSON/);
  await expectStsError('p-malformed.csv', 'text1,text2,score\n"a b",c d,0.5\nx y\n', /p-malformed\.csv:3: 1 columns where the header has 3 \(missing "text2", "score"\)/);
  await expectStsError('p-empty.jsonl', withLines(pairLines, { 4: JSON.stringify({ text1: ' ', text2: 'a b', score: 0.5 }) }), /p-empty\.jsonl:4, field "text1": missing or empty text/);
  await expectStsError('p-missing.jsonl', withLines(pairLines, { 2: JSON.stringify({ text1: 'a', text2: 'b' }) }), /p-missing\.jsonl:2, field "score": no value: a number is needed/);
  await expectStsError('p-hex.jsonl', withLines(pairLines, { 3: JSON.stringify({ text1: 'a', text2: 'b', score: '0x1' }) }), /p-hex\.jsonl:3, field "score": "0x1" is not a number/);
  await expectStsError('p-nocolumn.csv', 'text1,score\na,0.5\nb,0.2\n', /p-nocolumn\.csv:2, field "text2": missing or empty text/);
  await expectStsError('p-range.jsonl', withLines(pairLines, { 5: JSON.stringify({ text1: 'a', text2: 'b', score: 4 }) }), /p-range\.jsonl:5, field "score": score 4 is outside 0–1/);
  await expectStsError(
    'p-utf8.jsonl',
    Buffer.concat([Buffer.from(pairLines.slice(0, 6).join('\n') + '\n{"text1":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('","text2":"b","score":0.1}\n')]),
    /p-utf8\.jsonl:7: invalid UTF-8/,
  );
  await expectStsError('p-empty-file.jsonl', '', /p-empty-file\.jsonl: the file is empty/);
});

test('eval-sts: a pair with a 10 MB text is scored, truncated by the model', async () => {
  const file = write('p-big.jsonl', withLines(pairLines, { 1: JSON.stringify({ text1: 'word '.repeat(2_100_000), text2: 'a short text', score: 0.1 }) }));
  const r = await runCli('eval-sts', file, '--encoder', TINY_MODEL, '--json');
  assert.equal(r.code, 0, r.stderr);
  const json = onlyJson(r);
  assert.equal(json.n, 21);
  assert.ok(Number.isFinite(json.spearman) && Number.isFinite(json.pearson));
});

test('an import interrupted with Ctrl-C exits 130 and leaves the project as it was', async () => {
  const file = path.join(dir, 'large.jsonl');
  const fd = fs.openSync(file, 'w');
  for (let block = 0; block < 60; block++) {
    const lines: string[] = [];
    for (let i = 0; i < 2500; i++) {
      const r = good[(block * 2500 + i) % good.length];
      lines.push(JSON.stringify({ ...r, id: `${block}-${i}` }));
    }
    fs.writeSync(fd, lines.join('\n') + '\n');
  }
  fs.closeSync(fd);
  const before = snapshot();
  const r = await interruptCli(['import', file, '--project', project, '--name', 'large', '--text', TEMPLATE, '--id', 'id'], (err) => /^import \d/m.test(err));
  assert.ok(r.interrupted, `the import ended before it could be interrupted: ${r.stderr}`);
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /embedlab: cancelled/);
  assert.equal(r.stdout, '');
  assert.deepEqual(snapshot(), before, 'no dataset file, no temp file, project.json unchanged');
});
