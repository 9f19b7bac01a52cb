import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServedPairs, withoutHints } from '../../../src/host/panels/annotate/served-pairs';
import type { PairView } from '../../../src/protocol/annotate';

const pair = (a: string, b: string): PairView => ({ id1: a, id2: b, strategy: 'random', left: { id: a, fields: [] }, right: { id: b, fields: [] } });
const ids = (ps: PairView[]) => ps.map((p) => `${p.id1}|${p.id2}`);

test('the host keeps the pairs it sent until they are scored or skipped; undo puts one back in front', () => {
  const s = new ServedPairs();
  assert.deepEqual(s.pendingFor('random'), []);
  s.served('random', [pair('a', 'b'), pair('c', 'd'), pair('e', 'f')]);
  s.served('random', [pair('d', 'c'), pair('g', 'h')]); // the same pair in the other order is not added twice
  assert.deepEqual(ids(s.pendingFor('random')), ['a|b', 'c|d', 'e|f', 'g|h']);
  s.done('b', 'a');
  s.done('c', 'd');
  assert.deepEqual(ids(s.pendingFor('random')), ['e|f', 'g|h']);
  s.undone('c', 'd');
  assert.deepEqual(ids(s.pendingFor('random')), ['c|d', 'e|f', 'g|h']);
  s.undone('x', 'y'); // never sent: nothing happens
  s.undone('c', 'd'); // already back: not twice
  assert.deepEqual(ids(s.pendingFor('random')), ['c|d', 'e|f', 'g|h']);
  // strategies keep their own queues; a pair scored anywhere leaves them all
  s.served('nearest', [pair('e', 'f'), pair('i', 'j')]);
  s.done('e', 'f');
  assert.deepEqual(ids(s.pendingFor('nearest')), ['i|j']);
  assert.deepEqual(ids(s.pendingFor('random')), ['c|d', 'g|h']);
  // the list handed out is a copy
  s.pendingFor('random').pop();
  assert.equal(s.pendingFor('random').length, 2);
});

test('a pass leaves the queue and is not served again in the session (the log has no entry for it); an undo brings it back', () => {
  const s = new ServedPairs();
  s.served('disagreement', [pair('a', 'b'), pair('c', 'd')]);
  s.pass('b', 'a');
  assert.deepEqual(s.pendingFor('disagreement').map((p) => p.id1), ['c']);
  // the queue is computed again from the log, which still holds the pair
  assert.deepEqual(s.withoutPassed([pair('a', 'b'), pair('e', 'f')]).map((p) => p.id1), ['e']);
  s.undone('a', 'b');
  assert.deepEqual(s.pendingFor('disagreement').map((p) => p.id1), ['a', 'c']);
  assert.equal(s.withoutPassed([pair('a', 'b')]).length, 1);
});

test('the active loop\'s new pairs replace the queue: the kept pair stays first, pairs just acted on never come back', () => {
  const s = new ServedPairs();
  s.served('uncertain', [pair('a', 'b'), pair('c', 'd'), pair('e', 'f')]);
  s.done('a', 'b'); // scored while the new suggestions were being made
  const fresh = s.replacePending('uncertain', [{ id1: 'c', id2: 'd' }], [pair('b', 'a'), pair('x', 'y'), pair('d', 'c'), pair('z', 'w')]);
  assert.deepEqual(ids(fresh), ['x|y', 'z|w']);
  assert.deepEqual(ids(s.pendingFor('uncertain')), ['c|d', 'x|y', 'z|w'], 'e|f was not kept; the pair on screen (c|d) stays first');
  s.served('random', [pair('r', 's')]);
  s.replacePending('uncertain', [], []);
  assert.deepEqual(ids(s.pendingFor('random')), ['r|s'], 'other strategies untouched');
});

test('the LLM hint setting changed: the kept pair takes its new view (with the hint) from the new suggestions', () => {
  const s = new ServedPairs();
  s.served('random', [pair('a', 'b'), pair('c', 'd')]);
  const hinted = { ...pair('b', 'a'), hint: { score: 0.75, model: 'm', reason: 'same story' } };
  const { kept, fresh } = s.refreshPending('random', [{ id1: 'a', id2: 'b' }], [hinted, pair('c', 'd'), pair('x', 'y')]);
  assert.deepEqual(kept.map((p) => [p.id1, p.hint?.score]), [['a', 0.75]], 'the pair on screen comes back with its hint, its sides as they were');
  assert.deepEqual(ids(fresh), ['c|d', 'x|y']);
  assert.equal(s.pendingFor('random')[0].hint?.score, 0.75, 'a reloaded page finds the hint too');
  const off = s.refreshPending('random', [{ id1: 'a', id2: 'b' }], [pair('a', 'b')]);
  assert.equal(off.kept[0].hint, undefined, 'and loses it when the setting is turned off');
  const gone = s.refreshPending('random', [{ id1: 'a', id2: 'b' }], []);
  assert.equal(gone.kept.length, 1, 'a kept pair missing from the suggestions stays as it was');
});

test('while LLM hints are off the page gets the pairs without their pre-scores; the host keeps them for when they are turned on', () => {
  const s = new ServedPairs();
  const hinted = { ...pair('a', 'b'), hint: { score: 0.25, model: 'm', reason: 'different events' } };
  s.served('random', [hinted, pair('c', 'd')]);
  const sent = withoutHints(s.pendingFor('random'));
  assert.equal(sent.some((p) => 'hint' in p), false, 'no pre-score reaches the page');
  assert.deepEqual(ids(sent), ['a|b', 'c|d']);
  assert.equal(s.pendingFor('random')[0].hint?.score, 0.25, 'the host still has it');
});
