import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readAll, tempFileWriter } from './read-helpers';
import { loadTexts } from '../../../src/engine/data/load-texts';
import { InputError } from '../../../src/engine/util/errors';

const file = tempFileWriter('embedlab-read-');

test('CSV: quotes, doubled quotes, newlines inside quotes, CRLF, BOM', async () => {
  const f = file('a.csv', '\uFEFFid,text,label\r\n1,"Bonjour, ""monde""\r\nsuite",a\r\n2,plain,b\r\n\r\n3,"",c\r\n');
  const { rows, skipped } = await readAll(f);
  assert.deepEqual(skipped, []);
  assert.deepEqual(rows, [
    { line: 2, fields: { id: '1', text: 'Bonjour, "monde"\r\nsuite', label: 'a' } },
    { line: 4, fields: { id: '2', text: 'plain', label: 'b' } },
    { line: 6, fields: { id: '3', text: '', label: 'c' } },
  ]);
});

test('JSONL and JSON arrays saved with a UTF-8 byte order mark read like those without', async () => {
  const jsonl = await readAll(file('bom.jsonl', '\uFEFF{"text":"a"}\n{"text":"b"}\n'));
  assert.deepEqual(jsonl, { rows: [{ line: 1, fields: { text: 'a' } }, { line: 2, fields: { text: 'b' } }], skipped: [] });
  const json = await readAll(file('bom.json', '\uFEFF[{"text":"a"},\n{"text":"b"}]'));
  assert.deepEqual(json.skipped, []);
  assert.deepEqual(json.rows.map((r) => r.fields), [{ text: 'a' }, { text: 'b' }]);
  const wrapped = await readAll(file('bom-obj.json', '\uFEFF{"rows": [{"text":"a"}]}'));
  assert.deepEqual(wrapped.rows.map((r) => r.fields), [{ text: 'a' }]);
});

test('CSV: semicolon and tab separators are guessed; a given delimiter wins', async () => {
  const semi = await readAll(file('semi.csv', 'titre;texte\n"A; B";Le maire, enfin\nC;D\n'));
  assert.deepEqual(semi.rows.map((r) => r.fields), [
    { titre: 'A; B', texte: 'Le maire, enfin' },
    { titre: 'C', texte: 'D' },
  ]);
  const tab = await readAll(file('t.tsv', 'a\tb\n1, 2\t3\n'));
  assert.deepEqual(tab.rows[0].fields, { a: '1, 2', b: '3' });
  const forced = await readAll(file('f.csv', 'a;b,c\n1;2,3\n'), { delimiter: ',' });
  assert.deepEqual(forced.rows[0].fields, { 'a;b': '1;2', c: '3' });
});

test('CSV: malformed rows and missing columns are skipped with their line', async () => {
  const f = file('bad.csv', 'id,text,label\n1,ok,a\n2,missing label\n3,"bad"x,c\n4,too,many,cells\n5,fine,e\n6,"never closed,f\n');
  const { rows, skipped } = await readAll(f);
  assert.deepEqual(rows.map((r) => [r.line, r.fields.id]), [
    [2, '1'],
    [6, '5'],
  ]);
  assert.deepEqual(skipped.map((s) => s.line), [3, 4, 5, 7]);
  assert.match(skipped[0].reason, /2 columns where the header has 3 \(missing "label"\)/);
  assert.match(skipped[1].reason, /malformed CSV: text after a closing quote on line 4/);
  assert.match(skipped[2].reason, /4 columns where the header has 3/);
  assert.match(skipped[3].reason, /malformed CSV: a quote opened on line 7 is never closed$/);
});

test('CSV: a quote left open that swallows later lines stops the read, naming its line', async () => {
  const f = file('open.csv', 'id,text,label\n1,ok,a\n2,"never closed,b\n3,x,c\n4,y,d\n');
  await assert.rejects(readAll(f), (e: unknown) => e instanceof InputError && /open\.csv:3: a quote opened on this line is never closed, so lines 3–5 would be one cell/.test(e.message));
});

test('CSV: duplicate header names and a header-only file', async () => {
  await assert.rejects(readAll(file('dup.csv', 'a,b,a\n1,2,3\n')), /dup\.csv:1, field "a": the header names this column twice/);
  const only = await readAll(file('h.csv', 'a,b\n'));
  assert.deepEqual(only.rows, []);
});

