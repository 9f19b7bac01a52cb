/**
 * Embedding caches in <project>/.cache/embeddings/, one file per encoder (and role):
 *
 *   bytes 0–3   "ELEC" magic
 *   bytes 4–7   header length H (uint32 little-endian)
 *   8 … 8+H     JSON header, space-padded so the vectors start 4-byte aligned:
 *               {magic, schemaVersion, encoder, role, dim, count, dtype: "float32", hashes: [...]}
 *   8+H …       count × dim float32 little-endian, row i for the text whose hash is hashes[i]
 *
 * `getCachedEmbeddings` embeds only the texts whose hash is not cached, then writes the
 * merged cache back atomically. A damaged cache is ignored (reported) and rebuilt.
 */
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/fs';
import { createMatrix, type Matrix } from '../util/matrix';
import type { Encoder, TextRole } from '../encoders/encoder';
import type { JobOptions } from '../util/job';
import { projectPaths } from './store';

export const EMBEDDING_CACHE_SCHEMA_VERSION = 1;
const MAGIC = 'ELEC';
const HEADER_MAGIC = 'embedlab-embeddings';

export interface EmbeddingCacheHeader {
  magic: string;
  schemaVersion: number;
  encoder: string;
  role: string;
  dim: number;
  count: number;
  dtype: 'float32';
  hashes: string[];
}

export interface EmbeddingCache {
  header: EmbeddingCacheHeader;
  vectors: Float32Array;
}

/** A short, stable hash of a text (SHA-256, 96 bits in hex). */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 24);
}

/** The cache file of an encoder id and role in a cache folder. */
export function embeddingCacheFile(cacheDir: string, encoderId: string, role: TextRole | undefined): string {
  const key = `${encoderId}#${role ?? 'passage'}`;
  const slug = encoderId.replace(/[^\w.-]+/g, '_').slice(0, 60);
  return path.join(cacheDir, `${slug}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}.bin`);
}

/** Serialises a cache to bytes. */
export function encodeEmbeddingCache(header: EmbeddingCacheHeader, vectors: Float32Array): Buffer {
  let json = JSON.stringify(header);
  const pad = (4 - ((Buffer.byteLength(json) + 8) % 4)) % 4;
  json += ' '.repeat(pad);
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(Buffer.byteLength(json), 4);
  const body = Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  return Buffer.concat([head, Buffer.from(json, 'utf8'), body]);
}

/** Parses and checks a cache file's bytes; throws an Error naming what is wrong. */
export function decodeEmbeddingCache(bytes: Buffer): EmbeddingCache {
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) throw new Error('not an embedding cache (bad magic)');
  const h = bytes.readUInt32LE(4);
  if (8 + h > bytes.length) throw new Error('header runs past the end of the file');
  let header: EmbeddingCacheHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', 8, 8 + h)) as EmbeddingCacheHeader;
  } catch {
    throw new Error('header is not valid JSON');
  }
  if (header.magic !== HEADER_MAGIC) throw new Error('field "magic" is wrong');
  if (header.schemaVersion !== EMBEDDING_CACHE_SCHEMA_VERSION) throw new Error(`field "schemaVersion" is ${header.schemaVersion}`);
  if (header.dtype !== 'float32') throw new Error('field "dtype" must be float32');
  if (!Number.isInteger(header.dim) || header.dim <= 0) throw new Error('field "dim" is invalid');
  if (!Array.isArray(header.hashes) || header.hashes.length !== header.count) throw new Error('field "hashes" does not match "count"');
  const need = header.count * header.dim * 4;
  if (bytes.length - 8 - h !== need) throw new Error(`holds ${bytes.length - 8 - h} bytes of vectors, expected ${need}`);
  const copy = new Float32Array(header.count * header.dim);
  new Uint8Array(copy.buffer).set(bytes.subarray(8 + h));
  return { header, vectors: copy };
}

