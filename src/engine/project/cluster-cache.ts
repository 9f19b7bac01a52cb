/**
 * Saved clusterings in <project>/.cache/clusters/, one file per dataset and encoder spec,
 * so the cluster map opens without re-running kNN, UMAP and HDBSCAN:
 *
 *   bytes 0–3   "ELCL" magic
 *   bytes 4–7   header length H (uint32 little-endian)
 *   8 … 8+H     JSON header, space-padded to a multiple of 4:
 *               {magic, schemaVersion, dataset, encoderSpec, encoderId, settings, recordsHash,
 *                count, knnK, clusters, outliers, metrics?, createdAt, seconds}
 *   then        coords   count × 2  float32   (the 2-d UMAP layout, row-major)
 *               labels   count      int32     (cluster per record, −1 = outlier)
 *               knnIds   count × knnK int32   (nearest records, cosine, self excluded)
 *               knnSims  count × knnK float32 (their cosine similarities)
 *
 * A clustering is *fresh* for a dataset when its `recordsHash` (ids and texts, in order)
 * matches. Files are written atomically; a damaged file reads as "none" and is rebuilt.
 */
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/fs';
import { projectPaths } from './store';

export const CLUSTER_CACHE_SCHEMA_VERSION = 1;
const MAGIC = 'ELCL';
const HEADER_MAGIC = 'embedlab-clustering';

export type ClusteringAlgorithm = 'hdbscan' | 'kmeans';

/** How a clustering was made (what the Cluster command asks for). */
export interface ClusteringSettings {
  algo: ClusteringAlgorithm;
  /** k-means: a number or 'auto'. */
  k?: number | 'auto';
  /** HDBSCAN minimum cluster size. */
  minClusterSize?: number;
  /** Give HDBSCAN outliers the nearest cluster. */
  reassignOutliers?: boolean;
  seed: number;
}

export interface ClusterTopic {
  id: number;
  size: number;
  keywords: string[];
}

/** Agreement of the clusters with the dataset's labels, when it has labels. */
export interface ClusteringMetrics {
  nmi: number;
  ari: number;
  purity: number;
}

export interface ClusteringHeader {
  magic: string;
  schemaVersion: number;
  dataset: string;
  /** The encoder spec as the project names it ("builtin", a folder, "run:<id>"…). */
  encoderSpec: string;
  /** The resolved encoder's id (its weights' identity). */
  encoderId: string;
  settings: ClusteringSettings;
  recordsHash: string;
  count: number;
  knnK: number;
  clusters: ClusterTopic[];
  outliers: number;
  metrics?: ClusteringMetrics;
  createdAt: string;
  seconds: number;
}

export interface SavedClustering {
  header: ClusteringHeader;
  coords: Float32Array;
  labels: Int32Array;
  knnIds: Int32Array;
  knnSims: Float32Array;
}

/** A hash of a dataset's records (ids and texts, in order): a clustering is fresh while it matches. */
export function recordsHash(records: readonly { id: string; text: string }[]): string {
  const h = createHash('sha256');
  for (const r of records) h.update(r.id).update('\u0000').update(r.text).update('\u0001');
  return h.digest('hex').slice(0, 32);
}

/** The folder of saved clusterings. */
export function clustersCacheDir(projectDir: string): string {
  return path.join(projectPaths(projectDir).cache, 'clusters');
}

/**
 * The file holding the latest clustering of `dataset` with the encoder `encoderSpec`
 * (whatever its settings: the last Cluster command wins).
 */
export function clusteringFile(projectDir: string, dataset: string, encoderSpec: string): string {
  const key = `${dataset}\u0000${encoderSpec}`;
  const slug = dataset.replace(/[^\w.-]+/g, '_').slice(0, 40);
  return path.join(clustersCacheDir(projectDir), `${slug}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}.bin`);
}

