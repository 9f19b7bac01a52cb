// The port `npm start` serves on. It stays the same from one start to the next (the browser
// keeps open tabs, the theme and other state per origin, i.e. per host:port), and moves
// to the next free port only when another program holds it.
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';

/** Ports a default is taken from: [PORT_BASE, PORT_BASE + PORT_SPAN). */
export const PORT_BASE = 8700;
export const PORT_SPAN = 100;
/** How many ports after the preferred one are tried before giving up. */
export const PORT_TRIES = 20;

/** A port in [PORT_BASE, PORT_BASE + PORT_SPAN) derived from the workspace path: stable for a checkout, different between checkouts. */
export function defaultPort(workspacePath) {
  const digest = createHash('sha256').update(String(workspacePath)).digest();
  return PORT_BASE + (digest.readUInt32BE(0) % PORT_SPAN);
}

/** A port number from `--port`/`PORT`, or an error naming where it came from. */
export function parsePort(text, source) {
  const n = Number(text);
  if (!/^\d+$/.test(String(text).trim()) || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`${source}: "${text}" is not a port number (1-65535)`);
  }
  return n;
}

/** True when 127.0.0.1:port can be listened on now. */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * The first free port among preferred, preferred + 1, … (PORT_TRIES of them; never above 65535).
 * `isFree` is injectable for the tests. Throws when all are taken.
 */
export async function choosePort(preferred, isFree = isPortFree, tries = PORT_TRIES) {
  for (let p = preferred; p < preferred + tries && p <= 65535; p++) {
    if (await isFree(p)) return p;
  }
  throw new Error(`ports ${preferred}-${Math.min(65535, preferred + tries - 1)} are all taken; pass --port N`);
}
