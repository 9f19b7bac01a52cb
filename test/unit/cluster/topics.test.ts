import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterKeywords } from '../../../src/engine/cluster/topics';

test('c-TF-IDF on a hand-checked corpus', () => {
  // Cluster 0: "cat" ×3, "dog" ×1 (4 terms); cluster 1: "dog" ×1, "fish" ×3 (4 terms).
  // A = trunc(8 / 2) = 4; f(cat) = 3, f(dog) = 2, f(fish) = 3.
  // W(cat, 0) = 3/4 · ln(1 + 4/3) ≈ 0.6355; W(dog, 0) = 1/4 · ln(1 + 4/2) ≈ 0.2747.
  const texts = ['the cat', 'a cat and a dog', 'cat', 'fish', 'the fish and the dog', 'fish', 'noise words here'];
  const labels = [0, 0, 0, 1, 1, 1, -1];
  const topics = clusterKeywords(texts, labels, { bigrams: false, minDf: 1 });
  assert.equal(topics.length, 2);
  assert.deepEqual(topics[0].keywords, ['cat', 'dog']);
  assert.deepEqual(topics[1].keywords, ['fish', 'dog']);
  assert.equal(topics[0].size, 3);
  assert.ok(Math.abs(topics[0].weights[0] - 0.75 * Math.log(1 + 4 / 3)) < 1e-12);
  assert.ok(Math.abs(topics[0].weights[1] - 0.25 * Math.log(3)) < 1e-12);
});

test('c-TF-IDF drops English and French stop words and builds bigrams', () => {
  const texts = [
    'La banque centrale relève les taux',
    'La banque centrale et les taux',
    'The football match ended in a draw',
    'The football match was great',
  ];
  const topics = clusterKeywords(texts, [0, 0, 1, 1], { minDf: 1, topN: 3 });
  assert.deepEqual(topics[0].keywords.slice(0, 3).sort(), ['banque', 'banque centrale', 'centrale'].sort());
  assert.ok(topics[1].keywords.includes('football match'));
  for (const t of topics) for (const w of t.keywords) assert.ok(!['la', 'les', 'the', 'et', 'was'].includes(w), w);
});

test('a word repeated next to itself (bylines like "AFP - AFP") makes no bigram', () => {
  const texts = ['AFP - AFP oil prices rose', 'AFP AFP oil prices fell', 'The football match', 'The football final'];
  const topics = clusterKeywords(texts, [0, 0, 1, 1], { minDf: 1 });
  assert.ok(topics[0].keywords.includes('afp'));
  assert.ok(topics[0].keywords.includes('oil prices'));
  assert.ok(!topics[0].keywords.includes('afp afp'));
});
