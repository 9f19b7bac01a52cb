import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../util/fs';
import { relativePathProblem, resolveInside } from '../../util/paths';
import { HubError } from './hub-errors';

/**
 * The Hub cache layout, shared by all projects (like huggingface_hub's):
 *
 *   <hubCacheDir>/models--org--name/refs/<revision>          the commit sha of a branch or tag
 *   <hubCacheDir>/models--org--name/snapshots/<sha>/<file>   complete, checked files only
 *   <hubCacheDir>/models--org--name/snapshots/<sha>/.embedlab-complete.json   which ONNX file sets are complete
 *   <hubCacheDir>/models--org--name/blobs/<key>.incomplete   partial downloads, resumed next time
 *
 * Every path is resolved with `resolveInside`, so a name from the server or the user that
 * slipped past the checks still cannot leave the cache.
 */
const COMMIT_SHA = /^[0-9a-f]{40}$/;
const BLOB_KEY = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function repoCacheDir(hubCacheDir: string, repoId: string): string {
  return resolveInside(hubCacheDir, `models--${repoId.replace(/\//g, '--')}`, 'encoder');
}

export function snapshotDir(hubCacheDir: string, repoId: string, sha: string): string {
  if (!COMMIT_SHA.test(sha)) throw new HubError(`${repoId}: commit sha ${JSON.stringify(sha)} is not 40 lowercase hex digits`);
  return resolveInside(repoCacheDir(hubCacheDir, repoId), path.join('snapshots', sha));
}

/** A file of a snapshot; `file` is the repository path (forward slashes), checked to stay in the snapshot. */
export function snapshotFile(dir: string, file: string): string {
  const problem = relativePathProblem(file);
  if (problem) throw new HubError(`unsafe file name ${JSON.stringify(file)} (${problem})`);
  return resolveInside(dir, file);
}

/** Where a partial download accumulates; `key` is a sha256 or a git blob sha1 in hex. */
export function incompletePath(hubCacheDir: string, repoId: string, key: string): string {
  if (!BLOB_KEY.test(key)) throw new HubError(`${repoId}: blob key ${JSON.stringify(key)} is not a hex sha1 or sha256`);
  return resolveInside(repoCacheDir(hubCacheDir, repoId), path.join('blobs', `${key}.incomplete`));
}

function refFile(hubCacheDir: string, repoId: string, revision: string): string {
  const problem = relativePathProblem(revision);
  if (problem) throw new HubError(`${repoId}: revision ${JSON.stringify(revision)} cannot name a ref (${problem})`);
  return resolveInside(path.join(repoCacheDir(hubCacheDir, repoId), 'refs'), revision, 'revision');
}

export async function writeRef(hubCacheDir: string, repoId: string, revision: string, sha: string): Promise<void> {
  if (revision === sha) return;
  await writeFileAtomic(refFile(hubCacheDir, repoId, revision), sha);
}

/** The commit sha a revision points to in the cache (a full sha is its own answer). */
export function readRef(hubCacheDir: string, repoId: string, revision: string): string | undefined {
  if (COMMIT_SHA.test(revision)) return revision;
  try {
    const sha = fs.readFileSync(refFile(hubCacheDir, repoId, revision), 'utf8').trim();
    return COMMIT_SHA.test(sha) ? sha : undefined;
  } catch (err) {
    if (err instanceof HubError) throw err;
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
export async function markComplete(dir: string, repoId: string, sha: string, onnxFile: string, files: string[]): Promise<void> {
  const m = readManifest(dir) ?? { repoId, sha, complete: {} };
  m.complete[onnxFile] = [...files].sort();
  await writeFileAtomic(path.join(dir, MANIFEST), JSON.stringify(m, null, 2) + '\n');
}

/** True when every file of a recorded set is on disk (a set naming a path outside the snapshot is not). */
export function isSetPresent(dir: string, files: readonly string[]): boolean {
  return Array.isArray(files) && files.every((f) => typeof f === 'string' && !relativePathProblem(f) && fs.existsSync(path.join(dir, f)));
}
