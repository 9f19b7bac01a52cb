import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes chunks to `file` through a temp file in the same folder, then renames it into place. */
export function writeFileAtomic(file: string, chunks: readonly Uint8Array[] | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    if (typeof chunks === 'string') fs.writeFileSync(tmp, chunks);
    else {
      const fd = fs.openSync(tmp, 'w');
      try {
        for (const c of chunks) {
          let off = 0;
          while (off < c.length) off += fs.writeSync(fd, c, off, c.length - off);
        }
      } finally {
        fs.closeSync(fd);
      }
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
