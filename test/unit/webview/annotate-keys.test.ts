import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionForKey, isEditableTag } from '../../../webview/annotate/keys';
import { PairSession } from '../../../webview/annotate/session';
import { KeyQueue } from '../../../webview/annotate/key-queue';

test('keys 1–5 choose anchors 0–4; s skip; u and Ctrl/Cmd+Z undo; b and ← back', () => {
  assert.deepEqual(actionForKey({ key: '1' }), { type: 'score', anchor: 0 });
  assert.deepEqual(actionForKey({ key: '5' }), { type: 'score', anchor: 4 });
  assert.equal(actionForKey({ key: '6' }), undefined);
  assert.equal(actionForKey({ key: '4' }, 3), undefined);
  assert.deepEqual(actionForKey({ key: 's' }), { type: 'skip' });
  assert.deepEqual(actionForKey({ key: 'u' }), { type: 'undo' });
  assert.deepEqual(actionForKey({ key: 'z', ctrlKey: true }), { type: 'undo' });
  assert.deepEqual(actionForKey({ key: 'Z', metaKey: true }), { type: 'undo' });
  assert.deepEqual(actionForKey({ key: 'b' }), { type: 'back' });
  assert.deepEqual(actionForKey({ key: 'ArrowLeft' }), { type: 'back' });
  assert.equal(actionForKey({ key: '1', ctrlKey: true }), undefined);
  assert.equal(actionForKey({ key: 's', altKey: true }), undefined);
  assert.equal(actionForKey({ key: 'x' }), undefined);
});

test('nothing fires while typing in the notes field', () => {
  for (const key of ['1', 's', 'u', 'b', 'ArrowLeft']) assert.equal(actionForKey({ key, inEditable: true }), undefined);
  assert.equal(actionForKey({ key: 'z', ctrlKey: true, inEditable: true }), undefined);
  assert.equal(isEditableTag('textarea'), true);
  assert.equal(isEditableTag('VSCODE-TEXTAREA'), true);
  assert.equal(isEditableTag('div', true), true);
  assert.equal(isEditableTag('BUTTON'), false);
});

test('PairSession: score, skip, undo and back move through the pairs predictably', () => {
  const s = new PairSession<string>();
  s.enqueue(['p1', 'p2', 'p3'], (p) => p);
  s.enqueue(['p2', 'p4'], (p) => p); // duplicate p2 ignored
  assert.equal(s.current, 'p1');
  assert.equal(s.remaining, 3);
  assert.equal(s.act('score', 0.5), 'p1');
  assert.equal(s.act('skip'), 'p2');
  assert.equal(s.current, 'p3');
  const undone = s.undo();
  assert.deepEqual(undone, { pair: 'p2', action: 'skip', score: undefined });
  assert.equal(s.current, 'p2');
  const back = s.back();
  assert.deepEqual(back, { pair: 'p1', action: 'score', score: 0.5 });
  assert.equal(s.current, 'p1');
  s.act('score', 1);
  assert.equal(s.current, 'p2');
  s.act('score', 0);
  assert.equal(s.current, 'p3');
  s.act('score', 0);
  assert.equal(s.current, 'p4');
  s.act('score', 0);
  assert.equal(s.current, undefined);
  assert.equal(s.undo()?.pair, 'p4');
  assert.equal(new PairSession<string>().undo(), undefined);
});

test('m shows more, i shows details; neither fires while typing', () => {
  assert.deepEqual(actionForKey({ key: 'm' }), { type: 'more' });
  assert.deepEqual(actionForKey({ key: 'M' }), { type: 'more' });
  assert.deepEqual(actionForKey({ key: 'i' }), { type: 'details' });
  assert.deepEqual(actionForKey({ key: 'I' }), { type: 'details' });
  assert.equal(actionForKey({ key: 'm', inEditable: true }), undefined);
  assert.equal(actionForKey({ key: 'i', ctrlKey: true }), undefined);
});

test('focus brings back the pair that was on screen before a reload; the others stay queued in order', () => {
  const s = new PairSession<string>();
  s.enqueue(['a', 'b', 'c', 'd'], (p) => p);
  assert.equal(s.focus('c', (p) => p), true);
  assert.equal(s.current, 'c');
  assert.deepEqual([s.act('score'), s.act('score'), s.act('score'), s.current], ['c', 'a', 'b', 'd']);
  assert.equal(s.focus('zz', (p) => p), false);
  assert.equal(s.current, 'd');
});

test('keys pressed while loading: the first applies to the pair it was meant for, the rest are reported', () => {
  const q = new KeyQueue<string>();
  assert.deepEqual(q.settle('p1'), { dropped: [] });
  q.push({ action: 'score .75', key: '4', meantFor: 'p1' });
  q.push({ action: 'skip', key: 's', meantFor: 'p1' });
  assert.equal(q.size, 2);
  const r = q.settle('p1');
  assert.equal(r.apply?.key, '4');
  assert.deepEqual(r.dropped.map((k) => k.key), ['s']);
  assert.equal(q.size, 0);
  // another pair arrived (the one meant is gone): nothing is applied, everything is reported
  q.push({ action: 'score 1', key: '5', meantFor: 'p1' });
  assert.deepEqual(q.settle('p2').dropped.map((k) => k.key), ['5']);
  q.push({ action: 'score 1', key: '5' });
  assert.equal(q.settle('p2').apply, undefined, 'a key pressed before any pair was shown is never applied blindly');
  q.push({ action: 'score 1', key: '5', meantFor: 'p1' });
  assert.deepEqual(q.settle(undefined).dropped.map((k) => k.key), ['5']);
});

test('PairSession.replaceQueue: the pair on screen stays, the queue is the new pairs minus those already acted on', () => {
  const s = new PairSession<string>();
  s.enqueue(['p1', 'p2', 'p3'], (p) => p);
  s.act('score', 1); // p1 done, p2 on screen
  s.replaceQueue(['p1', 'p2', 'n1', 'n2', 'n1'], (p) => p);
  assert.equal(s.current, 'p2');
  assert.equal(s.remaining, 2);
  assert.equal(s.act('skip'), 'p2');
  assert.equal(s.current, 'n1');
  assert.equal(s.act('skip'), 'n1');
  assert.equal(s.current, 'n2');
  // nothing on screen: the first new pair comes up
  const e = new PairSession<string>();
  e.replaceQueue(['q1', 'q2'], (p) => p);
  assert.equal(e.current, 'q1');
});