test('invalid UTF-8 is detected and the line reported, never turned into U+FFFD', async () => {
  const csv = file('latin1.csv', Buffer.concat([Buffer.from('id,text\n1,ok\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n3,fin\n')]));
  const c = await readAll(csv);
  assert.deepEqual(c.rows.map((r) => r.fields.id), ['1', '3']);
  assert.deepEqual(c.skipped, [{ line: 3, reason: 'invalid UTF-8 (byte 0xe9 at column 6)' }]);
  const jsonl = file('bad.jsonl', Buffer.concat([Buffer.from('{"t":"a"}\n{"t":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"t":"é"}\n')]));
  const j = await readAll(jsonl);
  assert.deepEqual(j.rows.map((r) => r.fields.t), ['a', 'é']);
  assert.equal(j.skipped[0].line, 2);
  assert.match(j.skipped[0].reason, /invalid UTF-8/);
  for (const r of [...c.rows, ...j.rows]) assert.ok(!JSON.stringify(r).includes('\uFFFD'));
  // valid multi-byte characters across the whole range pass
  const ok = await readAll(file('ok.jsonl', '{"t":"é€𝄞中"}\n'));
  assert.equal(ok.rows[0].fields.t, 'é€𝄞中');
  await assert.rejects(readAll(file('u16.csv', Buffer.from([0xff, 0xfe, 0x61, 0x00]))), /UTF-16/);
});

test('JSONL: malformed lines, non-objects and blank lines', async () => {
  const f = file('m.jsonl', '{"a":1}\n{"a":2\n\n[1,2]\n"str"\n{"a":3}');
  const { rows, skipped } = await readAll(f);
  assert.deepEqual(rows, [
    { line: 1, fields: { a: 1 } },
    { line: 6, fields: { a: 3 } },
  ]);
  assert.deepEqual(skipped.map((s) => s.line), [2, 4, 5]);
  assert.match(skipped[0].reason, /invalid JSON/);
  assert.equal(skipped[1].reason, 'not a JSON object');
});

test('JSON arrays stream item by item, with lines; bad items are skipped', async () => {
  const f = file('a.json', '[\n  {"a": "x, ] {"},\n  {"a": [1, {"b": "\\"]"}]},\n  42,\n  {"a": 3,},\n  {"a": "multi\\nline"}, {"b": 5}\n]\n');
  const { rows, skipped } = await readAll(f);
  assert.deepEqual(rows, [
    { line: 2, fields: { a: 'x, ] {' }, index: 0 },
    { line: 3, fields: { a: [1, { b: '"]' }] }, index: 1 },
    { line: 6, fields: { a: 'multi\nline' }, index: 4 },
    { line: 6, fields: { b: 5 }, index: 5 },
  ]);
  assert.deepEqual(skipped.map((s) => s.line), [4, 5]);
  assert.match(skipped[0].reason, /item 2 is not a JSON object/);
  assert.match(skipped[1].reason, /item 3 is invalid JSON/);
  const cut = await readAll(file('cut.json', '[{"a":1},\n{"a":2'));
  assert.deepEqual(cut.rows.map((r) => r.fields.a), [1]);
  assert.match(cut.skipped[0].reason, /cut off: the array is never closed/);
  const wrapped = await readAll(file('w.json', '{"data": [{"a": 1}, {"a": 2}]}'));
  assert.deepEqual(wrapped.rows.map((r) => r.fields.a), [1, 2]);
  await assert.rejects(readAll(file('n.json', '"hello"')), /expected a JSON array/);
});

test('a JSON array larger than the read buffer streams across blocks', async () => {
  const items = Array.from({ length: 30000 }, (_, i) => ({ id: i, text: `texte numéro ${i} ${'x'.repeat(i % 50)}` }));
  const f = file('big.json', JSON.stringify(items, null, 1));
  const { rows, skipped } = await readAll(f);
  assert.equal(skipped.length, 0);
  assert.equal(rows.length, 30000);
  assert.deepEqual(rows[29999].fields, items[29999]);
});

test('an empty file, a missing file and an unknown extension are clear errors', async () => {
  await assert.rejects(readAll(file('empty.csv', '')), (e: unknown) => e instanceof InputError && /empty\.csv: the file is empty/.test(e.message));
  await assert.rejects(readAll(path.join(path.dirname(file('present.jsonl', '{}\n')), 'nope.jsonl')), /nope\.jsonl: no such file/);
  await assert.rejects(readAll(file('x.xml', '<a/>')), /cannot tell the format/);
});

