import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusteringChoices, describeSimilarEmbeddings, encoderChoices, encoderDisplayName } from '../../../src/host/commands/encoder-choices';
import type { RunSummary } from '../../../src/host/project/summary';

const runs: RunSummary[] = [
  { id: 'cosent-head-20260101', status: 'completed', name: 'CoSENT · head · 4 ep', metric: 'Spearman 0.81', createdAt: '2026-01-01T10:00:00Z' },
  { id: 'mnr-20260102', status: 'completed', createdAt: '2026-01-02T10:00:00Z' },
  { id: 'broken', status: 'failed', createdAt: '2026-01-03T10:00:00Z' },
];

test('encoderDisplayName: readable names, no paths or hashes', () => {
  assert.equal(encoderDisplayName('builtin'), 'Built-in (TF-IDF/LSA)');
  assert.equal(encoderDisplayName('run:cosent-head-20260101', runs), 'CoSENT · head · 4 ep (fine-tuned run)');
  assert.equal(encoderDisplayName('run:mnr-20260102', runs), 'run mnr-20260102 (fine-tuned)');
  assert.equal(encoderDisplayName('/home/me/models/minilm-onnx'), 'minilm-onnx');
  assert.equal(encoderDisplayName('C:\\models\\e5-small\\'), 'e5-small');
  assert.equal(encoderDisplayName('sentence-transformers/all-MiniLM-L6-v2'), 'sentence-transformers/all-MiniLM-L6-v2');
  assert.equal(encoderDisplayName('http://127.0.0.1:8080/v1/embeddings'), 'endpoint 127.0.0.1:8080');
});

test('encoderChoices: the project encoder first, then other encoders, then completed runs newest first', () => {
  const choices = encoderChoices({ encoders: ['builtin', '/m/minilm', 'run:cosent-head-20260101', 'run:mnr-20260102'], runs }, '/m/minilm');
  assert.deepEqual(choices.map((c) => c.spec), ['/m/minilm', 'builtin', 'run:mnr-20260102', 'run:cosent-head-20260101']);
  assert.equal(choices[0].description, 'project encoder');
  assert.equal(choices[3].description, 'Spearman 0.81');
  assert.ok(!choices.some((c) => c.spec === 'run:broken'), 'a failed run has no model to search with');
});

const header = (encoderSpec: string, createdAt: string, n = 3) => ({
  encoderSpec,
  createdAt,
  settings: { algo: 'hdbscan' as const, minClusterSize: 10, seed: 1 },
  clusters: Array.from({ length: n }, (_, id) => ({ id, size: 1, keywords: [] })),
});

test('clusteringChoices: one per saved clustering, the project encoder first, an unclustered project encoder offered', () => {
  const saved = [header('run:mnr-20260102', '2026-01-02T11:00:00Z', 5), header('builtin', '2026-01-01T09:00:00Z')];
  const both = clusteringChoices(saved, 'builtin', runs);
  assert.deepEqual(both.map((c) => [c.spec, c.unsaved]), [['builtin', false], ['run:mnr-20260102', false], ['run:cosent-head-20260101', true]], 'a completed run not clustered yet is offered too (not the failed one)');
  assert.equal(both[2].label, 'CoSENT · head · 4 ep (fine-tuned run)');
  assert.equal(both[2].description, 'fine-tuned run · not clustered yet (clusters first)');
  assert.match(both[1].description ?? '', /^5 clusters \(HDBSCAN\)/);
  const fresh = clusteringChoices(saved.slice(0, 1), '/m/minilm', runs);
  assert.deepEqual(fresh.map((c) => [c.label, c.unsaved]), [['minilm', true], ['run mnr-20260102 (fine-tuned)', false], ['CoSENT · head · 4 ep (fine-tuned run)', true]]);
  assert.equal(clusteringChoices([], 'builtin').length, 1, 'nothing saved: only the project encoder, no question asked');
});

test('Find Similar says where its embeddings came from: a reused search index, or the cache', () => {
  assert.equal(describeSimilarEmbeddings({ reused: true, hits: 300, embedded: 0 }), 'reused the search index of an earlier search (no text embedded)');
  assert.equal(describeSimilarEmbeddings({ reused: false, hits: 298, embedded: 2 }), "298 texts from the project's embedding cache, 2 embedded now");
  assert.equal(describeSimilarEmbeddings(undefined), undefined);
});
