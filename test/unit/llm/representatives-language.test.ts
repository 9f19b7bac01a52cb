import { test } from 'node:test';
import assert from 'node:assert/strict';
import { representativeMembers } from '../../../src/engine/cluster/representatives';
import { detectLanguage, wrongLanguage } from '../../../src/engine/llm/language';
import { truncateText, topicNamePrompt } from '../../../src/engine/llm/topic-prompts';
import { estimateBatch } from '../../../src/engine/llm/estimate';
import { createMatrix } from '../../../src/engine/util/matrix';

test('representatives: the nearest to the centroid first, then MMR skips near-copies of it', () => {
  // 2-d unit vectors: three near-copies of the central direction, one off to each side.
  const angle = [0, 0.001, 0.002, 0.6, -0.6];
  const m = createMatrix(angle.length, 2, Float32Array.from(angle.flatMap((a) => [Math.cos(a), Math.sin(a)])));
  const members = [0, 1, 2, 3, 4];
  const nearest = representativeMembers(m, members, { count: 3, lambda: 1 });
  assert.deepEqual(nearest.slice(0, 3).sort(), [0, 1, 2], 'lambda 1: plain nearest to the centroid');
  const mmr = representativeMembers(m, members, { count: 3, lambda: 0.3 });
  assert.equal(mmr.filter((i) => i <= 2).length, 1, `one of the three copies only: ${mmr}`);
  assert.ok(mmr.includes(3) && mmr.includes(4));
  assert.deepEqual(representativeMembers(m, [4], { count: 3 }), [4]);
  assert.deepEqual(representativeMembers(m, [], { count: 3 }), []);
});

test('language: French and English told apart by their own function words; unclear is undefined', () => {
  assert.equal(detectLanguage(['Les prix du pétrole ont encore augmenté cette semaine dans les marchés.'])?.code, 'fr');
  assert.equal(detectLanguage(['Oil prices rose again this week, and the markets were worried about it.'])?.code, 'en');
  assert.equal(detectLanguage(['OPEC 2024']), undefined);
  const fr = detectLanguage(['Les élections ont eu lieu dans la région.']);
  assert.match(wrongLanguage(fr, 'The elections in the region were held with the usual turnout.') ?? '', /in English; write it in French/);
  assert.equal(wrongLanguage(fr, 'Élections régionales: les résultats sont tombés.'), undefined);
  assert.equal(wrongLanguage(fr, 'OPEC Summit'), undefined, 'too few words to tell');
});

test('prompt pieces: truncation at a word, with an ellipsis; the estimate counts every prompt', () => {
  assert.equal(truncateText('short  text\n', 50), 'short text');
  const t = truncateText('word '.repeat(40), 30);
  assert.ok(t.length <= 30 && t.endsWith('…') && !t.includes('wor…'), t);
  const p = topicNamePrompt({ keywords: ['a', 'b'], texts: ['x', 'y'] });
  assert.match(p[0].content, /Write in the language of the texts/);
  const e = estimateBatch([p, p], 100);
  assert.equal(e.requests, 2);
  assert.equal(e.maxAnswerTokens, 200);
  assert.ok(e.promptTokens > 2 * Math.ceil(p[0].content.length / 4));
});
