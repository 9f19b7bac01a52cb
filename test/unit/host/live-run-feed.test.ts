// The live curves of Compare Runs: training progress pushes the running runs to the panel, one
// push at a time, only for the stages that write metrics, and never after the feed is closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveRunFeed } from '../../../src/host/panels/runs/live-run-feed';

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

test('train and evaluate progress pushes; log lines do not; pushes never overlap and reports meanwhile give one more', async () => {
  let active = 0;
  let maxActive = 0;
  let pushes = 0;
  let release = gate();
  const feed = liveRunFeed(async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    pushes++;
    await release.wait;
    active--;
  }, 0);
  feed.onProgress({ stage: 'log', done: 0, total: 0, message: 'loading torch' });
  assert.equal(pushes, 0, 'a log line is not a new metric');
  feed.onProgress({ stage: 'train', done: 1, total: 10 });
  assert.equal(pushes, 1);
  for (let step = 2; step <= 5; step++) feed.onProgress({ stage: 'train', done: step, total: 10 });
  feed.onProgress({ stage: 'evaluate', done: 5, total: 10 });
  assert.equal(pushes, 1, 'no second push while the first is under way');
  const first = release;
  release = gate();
  first.open();
  await new Promise((r) => setImmediate(r));
  assert.equal(pushes, 2, 'one more push for the reports that came meanwhile');
  release.open();
  await feed.close();
  assert.equal(maxActive, 1);
});

test('close waits for the push under way; nothing is pushed after it', async () => {
  let pushes = 0;
  const release = gate();
  let finished = false;
  const feed = liveRunFeed(async () => {
    pushes++;
    await release.wait;
    finished = true;
  }, 0);
  feed.onProgress({ stage: 'train', done: 1, total: 3 });
  feed.onProgress({ stage: 'train', done: 2, total: 3 });
  const closing = feed.close();
  release.open();
  await closing;
  assert.equal(finished, true, 'close() returned before the push under way ended');
  feed.onProgress({ stage: 'train', done: 3, total: 3 });
  await new Promise((r) => setImmediate(r));
  assert.equal(pushes, 1, 'a report queued before close or sent after it must not push');
});

test('a failing push does not stop the feed', async () => {
  let pushes = 0;
  const feed = liveRunFeed(async () => {
    pushes++;
    throw new Error('panel gone');
  }, 0);
  feed.onProgress({ stage: 'train', done: 1, total: 3 });
  await new Promise((r) => setImmediate(r));
  feed.onProgress({ stage: 'train', done: 2, total: 3 });
  await feed.close();
  assert.equal(pushes, 2);
});
