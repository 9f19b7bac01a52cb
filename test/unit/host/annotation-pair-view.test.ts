import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toPairView } from '../../../src/host/sources/annotation-pair-view';
import type { SuggestedRecordPair } from '../../../src/engine/jobs/suggest-job';

const details = { metadata: [] };

test('a suggested pair carries the shared words, marked in each field, and its similarity', () => {
  const p: SuggestedRecordPair = {
    id1: 'a', id2: 'b', strategy: 'nearest', similarity: 0.8,
    left: [{ name: 'titre', value: 'Inondations en Émilie-Romagne' }, { name: 'texte', value: 'Les secours évacuent Bologne.' }],
    right: [{ name: 'titre', value: 'Les secours face aux inondations' }],
    leftDetails: { label: 'Météo', metadata: [] }, rightDetails: details,
  };
  const v = toPairView(p);
  assert.deepEqual(v.sharedTerms, ['inondations', 'secours']);
  assert.deepEqual(v.left.fields[0].shared, [0, 11]);
  assert.deepEqual(v.left.fields[1].shared, [4, 11]);
  assert.deepEqual(v.right.fields[0].shared, [4, 11, 21, 32]);
  assert.equal(v.similarity, 0.8);
  assert.equal(v.left.label, 'Météo');
  assert.equal(v.agreement, undefined);
});

test('a pair of the disagreement queue carries the scores of every annotator and this annotator\u2019s own', () => {
  const v = toPairView({
    id1: 'a', id2: 'b', strategy: 'disagreement',
    agreement: { scores: [{ annotator: 'ana', score: 0 }, { annotator: 'ben', score: 1 }], mean: 0.5, spread: 1 },
    previous: 0,
    left: [{ name: 'text', value: 'football' }], right: [{ name: 'text', value: 'pétrole' }],
    leftDetails: details, rightDetails: details,
  });
  assert.deepEqual(v.agreement, { scores: [{ annotator: 'ana', score: 0 }, { annotator: 'ben', score: 1 }], mean: 0.5, spread: 1 });
  assert.deepEqual(v.previous, { score: 0 });
  assert.equal(v.similarity, undefined);
  assert.equal(v.sharedTerms, undefined);
  assert.deepEqual(v.left.fields, [{ name: 'text', value: 'football' }]);
});