test('a single 10 MB text works; a lower limit skips it with a clear reason', async () => {
  const big = 'mot '.repeat(2.5 * 1024 * 1024); // 10 MB
  const f = file('big.jsonl', `{"id":"small","text":"court"}\n${JSON.stringify({ id: 'big', text: big })}\n{"id":"after","text":"fin"}\n`);
  const all = await readAll(f);
  assert.deepEqual(all.rows.map((r) => r.fields.id), ['small', 'big', 'after']);
  assert.equal((all.rows[1].fields.text as string).length, big.length);
  const limited = await readAll(f, { maxRecordBytes: 1024 * 1024 });
  assert.deepEqual(limited.rows.map((r) => r.fields.id), ['small', 'after']);
  assert.equal(limited.skipped[0].line, 2);
  assert.match(limited.skipped[0].reason, /10\.0 MB, over the limit of 1\.0 MB/);
  const csv = file('big.csv', `id,text\n1,"${big}"\n`);
  await assert.rejects(readAll(csv, { maxRecordBytes: 1024 * 1024 }), /big\.csv:2: a CSV .*too long/);
  assert.equal((await readAll(csv)).rows[0].fields.text, big);
});

test('loadTexts: empty texts and rows missing the template fields are counted; a template naming a missing field is an error', async () => {
  const f = file('t.jsonl', '{"id":"1","title":"A","body":"b"}\n{"id":"2","title":"","body":""}\n{"id":"3","other":"x"}\n{"id":"4","title":"D"}\n');
  const loaded = await loadTexts(f, { template: '{title}. {body}' });
  assert.deepEqual(loaded.ids, ['1', '4']);
  assert.deepEqual(loaded.texts, ['A. b', 'D']); // the dangling ". " of the missing body goes
  assert.deepEqual(loaded.skipped, [
    { line: 2, reason: 'empty text' },
    { line: 3, reason: 'no value for "title", "body"', field: 'title' },
  ]);
  await assert.rejects(loadTexts(f, { template: '{title} {summary}' }), /t\.jsonl, field "summary": the template names a field that no record has/);
});

test('CSV rows with quoted newlines keep exact line numbers across read blocks', async () => {
  const lines = ['id,text'];
  for (let i = 0; i < 20000; i++) lines.push(i % 3 === 0 ? `${i},"ligne un ${'y'.repeat(i % 40)}\nligne deux, ""citée"""` : `${i},simple ${i}`);
  const f = file('multi.csv', lines.join('\n') + '\n');
  const { rows, skipped } = await readAll(f);
  assert.equal(skipped.length, 0);
  assert.equal(rows.length, 20000);
  // row i starts on line 2 + i + (number of multi-line rows before it)
  for (const i of [1, 2, 3, 9999, 19999]) {
    assert.equal(rows[i].fields.id, String(i));
    assert.equal(rows[i].line, 2 + i + Math.ceil(i / 3));
  }
  assert.equal(rows[19998].fields.text, `ligne un ${'y'.repeat(19998 % 40)}\nligne deux, "citée"`);
});

test('invalid UTF-8 forms: overlong, surrogate, beyond U+10FFFF, cut sequence at line end', async () => {
  const bad = [
    [0xc0, 0x80], // overlong NUL
    [0xed, 0xa0, 0x80], // UTF-16 surrogate
    [0xf4, 0x90, 0x80, 0x80], // > U+10FFFF
    [0xe2, 0x82], // cut "€"
  ];
  const parts: Buffer[] = [Buffer.from('{"t":"ok"}\n')];
  for (const b of bad) parts.push(Buffer.concat([Buffer.from('{"t":"x'), Buffer.from(b), Buffer.from('"}\n')]));
  parts.push(Buffer.from('{"t":"fin €"}\n'));
  const { rows, skipped } = await readAll(file('forms.jsonl', Buffer.concat(parts)));
  assert.deepEqual(rows.map((r) => r.fields.t), ['ok', 'fin €']);
  assert.deepEqual(skipped.map((s) => [s.line, s.reason]), [
    [2, 'invalid UTF-8 (byte 0xc0 at column 8)'],
    [3, 'invalid UTF-8 (byte 0xed at column 8)'],
    [4, 'invalid UTF-8 (byte 0xf4 at column 8)'],
    [5, 'invalid UTF-8 (byte 0xe2 at column 8)'],
  ]);
});

test('JSON arrays: an item with invalid UTF-8 is skipped and its line reported', async () => {
  const f = file('u.json', Buffer.concat([Buffer.from('[\n{"t":"a"},\n{"t":"b'), Buffer.from([0xff]), Buffer.from('"},\n{"t":"c"}\n]\n')]));
  const { rows, skipped } = await readAll(f);
  assert.deepEqual(rows.map((r) => r.fields.t), ['a', 'c']);
  assert.deepEqual(skipped, [{ line: 3, reason: 'item 1: invalid UTF-8 (byte 0xff at column 8)' }]);
});

test('loadTexts: items of a one-line JSON array get distinct fallback ids', async () => {
  const loaded = await loadTexts(file('mini.json', '[{"t":"un"},{"t":"deux"},{"t":"trois"}]'), { template: '{t}' });
  assert.deepEqual(loaded.ids, ['mini.json:1', 'mini.json:2', 'mini.json:3']);
});
