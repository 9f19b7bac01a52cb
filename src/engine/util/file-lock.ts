/**
 * A lock file for read-modify-write of a shared file (project.json) by several processes
 * (the extension, its engine process, CLI runs). The lock is a file created with O_EXCL
 * (`wx`) holding `{pid, host, time, token}`; whoever creates it holds the lock, and removes
 * it when done (only if it is still its own).
 *
 * A holder that died leaves its lock behind. Such a stale lock is broken: one whose pid is
 * not alive on this host, or older than `staleMs` (another host, or a hung holder), or
 * that stayed unreadable (a holder killed between create and write) for `staleMs`.
 * Breaking is itself guarded by a second O_EXCL file (`<lock>.break`) under which the lock
 * is checked again before it is removed, so two waiters cannot both break it and one of
 * them remove the fresh lock of a third. Waiting backs off (10 ms doubling to 200 ms, with
 * jitter) up to `timeoutMs` in total, then fails with an error naming the lock file.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { randomBytes } from 'node:crypto';
import { processAlive } from './process-alive';

export interface FileLockOptions {
  /** The longest total wait for the lock (default 30 s). */
  timeoutMs?: number;
  /** A lock older than this is broken even if its holder may be alive (default 2 min). */
  staleMs?: number;
}

interface LockHolder {
  pid: number;
  host: string;
  time: string;
  token: string;
}

export class FileLockTimeoutError extends Error {
  override name = 'FileLockTimeoutError';
}

/** Runs `fn` while holding the lock file `lockPath`; the lock is released however fn ends. */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 120_000;
  const token = randomBytes(8).toString('hex');
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), time: '', token };
  const start = Date.now();
  let delay = 10;
  for (;;) {
    holder.time = new Date().toISOString();
    if (await tryCreate(lockPath, JSON.stringify(holder) + '\n')) return token;
    const seen = await readLock(lockPath);
    if (seen && isStale(seen, staleMs)) {
      await breakStaleLock(lockPath, seen, staleMs);
      continue;
    }
    const waited = Date.now() - start;
    if (waited >= timeoutMs) {
      const who = seen?.holder ? `pid ${seen.holder.pid} on ${seen.holder.host} since ${seen.holder.time}` : 'a process that has not written its name yet';
      throw new FileLockTimeoutError(
        `${lockPath}: still locked after ${Math.round(waited / 1000)} s, by ${who}; if no Embedding Lab process is using this project, delete the lock file`,
      );
    }
    await sleep(Math.min(delay, timeoutMs - waited) * (0.5 + Math.random()));
    delay = Math.min(delay * 2, 200);
  }
}

async function tryCreate(file: string, content: string): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  return true;
}

interface SeenLock {
  /** Undefined when the file does not hold a readable holder (yet). */
  holder?: LockHolder;
  mtimeMs: number;
  ino: number;
}

/** The lock as it is now; undefined when there is none. */
async function readLock(lockPath: string): Promise<SeenLock | undefined> {
  try {
    const [text, st] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    return { holder: parseHolder(text), mtimeMs: st.mtimeMs, ino: st.ino };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.time === 'string' && typeof v.token === 'string') return v as LockHolder;
  } catch {
    /* being written, or damaged */
  }
  return undefined;
}

function isStale(seen: SeenLock, staleMs: number): boolean {
  const h = seen.holder;
  if (h && h.host === os.hostname() && h.pid !== process.pid && !processAlive(h.pid)) return true;
  const since = h ? Math.min(Date.parse(h.time) || seen.mtimeMs, seen.mtimeMs) : seen.mtimeMs;
  return Date.now() - since > staleMs;
}

/** Removes the lock if, checked again under the break guard, it is still the same stale lock. */
async function breakStaleLock(lockPath: string, seen: SeenLock, staleMs: number): Promise<void> {
  const guard = `${lockPath}.break`;
  if (!(await tryCreate(guard, `${process.pid}\n`))) {
    // Another waiter is breaking it; a guard left by a breaker that died is removed after a while.
    const st = await fs.stat(guard).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > Math.min(staleMs, 10_000)) await fs.rm(guard, { force: true });
    else await sleep(5);
    return;
  }
  try {
    const now = await readLock(lockPath);
    if (now && now.ino === seen.ino && now.holder?.token === seen.holder?.token && isStale(now, staleMs)) await fs.rm(lockPath, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const now = await readLock(lockPath).catch(() => undefined);
  // Only our own lock is removed (a lock broken as stale may have been taken by another since).
  if (now?.holder?.token === token) await fs.rm(lockPath, { force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(1, ms)));
}
