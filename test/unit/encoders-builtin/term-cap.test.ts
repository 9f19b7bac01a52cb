/**
 * A huge text costs no more than its first MAX_TERM_TEXT_CHARS characters: the n-grams the
 * built-in encoder counts and the keyword terms are capped per text (a 10 MB text made
 * `embedlab cluster` reach 1.16 GB RSS on 31 rows).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachTerm } from '../../../src/engine/encoders/builtin/tokenize';
import { hashRange } from '../../../src/engine/encoders/builtin/term-table';
import { fitTfidf, transformTfidf } from '../../../src/engine/encoders/builtin/tfidf';
import { defaultBuiltinOptions } from '../../../src/engine/encoders/builtin/options';
import { corpusTerms } from '../../../src/engine/cluster/topic-terms';
import { STOP_WORDS } from '../../../src/engine/cluster/stopwords';
import { MAX_TERM_TEXT_CHARS } from '../../../src/engine/util/term-text';

const words = ['market', 'shares', 'profit', 'league', 'goal', 'chip', 'software', 'élan', 'naïve', 'x'];
function bigText(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const w = `${words[i % words.length]}${i % 997}`;
    parts.push(w);
    length += w.length + 1;
  }
  return parts.join(' ');
}

function countTerms(text: string): number {
  let n = 0;
  forEachTerm(text, defaultBuiltinOptions, () => n++, () => n++);
  return n;
}

test('the n-grams of a 10 MB text are those of its first MAX_TERM_TEXT_CHARS characters', () => {
  const huge = bigText(10_000_000);
  const head = huge.slice(0, MAX_TERM_TEXT_CHARS);
  const n = countTerms(huge);
  assert.equal(n, countTerms(head));
  // About what a hundred 200-character texts give, not 500× that.
  assert.ok(n < 100 * countTerms(bigText(200)) * 2, `${n} n-grams`);
});

test('the TF-IDF rows and keyword terms of a huge text are those of its head', async () => {
  const huge = bigText(10_000_000);
  const head = huge.slice(0, MAX_TERM_TEXT_CHARS);
  const others = ['market shares fell', 'the league goal', 'chip software maker', 'profit of the market'];
  const fitted = await fitTfidf([...others, huge], defaultBuiltinOptions);
  const again = await transformTfidf([huge, head], fitted.model);
  const row = (i: number) => Array.from(again.topic.indices.subarray(again.topic.indptr[i], again.topic.indptr[i + 1]));
  assert.deepEqual(row(0), row(1));
  assert.equal(fitted.views.topic.indptr[5] - fitted.views.topic.indptr[4], row(0).length);
  const terms = corpusTerms([huge, head], { stopWords: STOP_WORDS, bigrams: true });
  assert.deepEqual(terms[0], terms[1]);
});

test('the character n-grams come with their hashRange (hashed in one pass per start)', () => {
  const seen: string[] = [];
  forEachTerm(
    'Le marché a chuté, ab',
    { wordNgrams: null, charNgrams: [2, 5] },
    () => {},
    (padded, start, end, hash) => {
      assert.equal(hash, hashRange(padded, start, end));
      seen.push(padded.slice(start, end));
    },
  );
  // Every n-gram of 2–5 characters of " le ", " marche ", " chute ", " ab ", each once.
  const expected: string[] = [];
  for (const w of [' le ', ' marche ', ' chute ', ' ab '])
    for (let n = 2; n <= 5; n++) for (let i = 0; i + n <= w.length; i++) expected.push(w.slice(i, i + n));
  assert.deepEqual([...seen].sort(), expected.sort());
});
