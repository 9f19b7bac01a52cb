import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IpcClient, RemoteError, RequestTimeoutError, type IpcTransport } from '../../../webview/common/ipc';
import type { MapProtocol } from '../../../src/protocol/map';
import { mapGuards } from '../../../src/protocol/map';
import { annotateGuards } from '../../../src/protocol/annotate';
import { parseWebviewMessage } from '../../../src/protocol/ipc';

function fakeTransport() {
  const sent: unknown[] = [];
  let handler: ((m: unknown) => void) | undefined;
  const t: IpcTransport = {
    post: (m) => sent.push(m),
    listen: (h) => {
      handler = h;
      return () => { handler = undefined; };
    },
  };
  return { t, sent, deliver: (m: unknown) => handler?.(m), listening: () => handler !== undefined };
}

test('requests carry ids and resolve with the matching response; the pending entry is removed', async () => {
  const f = fakeTransport();
  const c = new IpcClient<MapProtocol>(f.t);
  const a = c.request('search', { query: 'oil' });
  const b = c.request('neighbours', { index: 3, k: 5 });
  assert.equal(c.pendingCount, 2);
  const [ma, mb] = f.sent as { id: number; kind: string; method: string }[];
  assert.equal(ma.kind, 'request');
  assert.notEqual(ma.id, mb.id);
  f.deliver({ kind: 'response', id: mb.id, ok: true, result: { index: 3, neighbours: [] } });
  f.deliver({ kind: 'response', id: ma.id, ok: true, result: { indices: Int32Array.from([1, 2]) } });
  assert.deepEqual([...(await a).indices], [1, 2]);
  assert.equal((await b).index, 3);
  assert.equal(c.pendingCount, 0);
});

test('error responses reject with the remote name and message', async () => {
  const f = fakeTransport();
  const c = new IpcClient<MapProtocol>(f.t);
  const p = c.request('getPoints', {});
  const { id } = f.sent[0] as { id: number };
  f.deliver({ kind: 'response', id, ok: false, error: { name: 'InputError', message: 'no layout yet' } });
  await assert.rejects(p, (e: unknown) => e instanceof RemoteError && e.name === 'InputError' && e.message === 'no layout yet');
  assert.equal(c.pendingCount, 0);
});

test('a request times out, is removed from the pending map, and a late answer is ignored', async () => {
  const f = fakeTransport();
  const c = new IpcClient<MapProtocol>(f.t, { timeoutMs: 20 });
  const p = c.request('getPoints', {});
  await assert.rejects(p, RequestTimeoutError);
  assert.equal(c.pendingCount, 0);
  const { id } = f.sent[0] as { id: number };
  f.deliver({ kind: 'response', id, ok: true, result: {} }); // must not throw
});

test('notifications reach their handlers; unsubscribe and dispose work; commands and ready are posted', async () => {
  const f = fakeTransport();
  const c = new IpcClient<MapProtocol>(f.t);
  const seen: number[] = [];
  const off = c.on('focusRecord', ({ index }) => seen.push(index));
  f.deliver({ kind: 'notification', method: 'focusRecord', params: { index: 4 } });
  f.deliver({ kind: 'notification', method: 'dataChanged', params: {} });
  f.deliver({ bogus: true });
  off();
  f.deliver({ kind: 'notification', method: 'focusRecord', params: { index: 5 } });
  assert.deepEqual(seen, [4]);
  c.ready();
  c.command('openRecord', { index: 2 });
  assert.deepEqual(f.sent, [{ kind: 'ready' }, { kind: 'command', method: 'openRecord', params: { index: 2 } }]);
  const pending = c.request('getPoints', {});
  c.dispose();
  await assert.rejects(pending, /abandoned/);
  assert.equal(f.listening(), false);
});

test('parseWebviewMessage validates kind, method and params with the panel guards', () => {
  assert.deepEqual(parseWebviewMessage({ kind: 'ready' }, mapGuards), { kind: 'ready' });
  const ok = parseWebviewMessage({ kind: 'request', id: 1, method: 'neighbours', params: { index: 2, k: 10 } }, mapGuards);
  assert.ok(!('invalid' in ok));
  assert.ok('invalid' in parseWebviewMessage({ kind: 'request', id: 1, method: 'neighbours', params: { index: -2, k: 10 } }, mapGuards));
  assert.ok('invalid' in parseWebviewMessage({ kind: 'request', method: 'search', params: { query: 'x' } }, mapGuards));
  assert.ok('invalid' in parseWebviewMessage({ kind: 'command', method: 'toString', params: {} }, mapGuards));
  assert.ok('invalid' in parseWebviewMessage({ kind: 'command', method: 'labelRecords', params: { indices: [1, 2.5], label: 'x' } }, mapGuards));
  assert.ok(!('invalid' in parseWebviewMessage({ kind: 'command', method: 'labelRecords', params: { indices: Int32Array.from([1]), label: 'x' } }, mapGuards)));
  assert.ok('invalid' in parseWebviewMessage({ kind: 'command', method: 'score', params: { id1: 'a', id2: 'b', score: 1.5 } }, annotateGuards));
  assert.ok(!('invalid' in parseWebviewMessage({ kind: 'command', method: 'score', params: { id1: 'a', id2: 'b', score: 0.75, note: 'n' } }, annotateGuards)));
  assert.ok('invalid' in parseWebviewMessage('nope', annotateGuards));
});
