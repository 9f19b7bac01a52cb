// The active loop's trigger counting and the fixed held-out split (issue 12, "the active loop").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActiveLoopScheduler } from '../../../src/engine/annotate/active-loop-scheduler';
import { isHeldOutPair, splitHeldOut } from '../../../src/engine/annotate/held-out';

/** A start function whose runs end when the test says so. */
function controlledRuns() {
  const started: number[] = [];
  const ends: (() => void)[] = [];
  const start = (count: number) => {
    started.push(count);
    return new Promise<void>((resolve) => ends.push(resolve));
  };
  const finish = async () => {
    ends.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { started, start, finish };
}

test('a run starts after every N new annotations, counted from the last run', async () => {
  const runs = controlledRuns();
  const s = new ActiveLoopScheduler({ every: 3, baseline: 0, start: runs.start });
  s.annotated(1);
  s.annotated(2);
  assert.deepEqual(runs.started, []);
  assert.equal(s.untilNext, 1);
  s.annotated(3);
  assert.deepEqual(runs.started, [3]);
  assert.equal(s.state, 'running');
  await runs.finish();
  assert.equal(s.state, 'idle');
  s.annotated(4);
  s.annotated(5);
  assert.deepEqual(runs.started, [3]);
  s.annotated(6);
  assert.deepEqual(runs.started, [3, 6]);
  await runs.finish();
});

test('triggers while a run is going queue one more run at most, on the annotations there are then', async () => {
  const runs = controlledRuns();
  const s = new ActiveLoopScheduler({ every: 2, baseline: 10, start: runs.start });
  s.annotated(12);
  assert.deepEqual(runs.started, [12]);
  for (let n = 13; n <= 19; n++) s.annotated(n); // three more triggers' worth
  assert.equal(s.state, 'running+queued');
  assert.deepEqual(runs.started, [12], 'never two runs at once');
  await runs.finish();
  assert.deepEqual(runs.started, [12, 19], 'one queued run, on the latest count');
  assert.equal(s.state, 'running');
  await runs.finish();
  assert.equal(s.state, 'idle');
  assert.equal(s.started, 2);
});

test('a failed run does not stop the loop; 0 turns it off; an undo does not trigger', async () => {
  let calls = 0;
  const s = new ActiveLoopScheduler({ every: 2, baseline: 0, start: async () => {
    calls++;
    throw new Error('training failed');
  } });
  s.annotated(2);
  await s.idle();
  s.annotated(4);
  await s.idle();
  assert.equal(calls, 2);
  s.annotated(5);
  s.annotated(4); // undo
  await s.idle();
  assert.equal(calls, 2);
  s.setEvery(0);
  s.annotated(100);
  await s.idle();
  assert.equal(calls, 2);
  assert.equal(s.untilNext, undefined);
  const off = new ActiveLoopScheduler({ every: 0, baseline: 0, start: async () => void calls++ });
  off.annotated(50);
  assert.equal(calls, 2);
});

test('the held-out split is fixed per pair: more pairs never move a pair across it', () => {
  const pairs = Array.from({ length: 2000 }, (_, i) => ({ id1: `a${i}`, id2: `b${(i * 7) % 2000}` }));
  const first = splitHeldOut(pairs.slice(0, 300), 20);
  const later = splitHeldOut([...pairs].reverse(), 20);
  const heldLater = new Set(later.heldOut.map((p) => `${p.id1}|${p.id2}`));
  for (const p of first.heldOut) assert.ok(heldLater.has(`${p.id1}|${p.id2}`));
  for (const p of first.train) assert.ok(!heldLater.has(`${p.id1}|${p.id2}`));
  // order-free, and about the share asked for
  for (const p of pairs.slice(0, 200)) assert.equal(isHeldOutPair(p.id1, p.id2, 20), isHeldOutPair(p.id2, p.id1, 20));
  const share = later.heldOut.length / pairs.length;
  assert.ok(share > 0.17 && share < 0.23, `held out ${share}`);
  assert.throws(() => isHeldOutPair('a', 'b', 120), /percentage/);
});
