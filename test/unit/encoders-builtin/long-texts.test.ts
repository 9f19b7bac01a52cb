/**
 * Issue 14, goal 3, long texts: the held-out English news set has articles of ~380 words. The
 * built-in encoder's log-entropy topic weighting nearly zeroes a topic word that occurs in a large
 * share of long documents, so on long texts 'auto' weighs the topic view by IDF alone
 * (tfidf.ts chooseTopicWeighting). The check: documents of 8 News Category items (5 on topic, 3
 * off), built here by the rule of make-long-documents-reference.py, which stored scikit-learn's
 * TF-IDF → LSA(256) → k-means NMI on them (seeds 1, 2, 3, 7, 42). The default must not fall below
 * that figure, and must stay well above the previous default ('idf-entropy', 0.195 vs 0.372).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fitBuiltinEncoder } from '../../../src/engine/encoders/builtin/encoder';
import { chooseTopicWeighting, LONG_TEXT_MEDIAN_WORDS, type TopicWeighting } from '../../../src/engine/encoders/builtin/tfidf';
import { clusterEmbeddings } from '../../../src/engine/cluster/pipeline';
import { nmi } from '../../../src/engine/metrics/index';

const dir = path.join(__dirname, '../../fixtures/news-category');

interface LongReference {
  items: number;
  onTopic: number;
  documents: number;
  sha256: string;
  k: number;
  nmi: Record<string, number>;
  mean: number;
}

/** The long documents of make-long-documents-reference.py (same rule, same order). */
function longDocuments(items: number, onTopic: number): { texts: string[]; labels: string[] } {
  const rows = readFileSync(path.join(dir, 'huffpost-5-topics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { title: string; description: string; label: string });
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const pool = new Map(labels.map((l) => [l, rows.filter((r) => r.label === l).map((r) => `${r.title}. ${r.description}`)]));
  const used = new Map(labels.map((l) => [l, 0]));
  const take = (label: string): string => {
    const i = used.get(label)!;
    used.set(label, i + 1);
    return pool.get(label)![i];
  };
  const perLabel = Math.floor(Math.min(...labels.map((l) => pool.get(l)!.length)) / items);
  const texts: string[] = [];
  const truth: string[] = [];
  for (const label of labels) {
    const others = labels.filter((l) => l !== label);
    let turn = 0;
    for (let d = 0; d < perLabel; d++) {
      const parts = Array.from({ length: onTopic }, () => take(label));
      for (let j = onTopic; j < items; j++) parts.push(take(others[turn++ % others.length]));
      texts.push(parts.join(' '));
      truth.push(label);
    }
  }
  return { texts, labels: truth };
}

/** Mean k-means NMI of the cluster pipeline (k-means on the topic part) over the seeds. */
async function meanNmi(texts: string[], truth: string[], k: number, seeds: number[], topicWeighting?: TopicWeighting): Promise<{ mean: number; chosen: string[] }> {
  const scores: number[] = [];
  const chosen: string[] = [];
  for (const seed of seeds) {
    const encoder = await fitBuiltinEncoder(texts, { seed, ...(topicWeighting ? { topicWeighting } : {}) });
    chosen.push(encoder.state.options.topicWeighting);
    const x = await encoder.encode(texts);
    const r = await clusterEmbeddings(x, texts, { algo: 'kmeans', k, seed, layout2d: false, kmeansColumns: encoder.topicColumns, topN: 3 });
    scores.push(nmi(truth, r.labels));
  }
  return { mean: scores.reduce((s, v) => s + v, 0) / scores.length, chosen };
}

test('on long documents the default topic weighting is not below scikit-learn LSA(256) + k-means and well above the log-entropy one', async (t) => {
  const ref = JSON.parse(readFileSync(path.join(dir, 'long-documents-reference.json'), 'utf8')) as LongReference;
  const { texts, labels } = longDocuments(ref.items, ref.onTopic);
  assert.equal(texts.length, ref.documents);
  assert.equal(createHash('sha256').update(texts.join('\n')).digest('hex'), ref.sha256, 'the documents the reference was computed on');
  const seeds = Object.keys(ref.nmi).map(Number);
  const auto = await meanNmi(texts, labels, ref.k, seeds);
  const entropy = await meanNmi(texts, labels, ref.k, seeds, 'idf-entropy');
  assert.deepEqual(new Set(auto.chosen), new Set(['idf']), 'auto chose IDF on long texts (and the model records it)');
  const detail = `auto ${auto.mean.toFixed(3)}, idf-entropy ${entropy.mean.toFixed(3)}, scikit-learn mean ${ref.mean.toFixed(3)}`;
  t.diagnostic(detail);
  assert.ok(auto.mean >= ref.mean, `the default is below scikit-learn's LSA(256) + k-means on long documents (${detail})`);
  // With topicMinDf 2 the log-entropy weighting fell below scikit-learn here (0.118); with 3 it is
  // above it (0.195) but still far below IDF, the weighting auto chooses for long texts.
  assert.ok(entropy.mean < auto.mean - 0.1, `the check no longer shows the log-entropy shortfall it guards against (${detail})`);
});

test('topic weighting auto: log-entropy on short texts, IDF from the long-text threshold on', async () => {
  assert.equal(chooseTopicWeighting(27), 'idf-entropy');
  assert.equal(chooseTopicWeighting(LONG_TEXT_MEDIAN_WORDS - 1), 'idf-entropy');
  assert.equal(chooseTopicWeighting(LONG_TEXT_MEDIAN_WORDS), 'idf');
  const short = ['the cat sat on the mat', 'dogs chase cats in the park', 'stocks fell on monday', 'markets rallied after the report'];
  const encoder = await fitBuiltinEncoder(short, { seed: 1 });
  assert.equal(encoder.state.options.topicWeighting, 'idf-entropy');
  assert.match(encoder.notes.join('\n'), /weighted by idf-entropy \(auto: the median text has 5.5 word tokens/);
  const forced = await fitBuiltinEncoder(short, { seed: 1, topicWeighting: 'idf' });
  assert.equal(forced.state.options.topicWeighting, 'idf', 'an explicit weighting is kept');
  assert.deepEqual(forced.notes, ['built-in encoder: topic view weighted by idf']);
});
