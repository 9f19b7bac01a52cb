import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

interface PortModule {
  PORT_BASE: number;
  PORT_SPAN: number;
  defaultPort(workspacePath: string): number;
  parsePort(text: string, source: string): number;
  isPortFree(port: number): Promise<boolean>;
  choosePort(preferred: number, isFree?: (port: number) => Promise<boolean> | boolean, tries?: number): Promise<number>;
}
const load = async (): Promise<PortModule> => (await import(pathToFileURL(path.join(__dirname, '../../../scripts/e2e/port.mjs')).href)) as PortModule;

test('the default port is stable for a workspace, in range, and differs between workspaces', async () => {
  const { defaultPort, PORT_BASE, PORT_SPAN } = await load();
  const a = defaultPort('/home/me/embedding-lab/.vscode-e2e/sample-workspace');
  assert.equal(defaultPort('/home/me/embedding-lab/.vscode-e2e/sample-workspace'), a);
  assert.ok(a >= PORT_BASE && a < PORT_BASE + PORT_SPAN);
  const others = new Set(['/a', '/b', '/c', '/d', '/e', '/f'].map(defaultPort));
  assert.ok(others.size > 1, 'different checkouts get different ports');
});

test('choosePort keeps the preferred port when free, else takes the next free one, and fails clearly', async () => {
  const { choosePort } = await load();
  assert.equal(await choosePort(8765, () => true), 8765);
  const taken = new Set([8765, 8766]);
  assert.equal(await choosePort(8765, (p) => !taken.has(p)), 8767);
  await assert.rejects(choosePort(8765, () => false, 3), /ports 8765-8767 are all taken; pass --port N/);
});

test('choosePort skips a port another program really listens on', async () => {
  const { choosePort, isPortFree } = await load();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    assert.equal(await isPortFree(port), false);
    const chosen = await choosePort(port);
    assert.notEqual(chosen, port);
    assert.ok(chosen > port);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  assert.equal(await isPortFree(port), true);
});

test('parsePort names the source of a bad value', async () => {
  const { parsePort } = await load();
  assert.equal(parsePort('8080', '--port'), 8080);
  assert.throws(() => parsePort('80a', '--port'), /^Error: --port: "80a" is not a port number/);
  assert.throws(() => parsePort('70000', 'PORT'), /PORT: "70000"/);
});