function byteView(a: Float32Array | Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Serialises a clustering; throws when the arrays do not match the header's counts. */
export function encodeClustering(c: SavedClustering): Buffer {
  const n = c.header.count;
  const k = c.header.knnK;
  if (c.coords.length !== 2 * n) throw new Error(`clustering: ${c.coords.length} coordinates for ${n} records`);
  if (c.labels.length !== n) throw new Error(`clustering: ${c.labels.length} labels for ${n} records`);
  if (c.knnIds.length !== n * k || c.knnSims.length !== n * k) throw new Error(`clustering: kNN arrays do not hold ${n} × ${k} entries`);
  let json = JSON.stringify(c.header);
  json += ' '.repeat((4 - ((Buffer.byteLength(json) + 8) % 4)) % 4);
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(Buffer.byteLength(json), 4);
  return Buffer.concat([head, Buffer.from(json, 'utf8'), byteView(c.coords), byteView(c.labels), byteView(c.knnIds), byteView(c.knnSims)]);
}

/** Parses and checks a clustering file's bytes; throws an Error naming what is wrong. */
export function decodeClustering(bytes: Buffer): SavedClustering {
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a saved clustering (bad magic)');
  const h = bytes.readUInt32LE(4);
  if (8 + h > bytes.length) throw new Error('header runs past the end of the file');
  let header: ClusteringHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', 8, 8 + h)) as ClusteringHeader;
  } catch {
    throw new Error('header is not valid JSON');
  }
  if (header.magic !== HEADER_MAGIC) throw new Error('field "magic" is wrong');
  if (header.schemaVersion !== CLUSTER_CACHE_SCHEMA_VERSION) throw new Error(`field "schemaVersion" is ${header.schemaVersion}`);
  const n = header.count;
  const k = header.knnK;
  if (!Number.isInteger(n) || n < 0) throw new Error('field "count" is invalid');
  if (!Number.isInteger(k) || k < 0) throw new Error('field "knnK" is invalid');
  if (!Array.isArray(header.clusters)) throw new Error('field "clusters" must be a list');
  const need = 4 * (2 * n + n + 2 * n * k);
  if (bytes.length - 8 - h !== need) throw new Error(`holds ${bytes.length - 8 - h} bytes of arrays, expected ${need}`);
  // Copy into aligned buffers (the file's buffer may not be 4-byte aligned).
  const body = new Uint8Array(need);
  body.set(bytes.subarray(8 + h));
  let offset = 0;
  const take = <T extends Float32Array | Int32Array>(make: (b: ArrayBuffer, o: number, len: number) => T, len: number): T => {
    const out = make(body.buffer, offset, len);
    offset += 4 * len;
    return out;
  };
  const coords = take((b, o, l) => new Float32Array(b, o, l), 2 * n);
  const labels = take((b, o, l) => new Int32Array(b, o, l), n);
  const knnIds = take((b, o, l) => new Int32Array(b, o, l), n * k);
  const knnSims = take((b, o, l) => new Float32Array(b, o, l), n * k);
  return { header, coords, labels, knnIds, knnSims };
}

export interface LoadedClustering {
  clustering?: SavedClustering;
  /** Set when a file was there but could not be read (it will be rebuilt). */
  problem?: string;
}

/** Reads a saved clustering; a missing file gives nothing, a damaged one a problem. */
export async function loadClustering(file: string): Promise<LoadedClustering> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { problem: `${file}: ${(e as Error).message}` };
  }
  try {
    return { clustering: decodeClustering(bytes) };
  } catch (e) {
    return { problem: `${file}: ${(e as Error).message}` };
  }
}

/** Writes a clustering atomically. */
export async function saveClustering(file: string, c: SavedClustering): Promise<void> {
  await writeFileAtomic(file, encodeClustering(c));
}

/** Reads only the header of a saved clustering file (undefined when unreadable). */
export async function readClusteringHeader(file: string): Promise<ClusteringHeader | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    if (bytesRead < 8 || head.toString('latin1', 0, 4) !== MAGIC) return undefined;
    const h = head.readUInt32LE(4);
    const json = Buffer.alloc(h);
    if ((await handle.read(json, 0, h, 8)).bytesRead < h) return undefined;
    const header = JSON.parse(json.toString('utf8')) as ClusteringHeader;
    return header.magic === HEADER_MAGIC && header.schemaVersion === CLUSTER_CACHE_SCHEMA_VERSION ? header : undefined;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The saved clusterings of a dataset (any encoder), by header, e.g. to colour the map by a run's clusters. */
export async function listClusterings(projectDir: string, dataset: string): Promise<{ file: string; header: ClusteringHeader }[]> {
  const dir = clustersCacheDir(projectDir);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const out: { file: string; header: ClusteringHeader }[] = [];
  for (const name of names.filter((x) => x.endsWith('.bin')).sort()) {
    const file = path.join(dir, name);
    const header = await readClusteringHeader(file);
    if (header && header.dataset === dataset) out.push({ file, header });
  }
  return out;
}
