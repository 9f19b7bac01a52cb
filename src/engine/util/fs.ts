/**
 * Durable file writes shared by the engine: a whole file is written to a temp file next
 * to it, fsynced, then renamed over the target, so a reader (or a crash) never sees a
 * half-written file. Appends to logs (annotations, labels) are one write each, fsynced.
 */
import { closeSync, fsyncSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempPathFor, sweepStaleTempFiles } from './temp-files';

export { tempPathFor };

/**
 * Writes `data` to `file` atomically: temp file in the same folder, fsync, rename, then
 * fsync of the folder where the platform allows it. Creates the folder when missing. Temp
 * files that killed writers left in the folder are removed (see temp-files.ts).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await sweepStaleTempFiles(path.dirname(file));
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

/**
 * Appends whole lines (`text` ends in a newline) to a log that other processes may append
 * to as well: one `write` on an O_APPEND descriptor, so the lines land whole after
 * whatever is there, then an fsync before resolving (an acknowledged entry survives a
 * crash). A shared log is never truncated: when its last line was cut off (no final
 * newline, a crash mid-write), the new lines start on a line of their own, and readers skip
 * the cut line. A short write is an error (the entry is not acknowledged).
 */
export async function appendLinesDurable(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'a+');
  try {
    const { size } = await handle.stat();
    let cut = false;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      cut = last[0] !== NEWLINE;
    }
    const buf = Buffer.from(cut ? '\n' + text : text, 'utf8');
    const { bytesWritten } = await handle.write(buf, 0, buf.length);
    if (bytesWritten !== buf.length) throw new Error(`${file}: only ${bytesWritten} of ${buf.length} bytes were appended`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The synchronous `appendLinesDurable` for logs written from a training loop
 * (metrics.jsonl): one write on an O_APPEND descriptor after a cut-off last line is ended;
 * fsynced only when `sync` (a metric line is progress, not an acknowledged entry).
 */
export function appendLinesSync(file: string, text: string, options: { sync?: boolean } = {}): void {
  const fd = openSync(file, 'a+');
  try {
    const { size } = fstatSync(fd);
    let cut = false;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      cut = last[0] !== NEWLINE;
    }
    const buf = Buffer.from(cut ? '\n' + text : text, 'utf8');
    const written = writeSync(fd, buf, 0, buf.length);
    if (written !== buf.length) throw new Error(`${file}: only ${written} of ${buf.length} bytes were appended`);
    if (options.sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const NEWLINE = 0x0a;

/** Drops a leading UTF-8 byte order mark (editors on Windows write one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads a UTF-8 text file without its byte order mark, if it has one. */
export async function readTextFile(file: string): Promise<string> {
  return stripBom(await fs.readFile(file, 'utf8'));
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
