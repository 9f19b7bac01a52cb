/** Hashes of a file's content, read as a stream (models and data files can be large). */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

/** The sha256 of a file's content, hex. */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { signal })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The git blob sha1 of a file ("blob <size>\0" + content), as the Hugging Face Hub lists for non-LFS files. */
export async function gitBlobSha1File(file: string, signal?: AbortSignal): Promise<string> {
  const size = fs.statSync(file).size;
  const h = crypto.createHash('sha1');
  h.update(`blob ${size}\0`);
  for await (const chunk of fs.createReadStream(file, { signal })) h.update(chunk as Buffer);
  return h.digest('hex');
}
