import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate } from '../../../src/engine/data/template';

const RAW = ['  two leading', 'no\u00a0break\u202fnarrow', 'tab\there', 'line\nbreak\r\nand\n\nparagraph', 'doubled  spaces', 'trailing\t \n', ' '];

test('a single-field template returns the value byte for byte (no-break spaces, tabs, newlines, runs and ends of spaces)', () => {
  for (const source of ['{text}', 'text', '{ text }']) {
    const t = compileTemplate(source);
    for (const v of RAW) assert.equal(t.render({ text: v }), v, `${source}: ${JSON.stringify(v)}`);
  }
  assert.equal(compileTemplate('{n}').render({ n: 12 }), '12');
});

test('several fields: values verbatim, joined by the literal parts as written', () => {
  const t = compileTemplate('{title}. {body}');
  assert.equal(t.render({ title: ' A\u00a0title ', body: 'tab\tand\nnewline  ' }), ' A\u00a0title . tab\tand\nnewline  ');
  assert.equal(compileTemplate('{a}\n\n{b}').render({ a: 'x', b: 'y' }), 'x\n\ny');
  assert.equal(compileTemplate('query:  {q}').render({ q: 'q  ' }), 'query:  q  ');
  assert.equal(compileTemplate('{{{a}}}').render({ a: ' v ' }), '{ v }');
});

test('empty fields take their literal separators with them; the values are still verbatim', () => {
  const t = compileTemplate('{title}. {body}');
  assert.equal(t.render({ title: 'Title', body: '' }), 'Title');
  assert.equal(t.render({ title: 'Title' }), 'Title');
  assert.equal(t.render({ title: '', body: '\tBody ' }), '\tBody ');
  assert.equal(t.render({ title: null, body: 'Body' }), 'Body');
  assert.equal(t.render({ title: '', body: '' }), '');
  assert.equal(compileTemplate('{a} - {b} - {c}').render({ a: 'A', b: '', c: 'C' }), 'A - C');
  assert.equal(compileTemplate('{title}. {summary} ({year})').render({ title: 'T', summary: '', year: 2020 }), 'T (2020)');
  assert.equal(compileTemplate('{title}. {summary} ({year})').render({ title: 'T', summary: 'S', year: '' }), 'T. S');
  assert.equal(compileTemplate('Title: {title}\nBody: {body}').render({ title: '', body: 'B' }), 'Body: B');
  assert.equal(compileTemplate('Title: {title}\nBody: {body}').render({ title: 'T', body: '' }), 'Title: T');
});
