import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError, throwIfCancelled, untilCancelled } from '../../util/job';
import { HubError, hubStatusError, readServerMessage } from './hub-errors';
import { hubGet, translateFetchError } from './hub-fetch';
import { gitBlobSha1File, sha256File } from '../../util/hash-file';
import { commitTempFile } from '../../util/fs';

export interface DownloadFileOptions {
  url: string;
  /** The final path; written only by a rename once the content is complete and checked. */
  dest: string;
  /** Where the bytes accumulate meanwhile; kept after a dropped connection or a cancel so the next run resumes. */
  incompletePath: string;
  /** For error messages: the model id and the file's path in the repository. */
  repoId: string;
  filePath: string;
  expectedSize?: number;
  sha256?: string;
  gitBlobSha1?: string;
  token?: string;
  signal?: AbortSignal;
  /** Called with each change of the bytes on disk for this file (negative when a partial file is discarded). */
  onBytes?: (delta: number) => void;
  /** How many times to resume after a dropped connection within this call (default 3). */
  resumeAttempts?: number;
}

export interface DownloadFileResult {
  bytes: number;
  /** True when some bytes came from an earlier partial download. */
  resumed: boolean;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The full length of the file as the response states it: Content-Length of a 200, the total of a 206's Content-Range. */
function statedLength(res: Response): number | undefined {
  const encoding = res.headers.get('content-encoding');
  if (encoding && encoding.trim().toLowerCase() !== 'identity') return undefined; // the length of the encoded body
  const n = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  if (res.status === 206) return n(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]);
  return n(res.headers.get('content-length')?.trim());
}

function removeQuietly(file: string): void {
  fs.rmSync(file, { force: true });
}

/**
 * Downloads one file with resume (Range on an existing `.incomplete` file; a 200 answer
 * restarts, a 206 appends), then checks the size and the sha256 (LFS) or git blob sha1,
 * and renames it into place. A failed check deletes the partial file; a cancel or a
 * dropped connection keeps it for resuming. The destination never holds a partial file.
 */
export async function downloadFile(o: DownloadFileOptions): Promise<DownloadFileResult> {
  fs.mkdirSync(path.dirname(o.incompletePath), { recursive: true });
  const what = `file "${o.filePath}"`;
  let resumed = false;
  let attemptsLeft = o.resumeAttempts ?? 3;
  const report = (d: number) => d !== 0 && o.onBytes?.(d);
  let onDisk = sizeOf(o.incompletePath);
  // The length to reach: the listed size, else what the server states (Content-Length / Content-Range).
  let expected = o.expectedSize;
  if (o.expectedSize !== undefined && onDisk > o.expectedSize) {
    removeQuietly(o.incompletePath);
    onDisk = 0;
  }
  report(onDisk);

  for (;;) {
    throwIfCancelled(o.signal);
    if (o.expectedSize !== undefined && onDisk === o.expectedSize && onDisk > 0) break; // complete from an earlier run
    // Identity encoding: byte ranges and Content-Length then count the file's own bytes.
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (onDisk > 0) headers.range = `bytes=${onDisk}-`;
    const res = await hubGet(o.url, { token: o.token, signal: o.signal, headers });
    if (res.status === 416 && onDisk > 0) {
      // The partial file does not fit the server's copy: start over.
      await res.body?.cancel().catch(() => undefined);
      removeQuietly(o.incompletePath);
      report(-onDisk);
      onDisk = 0;
      continue;
    }
    if (res.status !== 200 && res.status !== 206) {
      throw hubStatusError(res.status, o.repoId, what, !!o.token, await readServerMessage(res));
    }
    let append = false;
    if (res.status === 206) {
      const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
      if (start !== undefined && Number(start) === onDisk) append = true;
    }
    if (!append && onDisk > 0) {
      // A 200 (the server ignores Range) or a range we did not ask for: restart from zero.
      report(-onDisk);
      onDisk = 0;
      if (res.status === 206) {
        await res.body?.cancel().catch(() => undefined);
        removeQuietly(o.incompletePath);
        continue;
      }
    }
    if (append) resumed = true;
    if (o.expectedSize === undefined) {
      const stated = statedLength(res);
      if (stated !== undefined) {
        if (expected !== undefined && stated !== expected) {
          await res.body?.cancel().catch(() => undefined);
          throw new HubError(`${o.repoId}: ${what}: the server stated ${stated} bytes after stating ${expected}; run again`);
        }
        expected = stated;
      }
    }
    const fh = await fs.promises.open(o.incompletePath, append ? 'a' : 'w');
    let dropped: Error | undefined;
    try {
      const reader = res.body?.getReader();
      try {
        for (;;) {
          if (!reader) break;
          const { done, value } = await untilCancelled(reader.read(), o.signal);
          if (done) break;
          await fh.write(value);
          onDisk += value.length;
          report(value.length);
        }
      } finally {
        if (o.signal?.aborted) reader?.cancel().catch(() => undefined);
      }
    } catch (err) {
      if (o.signal?.aborted) throw new CancelledError();
      dropped = translateFetchError(err, o.url, o.signal);
    } finally {
      if (!dropped && (expected === undefined || onDisk >= expected)) await fh.sync();
      await fh.close();
    }
    if (expected !== undefined && onDisk < expected) {
      dropped ??= new HubError(`the connection ended early`);
    }
    if (dropped) {
      if (attemptsLeft-- > 0) continue; // resume with Range
      throw new HubError(
        `${o.repoId}: download of ${what} stopped after ${onDisk} of ${expected ?? '?'} bytes (${dropped.message}); the partial file is kept, run again to resume`,
      );
    }
    break;
  }

  if (expected !== undefined && onDisk !== expected) {
    removeQuietly(o.incompletePath);
    report(-onDisk);
    const source = o.expectedSize !== undefined ? 'the Hub lists' : 'the server stated';
    throw new HubError(`${o.repoId}: ${what} has ${onDisk} bytes, ${source} ${expected}; the partial file was deleted`);
  }
  if (expected === undefined && !o.sha256 && !o.gitBlobSha1) {
    removeQuietly(o.incompletePath);
    report(-onDisk);
    throw new HubError(
      `${o.repoId}: cannot check that ${what} arrived whole: the Hub lists no size or hash for it and the server sent no Content-Length; the file was deleted`,
    );
  }
  if (o.sha256) {
    const got = await sha256File(o.incompletePath, o.signal);
    if (got !== o.sha256.toLowerCase()) {
      removeQuietly(o.incompletePath);
      report(-onDisk);
      throw new HubError(`${o.repoId}: ${what} is corrupt: sha256 ${got}, expected ${o.sha256}; the file was deleted, run again`);
    }
  } else if (o.gitBlobSha1) {
    const got = await gitBlobSha1File(o.incompletePath, o.signal);
    if (got !== o.gitBlobSha1.toLowerCase()) {
      removeQuietly(o.incompletePath);
      report(-onDisk);
      throw new HubError(`${o.repoId}: ${what} is corrupt: git blob sha1 ${got}, expected ${o.gitBlobSha1}; the file was deleted, run again`);
    }
  }
  fs.mkdirSync(path.dirname(o.dest), { recursive: true });
  await commitTempFile(o.incompletePath, o.dest);
  return { bytes: onDisk, resumed };
}