export interface CachedEmbeddingsOptions extends JobOptions {
  role?: TextRole;
  /** Folder of the cache files; default <projectDir>/.cache/embeddings. */
  cacheDir?: string;
}

export interface CachedEmbeddings {
  matrix: Matrix;
  /** Texts found in the cache, and texts the encoder embedded now (distinct texts). */
  hits: number;
  embedded: number;
  file: string;
  /** Set when an existing cache file was unreadable and has been rebuilt. */
  problem?: string;
}

/**
 * Embeds `texts` with `encoder`, reusing cached vectors keyed by encoder id and text hash.
 * Only texts not in the cache reach the encoder (each distinct text once).
 */
export async function getCachedEmbeddings(
  projectDir: string,
  encoder: Encoder,
  texts: readonly string[],
  options: CachedEmbeddingsOptions = {},
): Promise<CachedEmbeddings> {
  const dir = options.cacheDir ?? projectPaths(projectDir).embeddingsCache;
  const file = embeddingCacheFile(dir, encoder.id, options.role);
  const dim = encoder.dimension;
  let cache: EmbeddingCache | undefined;
  let problem: string | undefined;
  try {
    cache = decodeEmbeddingCache(await fs.readFile(file));
    if (cache.header.encoder !== encoder.id || cache.header.dim !== dim) {
      problem = `${file}: made by ${cache.header.encoder} (dim ${cache.header.dim}); rebuilt`;
      cache = undefined;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problem = `${file}: ${(e as Error).message}; rebuilt`;
  }
  const rowOf = new Map<string, number>();
  cache?.header.hashes.forEach((h, i) => rowOf.set(h, i));
  const hashes = texts.map(textHash);
  const missing: string[] = [];
  const missingHashes: string[] = [];
  const queued = new Set<string>();
  hashes.forEach((h, i) => {
    if (!rowOf.has(h) && !queued.has(h)) {
      queued.add(h);
      missing.push(texts[i]);
      missingHashes.push(h);
    }
  });
  const hits = new Set(hashes.filter((h) => rowOf.has(h))).size;
  let fresh: Matrix | undefined;
  if (missing.length) {
    fresh = await encoder.encode(missing, { role: options.role, signal: options.signal, onProgress: options.onProgress });
    if (fresh.rows !== missing.length || fresh.cols !== dim)
      throw new Error(`encoder ${encoder.id} returned ${fresh.rows}×${fresh.cols} for ${missing.length} texts of dimension ${dim}`);
  }
  const oldCount = cache?.header.count ?? 0;
  const freshRow = new Map<string, number>();
  missingHashes.forEach((h, i) => freshRow.set(h, i));
  const out = createMatrix(texts.length, dim);
  hashes.forEach((h, i) => {
    const r = rowOf.get(h);
    if (r !== undefined) out.data.set(cache!.vectors.subarray(r * dim, (r + 1) * dim), i * dim);
    else {
      const f = freshRow.get(h)!;
      out.data.set(fresh!.data.subarray(f * dim, (f + 1) * dim), i * dim);
    }
  });
  if (missing.length || problem) {
    const count = oldCount + missing.length;
    const vectors = new Float32Array(count * dim);
    if (cache) vectors.set(cache.vectors);
    if (fresh) vectors.set(fresh.data, oldCount * dim);
    const header: EmbeddingCacheHeader = {
      magic: HEADER_MAGIC,
      schemaVersion: EMBEDDING_CACHE_SCHEMA_VERSION,
      encoder: encoder.id,
      role: options.role ?? 'passage',
      dim,
      count,
      dtype: 'float32',
      hashes: [...(cache?.header.hashes ?? []), ...missingHashes],
    };
    await writeFileAtomic(file, encodeEmbeddingCache(header, vectors));
  }
  const result: CachedEmbeddings = { matrix: out, hits, embedded: missing.length, file };
  if (problem) result.problem = problem;
  return result;
}
