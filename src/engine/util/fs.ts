/**
 * Durable file writes shared by the engine: a whole file is written to a temp file next
 * to it, fsynced, then renamed over the target, so a reader (or a crash) never sees a
 * half-written file. Appends to logs (annotations) are fsynced per entry.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

let tmpCounter = 0;

/** A temp path in the same folder as `file` (rename is only atomic within one file system). */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.${tmpCounter++}.tmp`);
}

/**
 * Writes `data` to `file` atomically: temp file in the same folder, fsync, rename, then
 * fsync of the folder where the platform allows it. Creates the folder when missing.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  const handle = await fs.open(tmp, 'w');
  try {
    if (typeof data === 'string') await handle.writeFile(data, 'utf8');
    else if (data instanceof Uint8Array) await handle.writeFile(data);
    else for (const part of data) await handle.write(part);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(path.dirname(file));
}

/** Replaces `file` by an already written and synced temp file (same folder). */
export async function commitTempFile(tmp: string, file: string): Promise<void> {
  await fs.rename(tmp, file);
  await syncDir(path.dirname(file));
}

/** Appends one chunk and fsyncs before resolving, so an acknowledged entry survives a crash. */
export async function appendDurable(file: string, data: string): Promise<void> {
  const handle = await fs.open(file, 'a');
  try {
    await handle.write(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Some file systems refuse to fsync a directory; the rename is still atomic.
  }
}

/** True when the path exists. */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}
