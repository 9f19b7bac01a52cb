import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordMarkdown, recordTitle } from '../../../src/host/views/record-document';

test('a record document shows the text, label, similarity and fields, escaped for Markdown tables', () => {
  const md = recordMarkdown(
    { id: 'fr-0042', text: '# Pas un titre\nLe budget | voté.', label: 'Économie', fields: { source: 'Le Monde', note: 'a|b\nc', year: 2024 } },
    { dataset: 'actu', score: 0.91234, encoderName: 'CoSENT · head (fine-tuned run)' },
  );
  assert.match(md, /^# Record fr-0042 · actu\n/);
  assert.ok(md.includes('Dataset **actu** · id `fr-0042` · label **Économie** · similarity 0.912 (CoSENT · head (fine-tuned run))'));
  assert.ok(md.includes('\\# Pas un titre  \nLe budget | voté.'), 'a leading # in the text is not a heading');
  assert.ok(md.includes('| note | a\\|b c |'));
  assert.ok(md.includes('| year | 2024 |'));
});

test('without fields or label there is no table; long ids are cut in the title', () => {
  const md = recordMarkdown({ id: 'x', text: 'bonjour', fields: {} }, { dataset: 'd' });
  assert.ok(!md.includes('## Fields'));
  assert.ok(!md.includes('label'));
  assert.equal(recordTitle({ id: 'a'.repeat(60) }, 'd'), `Record ${'a'.repeat(39)}… · d`);
});
