// Issue 9 item 10: numbers read from data are JSON numbers or plain decimals ("0x1" is not a
// score), a field holding an object or array is an error naming file, line and field (never
// "[object Object]"), and a text is empty only when every template field is empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fieldNumber, fieldText } from '../../../src/engine/data/field-values';
import { compileTemplate } from '../../../src/engine/data/template';
import { loadTexts } from '../../../src/engine/data/load-texts';
import { importDataset } from '../../../src/engine/project/import-dataset';
import { createProject } from '../../../src/engine/project/store';
import { loadTrainingSet } from '../../../src/engine/train/training-data';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-fields-'));
const where = { file: 'f.csv', line: 3, field: 'score' };

test('fieldNumber: JSON numbers and plain decimals only', () => {
  for (const [raw, n] of [[0.5, 0.5], ['0.5', 0.5], [' 1 ', 1], ['-2.5e-1', -0.25], ['.5', 0.5], ['3.', 3], ['+1E2', 100]] as const)
    assert.equal(fieldNumber(raw, where), n, String(raw));
  for (const raw of ['0x1', '0b1', '0o7', 'Infinity', '-Infinity', 'NaN', '', ' ', '1_000', '1,5', '1e', 'e5', true, null, undefined, [], {}, Infinity, Number.NaN])
    assert.throws(() => fieldNumber(raw, where), /f\.csv:3, field "score": (.*is not a number|no value: a number is needed)/, String(raw));
  assert.throws(() => fieldNumber('0x1', where), /"0x1" is not a number/);
});

test('fieldText and the template: an object or array field is an error naming the file, line and field', () => {
  assert.equal(fieldText(12, where), '12');
  assert.equal(fieldText(null, where), undefined);
  assert.throws(() => fieldText({ a: 1 }, { file: 'x.jsonl', line: 2, field: 'meta' }), /x\.jsonl:2, field "meta": the value is an object, not text/);
  const t = compileTemplate('{title}. {tags}');
  assert.equal(t.render({ title: 'A', tags: 'b' }), 'A. b');
  assert.throws(() => t.render({ title: 'A', tags: ['x', 'y'] }, { file: 'x.jsonl', line: 7 }), /x\.jsonl:7, field "tags": the value is an array, not text/);
});

test('template emptiness: empty only when every field is absent or whitespace; "." is a text', () => {
  const t = compileTemplate('{title}. {body}');
  assert.equal(t.isEmpty({ title: '', body: '  ' }), true);
  assert.equal(t.isEmpty({ title: null }), true);
  assert.equal(t.isEmpty({ title: '.', body: '' }), false);
  assert.equal(t.isEmpty({ title: '-' }), false);
  assert.equal(t.isEmpty({ title: 0 }), false);
});

test('loadTexts, import and training data reject an object field with file, line and field', async () => {
  const file = path.join(dir, 'obj.jsonl');
  fs.writeFileSync(file, '{"id":"1","title":"A"}\n{"id":"2","title":{"en":"B"}}\n');
  await assert.rejects(loadTexts(file, { template: '{title}' }), /obj\.jsonl:2, field "title": the value is an object, not text/);
  const project = path.join(dir, 'p');
  await createProject(project);
  await assert.rejects(importDataset(project, file, { template: '{title}' }), /obj\.jsonl:2, field "title": the value is an object, not text/);
  const pairs = path.join(dir, 'pairs.jsonl');
  fs.writeFileSync(pairs, '{"text1":"a","text2":"b","score":0.5}\n{"text1":"a","text2":["b"],"score":0.5}\n');
  await assert.rejects(loadTrainingSet(pairs, 'scored', {}), /pairs\.jsonl:2, field "text2": the value is an array, not text/);
  const labels = path.join(dir, 'labels.jsonl');
  fs.writeFileSync(labels, '{"text":"a","label":"x"}\n{"text":"b","label":{"k":1}}\n');
  await assert.rejects(loadTrainingSet(labels, 'labelled', { label: 'label' }), /labels\.jsonl:2, field "label": the value is an object, not text/);
});

test('a hex or quoted non-decimal score in training data is an error naming the line and field', async () => {
  const file = path.join(dir, 'hex.jsonl');
  fs.writeFileSync(file, '{"text1":"a","text2":"b","score":0.5}\n{"text1":"c","text2":"d","score":"0x1"}\n');
  await assert.rejects(loadTrainingSet(file, 'scored', {}), /hex\.jsonl:2, field "score": "0x1" is not a number/);
});
