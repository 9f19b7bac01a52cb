import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobProgress, progressLine, stageName } from '../../../src/host/job-progress';

test('stage ids get plain names; unknown ones are still shown', () => {
  assert.equal(stageName('svd'), 'Fitting the built-in encoder');
  assert.equal(stageName('tfidf'), 'Fitting the built-in encoder');
  assert.equal(stageName('encode'), 'Embedding texts');
  assert.equal(stageName('knn'), 'Finding neighbours');
  assert.equal(stageName('umap-2d'), 'Laying out the map');
  assert.equal(stageName('umap-5d'), 'Clustering');
  assert.equal(stageName('hdbscan'), 'Clustering');
  assert.equal(stageName('train'), 'Training');
  assert.equal(stageName('evaluate'), 'Evaluating');
  assert.equal(stageName('clean:dates'), 'Cleaning texts');
  assert.equal(stageName('brand-new_stage'), 'Brand new stage');
  assert.equal(stageName(''), 'Working');
});

test('a Cluster job shows one overall percentage that only goes up across its stages', () => {
  const job = new JobProgress('cluster');
  const seen: number[] = [];
  const reports = [
    { stage: 'tfidf', done: 1, total: 2 },
    { stage: 'svd', done: 2, total: 9 },
    { stage: 'encode', done: 300, total: 633 },
    { stage: 'encode', done: 633, total: 633 },
    { stage: 'knn', done: 5, total: 10 },
    { stage: 'umap-5d', done: 100, total: 200 },
    { stage: 'hdbscan', done: 3, total: 3 },
    { stage: 'umap-2d', done: 0, total: 300 },
    { stage: 'umap-2d', done: 300, total: 300 },
  ];
  for (const r of reports) seen.push(job.update(r).percent ?? -1);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `monotonic: ${seen.join(' ')}`);
  assert.equal(seen[0], 8, 'the 3 % download share passed over, plus half of the 10 % fit share');
  assert.equal(seen[3], 43, 'download 3 + fit 10 + embed 30');
  assert.equal(seen.at(-1), 100);
  assert.deepEqual(job.update({ stage: 'svd', done: 2, total: 9 }).percent, 100, 'a stage seen again does not move it back');
});

test('the text is plain: names, counts for embedding, the training message', () => {
  const embed = new JobProgress('embed');
  assert.equal(progressLine(embed.update({ stage: 'svd', done: 2, total: 9 })), 'Fitting the built-in encoder — 14%');
  assert.equal(progressLine(embed.update({ stage: 'encode', done: 120, total: 633 })), 'Embedding texts (120 of 633) — 43%');
  const train = new JobProgress('train');
  assert.equal(progressLine(train.update({ stage: 'train', done: 10, total: 40, message: 'epoch 1/4 loss 0.4120' })), 'Training: epoch 1/4 loss 0.4120 — 36%');
  assert.equal(progressLine(train.update({ stage: 'evaluate', done: 10, total: 40 })), 'Evaluating — 36%', 'evaluation during training keeps the percentage');
});

test('unknown stages and job types never crash and keep the last percentage', () => {
  const job = new JobProgress('cluster');
  assert.deepEqual(job.update({ stage: 'warning', done: 0, total: 0, message: 'texts were cut at 512 tokens' }), { text: 'Warning: texts were cut at 512 tokens' });
  job.update({ stage: 'encode', done: 10, total: 10 });
  assert.equal(job.update({ stage: 'something-new', done: 1, total: 2 }).percent, 43);
  const other = new JobProgress('notAJobType');
  assert.deepEqual(other.update({ stage: 'encode', done: 1, total: 4 }), { percent: 25, text: 'Embedding texts (1 of 4)' });
  assert.deepEqual(other.update({ stage: 'mystery', done: Number.NaN, total: 0 }), { percent: 25, text: 'Mystery' });
  assert.deepEqual(new JobProgress('sleep').update({ stage: 'sleep', done: 3, total: 15 }), { percent: 20, text: 'Waiting' }, 'Check Engine still shows its progress');
});
