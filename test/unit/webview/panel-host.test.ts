import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { PanelHost } from '../../../src/host/panels/common/panel-host';
import { mapGuards, type MapProtocol } from '../../../src/protocol/map';

function fakeWebview() {
  const posted: unknown[] = [];
  let listener: ((m: unknown) => void) | undefined;
  const webview = {
    postMessage: async (m: unknown) => { posted.push(m); return true; },
    onDidReceiveMessage: (l: (m: unknown) => void) => {
      listener = l;
      return { dispose: () => { listener = undefined; } };
    },
  } as unknown as vscode.Webview;
  return { webview, posted, send: (m: unknown) => listener?.(m) };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

function makeHost(w: ReturnType<typeof fakeWebview>, logs: string[], labelled: unknown[]) {
  return new PanelHost<MapProtocol>(w.webview, {
    guards: mapGuards,
    log: (m) => logs.push(m),
    requests: {
      getPoints: () => { throw new Error('no layout yet'); },
      neighbours: async ({ index, k }) => ({ index, neighbours: Array.from({ length: k }, (_, j) => ({ index: j, id: `r${j}`, text: '', similarity: 1 })) }),
      search: async () => ({ indices: Int32Array.from([2]) }),
      clearLabels: async ({ indices }) => {
        labelled.push({ cleared: Array.from(indices) });
        return { cleared: Array.from(indices).filter((i) => i < 2).length };
      },
    },
    commands: {
      labelRecords: (p) => { labelled.push(p); },
      annotateSelection: () => undefined,
      openRecord: () => undefined,
    },
  });
}

test('notifications wait for ready; requests are answered with their id; errors become ok:false', async () => {
  const w = fakeWebview();
  const logs: string[] = [];
  const labelled: unknown[] = [];
  const host = makeHost(w, logs, labelled);
  host.notify('dataChanged', { reason: 'clustered' });
  assert.equal(w.posted.length, 0);
  w.send({ kind: 'ready' });
  await tick();
  assert.deepEqual(w.posted, [{ kind: 'notification', method: 'dataChanged', params: { reason: 'clustered' } }]);
  w.send({ kind: 'request', id: 7, method: 'neighbours', params: { index: 1, k: 2 } });
  w.send({ kind: 'request', id: 8, method: 'getPoints', params: {} });
  w.send({ kind: 'command', method: 'labelRecords', params: { indices: [1, 2], label: 'x' } });
  await tick();
  const responses = w.posted.filter((m) => (m as { kind: string }).kind === 'response') as unknown as { id: number; ok: boolean; error?: { message: string } }[];
  responses.sort((a, b) => a.id - b.id);
  assert.deepEqual(responses.map((r) => [r.id, r.ok]), [[7, true], [8, false]]);
  assert.equal(responses[1].error?.message, 'no layout yet');
  assert.deepEqual(labelled, [{ indices: [1, 2], label: 'x' }]);
  host.dispose();
});

test('clearLabels is a request: the indices reach the host, the answer carries the count; bad indices are refused', async () => {
  const w = fakeWebview();
  const logs: string[] = [];
  const calls: unknown[] = [];
  const host = makeHost(w, logs, calls);
  w.send({ kind: 'ready' });
  w.send({ kind: 'request', id: 3, method: 'clearLabels', params: { indices: [0, 1, 5] } });
  w.send({ kind: 'request', id: 4, method: 'clearLabels', params: { indices: [-1] } });
  w.send({ kind: 'request', id: 5, method: 'clearLabels', params: {} });
  await tick();
  assert.deepEqual(calls, [{ cleared: [0, 1, 5] }]);
  assert.deepEqual(w.posted, [{ kind: 'response', id: 3, ok: true, result: { cleared: 2 } }]);
  assert.equal(logs.length, 2, 'the two invalid requests are logged');
  host.dispose();
});

test('invalid messages are logged and ignored; after resetReady old answers are dropped and notifications queue', async () => {
  const w = fakeWebview();
  const logs: string[] = [];
  const host = makeHost(w, logs, []);
  w.send({ kind: 'ready' });
  w.send({ kind: 'command', method: 'labelRecords', params: { indices: 'all', label: 'x' } });
  w.send({ kind: 'request', id: 1, method: 'deleteEverything', params: {} });
  await tick();
  assert.equal(w.posted.length, 0);
  assert.equal(logs.length, 2);
  w.send({ kind: 'request', id: 2, method: 'search', params: { query: 'x' } });
  host.resetReady(); // the page went away before the answer
  host.notify('focusRecord', { index: 3 });
  await tick();
  assert.equal(w.posted.length, 0);
  w.send({ kind: 'ready' });
  await tick();
  assert.deepEqual(w.posted, [{ kind: 'notification', method: 'focusRecord', params: { index: 3 } }]);
  host.dispose();
});
