/**
 * Durable file writes shared by the engine: a whole file is written to a temp file next
 * to it, fsynced, then renamed over the target, so a reader (or a crash) never sees a
 * half-written file. Appends to logs (annotations) are fsynced per entry.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync, promises as fs } from 'node:fs';
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

/**
 * The same, synchronously, for the writers that build a file in one go (ONNX graphs,
 * safetensors, model folders): temp file, fsync, rename.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  try {
    const fd = openSync(tmp, 'w');
    try {
      const parts = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
      for (const part of parts) {
        let off = 0;
        while (off < part.length) off += writeSync(fd, part, off, part.length - off);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes a value as indented JSON (and a final newline), atomically. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Parses a JSON file; undefined when it does not exist. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
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
