import { HubError, hubStatusError, readServerMessage } from './hub-errors';
import { hubGet } from './hub-fetch';
import { isCancelledError, untilCancelled } from '../../util/job';
import { relativePathProblem } from '../../util/paths';
import type { HubSettings } from './hub-settings';

/** One file of a Hub repository, as the model info API lists it with `?blobs=true`. */
export interface HubFile {
  /** Path inside the repository, with forward slashes. */
  path: string;
  /** Size in bytes, when listed. */
  size?: number;
  /** Git blob sha1 (for non-LFS files it hashes the content). */
  blobId?: string;
  /** For LFS files: the sha256 of the content and its size. */
  lfs?: { sha256: string; size: number };
}

export interface HubModelInfo {
  repoId: string;
  /** The commit sha the revision points to: every file is fetched at this commit. */
  sha: string;
  files: HubFile[];
}

interface RawSibling {
  rfilename?: unknown;
  size?: unknown;
  blobId?: unknown;
  lfs?: { sha256?: unknown; oid?: unknown; size?: unknown } | null;
}

const GIT_SHA1 = /^[0-9a-fA-F]{40}$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;
const isByteCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Lists a model's files at a revision and pins the revision to its commit sha. */
export async function fetchModelInfo(repoId: string, revision: string, settings: HubSettings, signal?: AbortSignal): Promise<HubModelInfo> {
  const url = `${settings.endpoint}/api/models/${repoId}/revision/${encodeURIComponent(revision)}?blobs=true`;
  const res = await hubGet(url, { token: settings.token, signal, headers: { accept: 'application/json' } });
  if (!res.ok) throw hubStatusError(res.status, repoId, `the file list at revision "${revision}"`, !!settings.token, await readServerMessage(res));
  let body: { sha?: unknown; siblings?: unknown };
  try {
    body = (await untilCancelled(res.json(), signal)) as typeof body;
  } catch (err) {
    if (isCancelledError(err)) throw err;
    throw new HubError(`${repoId}: the Hub answered the file list with something that is not JSON`);
  }
  if (typeof body.sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.sha) || !Array.isArray(body.siblings)) {
    throw new HubError(`${repoId}: the Hub's file list has no commit sha or no siblings`);
  }
  const files: HubFile[] = [];
  const bad = (name: string, problem: string) =>
    new HubError(`${repoId}: the Hub's file list names an unsafe file ${JSON.stringify(name)} (${problem}); nothing was downloaded`);
  for (const raw of body.siblings as RawSibling[]) {
    if (typeof raw.rfilename !== 'string') continue;
    const name = raw.rfilename;
    const pathProblem = relativePathProblem(name);
    if (pathProblem) throw bad(name, pathProblem);
    const f: HubFile = { path: name };
    if (raw.size !== undefined && raw.size !== null) {
      if (!isByteCount(raw.size)) throw bad(name, `its size ${JSON.stringify(raw.size)} is not a byte count`);
      f.size = raw.size;
    }
    if (raw.blobId !== undefined && raw.blobId !== null) {
      if (typeof raw.blobId !== 'string' || !GIT_SHA1.test(raw.blobId)) throw bad(name, `its blobId ${JSON.stringify(raw.blobId)} is not 40 hex digits`);
      f.blobId = raw.blobId.toLowerCase();
    }
    if (raw.lfs) {
      const sha256 = raw.lfs.sha256 ?? raw.lfs.oid;
      if (typeof sha256 !== 'string' || !SHA256.test(sha256)) throw bad(name, `its LFS sha256 ${JSON.stringify(sha256)} is not 64 hex digits`);
      if (!isByteCount(raw.lfs.size)) throw bad(name, `its LFS size ${JSON.stringify(raw.lfs.size)} is not a byte count`);
      f.lfs = { sha256: sha256.toLowerCase(), size: raw.lfs.size };
      f.size = raw.lfs.size;
    }
    files.push(f);
  }
  return { repoId, sha: body.sha, files };
}
