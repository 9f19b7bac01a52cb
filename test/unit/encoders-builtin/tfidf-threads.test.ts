/**
 * The TF-IDF stage counts terms on worker threads (term-count-threads.ts): the model (terms,
 * column order, weights) and both views must be those of one thread, bit for bit, for any thread
 * count; a cancel stops it; small corpora are counted on the main thread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { availableParallelism } from 'node:os';
import { defaultBuiltinOptions } from '../../../src/engine/encoders/builtin/options';
import { fitTfidf, transformTfidf, type TfidfModel, type TfidfViews } from '../../../src/engine/encoders/builtin/tfidf';
import { countTerms, defaultCountThreads, THREADS_FROM_CHARS } from '../../../src/engine/encoders/builtin/term-count-threads';
import { forEachTerm } from '../../../src/engine/encoders/builtin/tokenize';
import { hashRange } from '../../../src/engine/encoders/builtin/term-table';
import { CancelledError, type Progress } from '../../../src/engine/util/job';

function newsTexts(file: string): string[] {
  return readFileSync(path.join(__dirname, '../../fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l) as { title: string; description: string };
      return `${r.title}. ${r.description}`;
    });
}
const agNews = newsTexts('cluster/ag-news-topics-2000.jsonl');
const huffPost = newsTexts('news-category/huffpost-5-topics.jsonl').slice(0, 600);

function assertSameViews(a: TfidfViews, b: TfidfViews, what: string): void {
  for (const view of ['topic', 'lexical'] as const) {
    assert.equal(a[view].rows, b[view].rows, `${what}: ${view} rows`);
    assert.equal(a[view].cols, b[view].cols, `${what}: ${view} cols`);
    assert.deepEqual(a[view].indptr, b[view].indptr, `${what}: ${view} indptr`);
    assert.deepEqual(a[view].indices, b[view].indices, `${what}: ${view} indices`);
    assert.deepEqual(a[view].values, b[view].values, `${what}: ${view} values`);
  }
}

function assertSameModel(a: TfidfModel, b: TfidfModel, what: string): void {
  assert.deepEqual(a.terms, b.terms, `${what}: terms and column order`);
  assert.equal(a.wordCount, b.wordCount, `${what}: word columns`);
  assert.deepEqual(a.lexicalWeight, b.lexicalWeight, `${what}: lexical weights`);
  assert.deepEqual(a.topicWeight, b.topicWeight, `${what}: topic weights`);
  assert.equal(a.medianWords, b.medianWords, `${what}: median words`);
  assert.deepEqual(a.options, b.options, `${what}: options`);
}

test('fitTfidf and transformTfidf give the same model and views on 1, 2 and 3 threads', async () => {
  const one = await fitTfidf(agNews, defaultBuiltinOptions, { threads: 1 });
  assert.ok(one.model.terms.length > 10_000, `${one.model.terms.length} terms`);
  const newOne = await transformTfidf(huffPost, one.model, { threads: 1 });
  for (const threads of [2, 3]) {
    const many = await fitTfidf(agNews, defaultBuiltinOptions, { threads });
    assertSameModel(many.model, one.model, `${threads} threads`);
    assertSameViews(many.views, one.views, `fit on ${threads} threads`);
    assertSameViews(await transformTfidf(huffPost, one.model, { threads }), newOne, `transform on ${threads} threads`);
  }
  // The fitted corpus' rows under transform are its fitted rows.
  assertSameViews(await transformTfidf(agNews.slice(0, 300), one.model, { threads: 2 }), await transformTfidf(agNews.slice(0, 300), one.model, { threads: 1 }), 'transform');
});

test('countTerms splits the texts into one share per thread, counted by worker threads past the first', async () => {
  const session = await countTerms(agNews, defaultBuiltinOptions, { threads: 3 });
  await session.close();
  const { shares } = session;
  assert.equal(shares.length, 3);
  assert.deepEqual(
    shares.map((s) => [s.from, s.to]),
    [
      [0, shares[0].to],
      [shares[0].to, shares[1].to],
      [shares[1].to, agNews.length],
    ],
  );
  for (const s of shares) {
    assert.ok(s.to - s.from > 400, `a share of ${s.to - s.from} texts`);
    assert.equal(s.vocabulary.wordTokens.length, s.to - s.from);
  }
  // Only the main thread's share has its counter; the others came back from workers.
  assert.ok(shares[0].counter);
  assert.equal(shares[1].counter, undefined);
  assert.equal(shares[2].counter, undefined);
});

test('a cancel during the counting stops fitTfidf on several threads', async () => {
  const controller = new AbortController();
  const seen: Progress[] = [];
  const texts = [...agNews, ...agNews];
  await assert.rejects(
    fitTfidf(texts, defaultBuiltinOptions, {
      threads: 2,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        controller.abort();
      },
    }),
    CancelledError,
  );
  assert.equal(seen.length, 1, 'stopped at the first chunk');
  assert.ok(seen[0].stage === 'tfidf' && seen[0].done > 0 && seen[0].done < texts.length, JSON.stringify(seen[0]));
});

test('small corpora are counted on the main thread; large ones on the machine\'s cores (up to 4)', async () => {
  assert.equal(defaultCountThreads(['a few words', 'and a few more']), 1);
  assert.equal(defaultCountThreads(agNews.slice(0, 50)), 1);
  const large = agNews.join(' ').length > THREADS_FROM_CHARS;
  assert.ok(large);
  assert.equal(defaultCountThreads(agNews), Math.max(1, Math.min(4, availableParallelism())));
  const small = await countTerms(agNews.slice(0, 50), defaultBuiltinOptions);
  await small.close();
  assert.equal(small.shares.length, 1);
  assert.ok(small.shares[0].counter);
  // More threads than texts: one share per text at most.
  const two = await countTerms(agNews.slice(0, 2), defaultBuiltinOptions, { threads: 3 });
  await two.close();
  assert.equal(two.shares.length, 2);
});

test('the word n-grams come as ranges of the joined tokens with their hashRange', () => {
  const seen: string[] = [];
  forEachTerm(
    "L'équipe a gagné hier soir, 3 à 1",
    { wordNgrams: [1, 3], charNgrams: null },
    (text, start, end, hash) => {
      assert.equal(hash, hashRange(text, start, end));
      seen.push(text.slice(start, end));
    },
    () => assert.fail('no character n-grams asked for'),
  );
  const tokens = ['equipe', 'gagne', 'hier', 'soir'];
  const expected: string[] = [];
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= tokens.length; i++) expected.push(tokens.slice(i, i + n).join(' '));
  assert.deepEqual([...seen].sort(), expected.sort());
});
