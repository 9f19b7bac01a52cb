import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STREAM_LINES_OVER_BYTES } from '../../../src/engine/data/read-records';
import { readAllWithCuts, tempFileWriter } from './read-helpers';

const file = tempFileWriter('embedlab-field-cap-');

/** A text of about `bytes` bytes with escapes, accents, CJK and emoji all the way through. */
function longText(bytes: number): string {
  const piece = 'Le "café" coûte 3 € — 東京 😀 \\ tab\there, line\nbreak. ';
  return piece.repeat(Math.ceil(bytes / Buffer.byteLength(piece)));
}

const LONG = DEFAULT_STREAM_LINES_OVER_BYTES + 1024 * 1024; // streamed: over the threshold by a whole read

test('JSONL with a field cap: a long line is streamed, its text cut to a prefix; a malformed or non-UTF-8 long line is skipped with its line and the rest is read', async () => {
  const text = longText(LONG);
  const good = JSON.stringify({ id: 'long', title: 'A long one', description: text, label: 'x' });
  const malformed = JSON.stringify({ id: 'bad', description: text }).slice(0, -2) + '\\q"}'; // a bad escape at the very end
  const notUtf8 = Buffer.concat([Buffer.from(JSON.stringify({ id: 'latin1', description: text }).slice(0, -2)), Buffer.from([0xe9, 0x22, 0x7d])]);
  const f = file(
    'long.jsonl',
    Buffer.concat([
      Buffer.from(`{"id":"a","description":"first"}\n${good}\n${malformed}\n`),
      notUtf8,
      Buffer.from(`\n${' '.repeat(LONG)}\n{"id":"b","description":"last"}\n`),
    ]),
  );
  const { rows, skipped, cuts } = await readAllWithCuts(f, { maxFieldChars: 1000 });
  assert.deepEqual(
    rows.map((r) => [r.line, r.fields.id]),
    [
      [1, 'a'],
      [2, 'long'],
      [6, 'b'],
    ],
  );
  const description = rows[1].fields.description as string;
  assert.equal(description.length, 1000);
  assert.equal(description, text.slice(0, 1000));
  assert.deepEqual(rows[1].fields, { id: 'long', title: 'A long one', description: text.slice(0, 1000), label: 'x' });
  assert.deepEqual(cuts, [{ line: 2, field: 'description', chars: text.length }]);
  assert.deepEqual(
    skipped.map((s) => s.line),
    [3, 4],
  );
  assert.match(skipped[0].reason, /^invalid JSON \(bad escape "\\q" at column \d+\)$/);
  assert.match(skipped[1].reason, /^invalid UTF-8/);
});

test('the cap holds for short lines, CSV cells and JSON array items too (not only for streamed lines), and only with the option', async () => {
  const text = longText(5000);
  const jsonl = file('short.jsonl', JSON.stringify({ t: text, nested: { list: [text] }, n: 1 }) + '\n');
  const capped = await readAllWithCuts(jsonl, { maxFieldChars: 100 });
  assert.deepEqual(capped.rows[0].fields, { t: text.slice(0, 100), nested: { list: [text.slice(0, 100)] }, n: 1 });
  assert.deepEqual(capped.cuts, [
    { line: 1, field: 't', chars: text.length },
    { line: 1, field: 'nested', chars: text.length },
  ]);
  const whole = await readAllWithCuts(jsonl);
  assert.equal(whole.rows[0].fields.t, text, 'without maxFieldChars (import) the text is kept whole');
  assert.deepEqual(whole.cuts, []);

  const csv = await readAllWithCuts(file('short.csv', `id,text\n1,"${text.replace(/"/g, '""')}"\n`), { maxFieldChars: 100 });
  assert.equal(csv.rows[0].fields.text, text.slice(0, 100));
  assert.deepEqual(csv.cuts, [{ line: 2, field: 'text', chars: text.length }]);

  const json = await readAllWithCuts(file('short.json', JSON.stringify([{ t: 'short' }, { t: text }])), { maxFieldChars: 100 });
  assert.deepEqual(
    json.rows.map((r) => r.fields.t),
    ['short', text.slice(0, 100)],
  );
});

test('without the cap (as import reads) a long line is read whole, as before', async () => {
  const text = longText(LONG);
  const f = file('whole.jsonl', JSON.stringify({ description: text }) + '\n');
  const { rows, cuts } = await readAllWithCuts(f);
  assert.equal(rows[0].fields.description, text);
  assert.deepEqual(cuts, []);
});
