import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { JobOptions } from '../../util/job';
import { throwIfCancelled } from '../../util/job';
import { fetchModelInfo } from './hub-api';
import { HubError } from './hub-errors';
import { isSetPresent, incompletePath, markComplete, readManifest, readRef, snapshotDir, snapshotFile, writeRef } from './hub-cache';
import { checkRepoId, checkRevision } from './hub-spec';
import { downloadFile } from './download-file';
import type { HubSettings, HubSettingsInput } from './hub-settings';
import { resolveHubSettings } from './hub-settings';
import { selectModelFiles } from './select-files';

export interface DownloadModelOptions extends JobOptions, HubSettingsInput {
  /** Branch, tag or commit sha (default "main"). */
  revision?: string;
  /** The ONNX file to fetch (default onnx/model.onnx, else model.onnx). */
  onnxFile?: string;
  /** Resumes after a dropped connection within one call (default 3). */
  resumeAttempts?: number;
}

export interface DownloadedModel {
  repoId: string;
  revision: string;
  /** The commit the revision was pinned to. */
  sha: string;
  /** The local model folder (a snapshot in the shared cache). */
  dir: string;
  /** The chosen ONNX file, relative to dir. */
  onnxFile: string;
  files: string[];
  /** Bytes fetched by this call (0 when everything was cached). */
  downloadedBytes: number;
  totalBytes: number;
  fromCache: boolean;
}

const DEFAULT_ONNX = ['onnx/model.onnx', 'model.onnx'];

/** Finds a complete cached snapshot without the network, or undefined. */
export function findCachedModel(repoId: string, revision: string, settings: HubSettings, onnxFile?: string): DownloadedModel | undefined {
  const sha = readRef(settings.hubCacheDir, repoId, revision);
  if (!sha) return undefined;
  const dir = snapshotDir(settings.hubCacheDir, repoId, sha);
  const manifest = readManifest(dir);
  if (!manifest) return undefined;
  const candidates = onnxFile ? [onnxFile] : [...DEFAULT_ONNX, ...Object.keys(manifest.complete).sort()];
  for (const c of candidates) {
    const files = manifest.complete[c];
    if (files && isSetPresent(dir, files)) {
      const totalBytes = files.reduce((s, f) => s + fs.statSync(snapshotFile(dir, f)).size, 0);
      return { repoId, revision, sha, dir, onnxFile: c, files, downloadedBytes: 0, totalBytes, fromCache: true };
    }
  }
  return undefined;
}

/**
 * Downloads the files a sentence-transformers ONNX encoder needs from the Hub into the
 * shared cache (or finds them there), pinned to the revision's commit sha. Progress is
 * reported as stage "download", bytes done/total across all files. Offline mode (option
 * or HF_HUB_OFFLINE=1) uses the cache only.
 */
export async function downloadModel(repoId: string, options: DownloadModelOptions = {}): Promise<DownloadedModel> {
  const settings = resolveHubSettings(options);
  const revision = options.revision ?? 'main';
  checkRepoId(repoId);
  checkRevision(revision);
  const { signal, onProgress } = options;
  if (settings.offline) {
    const cached = findCachedModel(repoId, revision, settings, options.onnxFile);
    if (cached) return cached;
    throw new HubError(
      `${repoId}@${revision}${options.onnxFile ? ` (${options.onnxFile})` : ''} is not in the cache ${settings.hubCacheDir}, and offline mode is on ` +
        `(HF_HUB_OFFLINE or --offline): download it once with \`embedlab download ${repoId}\` while online`,
    );
  }
  throwIfCancelled(signal);
  const info = await fetchModelInfo(repoId, revision, settings, signal);
  const selection = selectModelFiles(repoId, info.files, options.onnxFile);
  const dir = snapshotDir(settings.hubCacheDir, repoId, info.sha);
  const missing = selection.files.filter((f) => !fs.existsSync(snapshotFile(dir, f.path)));
  const totalBytes = selection.files.reduce((s, f) => s + (f.size ?? 0), 0);
  const cachedBytes = totalBytes - missing.reduce((s, f) => s + (f.size ?? 0), 0);
  let done = cachedBytes;
  let downloadedBytes = 0;
  let current = '';
  const emit = () => onProgress?.({ stage: 'download', done, total: totalBytes, message: current });
  emit();
  for (const f of missing) {
    current = f.path;
    const key = f.lfs?.sha256 ?? f.blobId ?? crypto.createHash('sha1').update(`${info.sha}/${f.path}`).digest('hex');
    const url = `${settings.endpoint}/${repoId}/resolve/${info.sha}/${f.path.split('/').map(encodeURIComponent).join('/')}`;
    const before = done;
    const res = await downloadFile({
      url,
      dest: snapshotFile(dir, f.path),
      incompletePath: incompletePath(settings.hubCacheDir, repoId, key),
      repoId,
      filePath: f.path,
      expectedSize: f.size,
      sha256: f.lfs?.sha256,
      gitBlobSha1: f.lfs ? undefined : f.blobId,
      token: settings.token,
      signal,
      resumeAttempts: options.resumeAttempts,
      onBytes: (d) => {
        done += d;
        emit();
      },
    });
    downloadedBytes += res.bytes;
    // Without a listed size, count what arrived.
    if (f.size === undefined) done = before + res.bytes;
  }
  const files = selection.files.map((f) => f.path);
  await markComplete(dir, repoId, info.sha, selection.onnxFile, files);
  await writeRef(settings.hubCacheDir, repoId, revision, info.sha);
  emit();
  return {
    repoId,
    revision,
    sha: info.sha,
    dir,
    onnxFile: selection.onnxFile,
    files,
    downloadedBytes,
    totalBytes,
    fromCache: missing.length === 0,
  };
}
