import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The Hub cache layout, shared by all projects (like huggingface_hub's):
 *
 *   <hubCacheDir>/models--org--name/refs/<revision>          the commit sha of a branch or tag
 *   <hubCacheDir>/models--org--name/snapshots/<sha>/<file>   complete, checked files only
 *   <hubCacheDir>/models--org--name/snapshots/<sha>/.embedlab-complete.json   which ONNX file sets are complete
 *   <hubCacheDir>/models--org--name/blobs/<key>.incomplete   partial downloads, resumed next time
 */
export function repoCacheDir(hubCacheDir: string, repoId: string): string {
  return path.join(hubCacheDir, `models--${repoId.replace(/\//g, '--')}`);
}

export function snapshotDir(hubCacheDir: string, repoId: string, sha: string): string {
  return path.join(repoCacheDir(hubCacheDir, repoId), 'snapshots', sha);
}

export function incompletePath(hubCacheDir: string, repoId: string, key: string): string {
  return path.join(repoCacheDir(hubCacheDir, repoId), 'blobs', `${key}.incomplete`);
}

function refFile(hubCacheDir: string, repoId: string, revision: string): string {
  return path.join(repoCacheDir(hubCacheDir, repoId), 'refs', revision);
}

/** Writes a small file through a temp file and a rename. */
export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export function writeRef(hubCacheDir: string, repoId: string, revision: string, sha: string): void {
  if (revision === sha) return;
  writeFileAtomic(refFile(hubCacheDir, repoId, revision), sha);
}

/** The commit sha a revision points to in the cache (a full sha is its own answer). */
export function readRef(hubCacheDir: string, repoId: string, revision: string): string | undefined {
  if (/^[0-9a-f]{40}$/.test(revision)) return revision;
  try {
    const sha = fs.readFileSync(refFile(hubCacheDir, repoId, revision), 'utf8').trim();
    return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** Which files make a complete model for each ONNX file downloaded into a snapshot. */
export interface SnapshotManifest {
  repoId: string;
  sha: string;
  /** ONNX file path → every file of that set (configs, tokenizer, the graph and its data). */
  complete: Record<string, string[]>;
}

const MANIFEST = '.embedlab-complete.json';

export function readManifest(dir: string): SnapshotManifest | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as SnapshotManifest;
    return m && typeof m.complete === 'object' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Records that the files for `onnxFile` are all in the snapshot. */
export function markComplete(dir: string, repoId: string, sha: string, onnxFile: string, files: string[]): void {
  const m = readManifest(dir) ?? { repoId, sha, complete: {} };
  m.complete[onnxFile] = [...files].sort();
  writeFileAtomic(path.join(dir, MANIFEST), JSON.stringify(m, null, 2) + '\n');
}

/** True when every file of a recorded set is on disk. */
export function isSetPresent(dir: string, files: readonly string[]): boolean {
  return files.every((f) => fs.existsSync(path.join(dir, f)));
}
