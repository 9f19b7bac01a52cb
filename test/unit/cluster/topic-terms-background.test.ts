import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BACKGROUND_TERMS_FROM_CHARS, topicTermsInBackground } from '../../../src/engine/cluster/topic-terms-background';
import { clusterEmbeddings } from '../../../src/engine/cluster/pipeline';
import { topicTermIds, type NumberedTerms } from '../../../src/engine/cluster/topics';
import { createRng } from '../../../src/engine/util/random';

const texts = readFileSync(path.join(__dirname, '../../fixtures/cluster/ag-news-topics-2000.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { title: string; description: string })
  .map((r) => `${r.title}. ${r.description}`);

const plain = (t: NumberedTerms) => ({ terms: t.terms, df: [...t.df], docs: t.docs.map((d) => [...d]) });

test('the keywords\' terms found on a worker thread are the in-thread ones; a small corpus or threads: 1 stays in-thread', async () => {
  const chars = texts.reduce((s, t) => s + t.length, 0);
  assert.ok(chars >= BACKGROUND_TERMS_FROM_CHARS, `the fixture is large enough for a worker (${chars} characters)`);
  const expected = plain(topicTermIds(texts));
  const background = topicTermsInBackground(texts);
  assert.equal(background.where, 'worker');
  const found = await background.get();
  assert.deepEqual(plain(found), expected);
  assert.equal(await background.get(), found, 'asked twice: the same result');
  const inThread = topicTermsInBackground(texts, { threads: 1 });
  assert.equal(inThread.where, 'caller');
  assert.deepEqual(plain(await inThread.get()), expected);
  const small = texts.slice(0, 50);
  assert.equal(topicTermsInBackground(small).where, 'caller');
  assert.deepEqual(plain(await topicTermsInBackground(small).get()), plain(topicTermIds(small)));
});

test('startAfter: the worker starts only when the promise settles, and a rejected one still gives the terms', async () => {
  const subset = texts.slice(0, 1200);
  const expected = plain(topicTermIds(subset));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const background = topicTermsInBackground(subset, { startAfter: gate });
  assert.equal(background.where, 'worker');
  const pending = Symbol('pending');
  const early = await Promise.race([background.get(), new Promise((resolve) => setTimeout(() => resolve(pending), 300))]);
  assert.equal(early, pending, 'no terms before the gate opens');
  release();
  assert.deepEqual(plain(await background.get()), expected);
  const rejected = topicTermsInBackground(subset, { startAfter: Promise.reject(new Error('the encoder failed')) });
  assert.deepEqual(plain(await rejected.get()), expected);
});

test('the pipeline gives the same keywords with terms from the background as without', async () => {
  const n = 600;
  const subset = texts.slice(0, n);
  const rng = createRng(3);
  const d = 8;
  const data = new Float32Array(n * d);
  subset.forEach((t, i) => {
    // Four loose groups by a word of the text, plus noise: enough for k-means to find clusters.
    const g = /oil|price|stock|profit/i.test(t) ? 0 : /game|win|team|season/i.test(t) ? 1 : /iraq|president|police|killed/i.test(t) ? 2 : 3;
    for (let j = 0; j < d; j++) data[i * d + j] = (j === g ? 3 : 0) + rng();
  });
  const x = { rows: n, cols: d, data };
  const base = { algo: 'kmeans' as const, k: 4, seed: 1, layout2d: false };
  const without = await clusterEmbeddings(x, subset, base);
  const withTerms = await clusterEmbeddings(x, subset, { ...base, keywordTerms: topicTermsInBackground(subset) });
  assert.deepEqual(withTerms.clusters, without.clusters);
});
