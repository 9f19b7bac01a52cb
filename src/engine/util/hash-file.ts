/**
 * Hashes of a file's content, read in chunks (models and data files can be large) into one buffer
 * reused for the whole file: a stream would allocate a fresh 64 KB chunk per read, and hashing an
 * 86 MB model that way left about 35 MB of freed-but-kept heap in the process's RSS.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { checkpoint } from './job';

/** Bytes read per call. */
const CHUNK = 1 << 20;

/** Feeds the file's bytes to `update`, chunk by chunk, checking `signal` between chunks. */
async function readChunks(file: string, update: (bytes: Uint8Array) => void, signal?: AbortSignal): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      await checkpoint(signal);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** The sha256 of a file's content, hex. */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const h = crypto.createHash('sha256');
  await readChunks(file, (b) => h.update(b), signal);
  return h.digest('hex');
}

/** The git blob sha1 of a file ("blob <size>\0" + content), as the Hugging Face Hub lists for non-LFS files. */
export async function gitBlobSha1File(file: string, signal?: AbortSignal): Promise<string> {
  const size = fs.statSync(file).size;
  const h = crypto.createHash('sha1');
  h.update(`blob ${size}\0`);
  await readChunks(file, (b) => h.update(b), signal);
  return h.digest('hex');
}
