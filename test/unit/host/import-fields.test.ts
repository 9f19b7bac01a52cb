import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guessLabelField, isTextLikeField, labelFieldChoices } from '../../../src/host/commands/import-fields';

test('guessLabelField finds label-like columns in English and French, any case or accent', () => {
  assert.equal(guessLabelField(['id', 'text', 'label']), 'label');
  assert.equal(guessLabelField(['id', 'Titre', 'Catégorie']), 'Catégorie');
  assert.equal(guessLabelField(['texte', 'ÉTIQUETTE']), 'ÉTIQUETTE');
  assert.equal(guessLabelField(['sentence', 'Y']), 'Y');
  assert.equal(guessLabelField(['body', 'thème']), 'thème');
  assert.equal(guessLabelField(['text', 'Topic']), 'Topic');
});

test('guessLabelField prefers an exact name over a suffix, and returns undefined when nothing fits', () => {
  assert.equal(guessLabelField(['news_category', 'text', 'class']), 'class');
  assert.equal(guessLabelField(['news_category', 'text']), 'news_category');
  assert.equal(guessLabelField(['id', 'text', 'date']), undefined);
  assert.equal(guessLabelField(['toy', 'labelled_at']), undefined);
  assert.equal(guessLabelField(['axis_y']), undefined);
  assert.equal(guessLabelField([]), undefined);
});

test('labelFieldChoices puts the guessed column first, else "(no label)"', () => {
  const withLabel = labelFieldChoices(['id', 'text', 'label']);
  assert.deepEqual(withLabel.map((c) => c.field), ['label', undefined, 'id', 'text']);
  const without = labelFieldChoices(['id', 'text']);
  assert.deepEqual(without.map((c) => c.field), [undefined, 'id', 'text']);
  assert.equal(without[0]?.label, '(no label)');
});

test('isTextLikeField preselects text columns in English and French', () => {
  assert.deepEqual(['id', 'Titre', 'Résumé', 'texte_complet', 'date', 'catégorie', 'title', 'Body'].filter(isTextLikeField), ['Titre', 'Résumé', 'texte_complet', 'title', 'Body']);
});
