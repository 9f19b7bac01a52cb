import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../../util/fs';
import { InputError } from '../../util/errors';
import { BUILTIN_METHOD_VERSION, BuiltinEncoder, hashBuiltinState, type BuiltinState } from './encoder';
import { checkBuiltinOptions, defaultBuiltinOptions, type BuiltinOptions } from './options';

/**
 * A saved built-in encoder: "EMBLBI01", a uint32 (little-endian) header length, a UTF-8
 * JSON header (schemaVersion, options, rank, features, terms), zero padding to a multiple
 * of 4, then Float32 little-endian: lexicalWeight[features], topicWeight[features],
 * singularValues[rank], components[features × rank].
 *
 * Older files are no longer read: their vectors differ from this version's, so such a file is
 * refused with a message to refit. schemaVersion 1: TF-IDF → LSA only, one IDF per column;
 * schemaVersion 2: the sketch's hashes followed the fit's seed and the SVD had 3 power iterations.
 */
const MAGIC = 'EMBLBI01';
const SCHEMA_VERSION = 3;

interface BuiltinFileHeader {
  schemaVersion: number;
  kind: 'builtin';
  id: string;
  /** BUILTIN_METHOD_VERSION of the fit (absent in files saved before it was recorded). */
  methodVersion?: number;
  options: BuiltinOptions;
  rank: number;
  features: number;
  wordCount: number;
  terms: string[];
}

/** Writes the fitted encoder to `file` atomically (temp file, then rename). */
export async function saveBuiltinEncoder(encoder: BuiltinEncoder, file: string): Promise<void> {
  const { state } = encoder;
  const header: BuiltinFileHeader = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'builtin',
    id: encoder.id,
    methodVersion: state.methodVersion ?? BUILTIN_METHOD_VERSION,
    options: state.options,
    rank: state.rank,
    features: state.tfidf.terms.length,
    wordCount: state.tfidf.wordCount,
    terms: state.tfidf.terms,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + json.length) % 4)) % 4;
  const prefix = Buffer.alloc(MAGIC.length + 4 + json.length + pad);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, MAGIC.length);
  json.copy(prefix, MAGIC.length + 4);
  const bytes = (a: Float32Array): Uint8Array => {
    const b = Buffer.alloc(a.byteLength);
    for (let i = 0; i < a.length; i++) b.writeFloatLE(a[i], i * 4);
    return b;
  };
  await writeFileAtomic(file, [
    prefix,
    bytes(state.tfidf.lexicalWeight),
    bytes(state.tfidf.topicWeight),
    bytes(state.singularValues),
    bytes(state.components),
  ]);
}

/** Loads an encoder saved by `saveBuiltinEncoder`; a damaged or outdated file is an InputError naming it. */
export async function loadBuiltinEncoder(file: string): Promise<BuiltinEncoder> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (err) {
    throw new InputError(`cannot read the built-in encoder: ${(err as Error).message}`, { file });
  }
  if (buf.length < 12 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC)
    throw new InputError('not a saved built-in encoder (bad magic)', { file });
  const jsonLength = buf.readUInt32LE(MAGIC.length);
  let header: BuiltinFileHeader;
  try {
    header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + jsonLength)) as BuiltinFileHeader;
  } catch {
    throw new InputError('the header is not valid JSON', { file, field: 'header' });
  }
  if (typeof header.schemaVersion === 'number' && header.schemaVersion < SCHEMA_VERSION)
    throw new InputError(
      `saved by an older built-in encoder (schemaVersion ${header.schemaVersion}; this version reads ${SCHEMA_VERSION}, ` +
        'whose vectors differ): refit it on its corpus with the "builtin" encoder and save it again',
      { file, field: 'schemaVersion' },
    );
  if (header.schemaVersion !== SCHEMA_VERSION)
    throw new InputError(`unsupported schemaVersion ${String(header.schemaVersion)} (this version reads ${SCHEMA_VERSION})`, {
      file,
      field: 'schemaVersion',
    });
  const { rank, features } = header;
  if (!Number.isInteger(rank) || rank < 1) throw new InputError('bad rank', { file, field: 'rank' });
  if (!Array.isArray(header.terms) || header.terms.length !== features)
    throw new InputError(`expected ${features} terms`, { file, field: 'terms' });
  let offset = MAGIC.length + 4 + jsonLength;
  offset += (4 - (offset % 4)) % 4;
  const expected = offset + 4 * (2 * features + rank + features * rank);
  if (buf.length !== expected) throw new InputError(`the file has ${buf.length} bytes, expected ${expected} (truncated?)`, { file });
  const read = (count: number): Float32Array => {
    const a = new Float32Array(count);
    for (let i = 0; i < count; i++) a[i] = buf.readFloatLE(offset + i * 4);
    offset += count * 4;
    return a;
  };
  const lexicalWeight = read(features);
  const topicWeight = read(features);
  const singularValues = read(rank);
  const components = read(features * rank);
  const options: BuiltinOptions = { ...defaultBuiltinOptions, ...header.options };
  try {
    checkBuiltinOptions(options);
  } catch (err) {
    throw new InputError((err as Error).message, { file, field: 'options' });
  }
  const state: BuiltinState = {
    options,
    tfidf: { options, terms: header.terms, wordCount: header.wordCount, lexicalWeight, topicWeight },
    components,
    singularValues,
    rank,
  };
  state.methodVersion = methodVersionOf(header, state);
  if (state.methodVersion === undefined)
    throw new InputError(`the content does not match its id ${header.id} (damaged file?)`, { file, field: 'id' });
  const encoder = new BuiltinEncoder(state);
  if (state.methodVersion < BUILTIN_METHOD_VERSION)
    encoder.notes = [
      ...encoder.notes,
      `fitted by an earlier built-in encoder (method ${state.methodVersion}; this version fits with method ${BUILTIN_METHOD_VERSION}); it encodes as saved`,
    ];
  return encoder;
}

/**
 * The method version a saved state was fitted with: the header's, checked against its id; for a
 * file from before the version was recorded, the version whose id matches (the id hashes it).
 * Undefined when none does: the content was changed.
 */
function methodVersionOf(header: BuiltinFileHeader, state: BuiltinState): number | undefined {
  if (!header.id) return header.methodVersion ?? BUILTIN_METHOD_VERSION;
  const candidates = typeof header.methodVersion === 'number' ? [header.methodVersion] : Array.from({ length: BUILTIN_METHOD_VERSION }, (_, i) => BUILTIN_METHOD_VERSION - i);
  for (const v of candidates) if (hashBuiltinState({ ...state, methodVersion: v }) === header.id.replace(/^builtin:/, '')) return v;
  return undefined;
}
