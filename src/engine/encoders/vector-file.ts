import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import type { Matrix } from '../util/matrix';

/**
 * Embedding files.
 *
 * The project's vector format (`.f32`, any name not ending in `.npy`):
 *   bytes 0–7   ASCII magic "EMBLVEC1"
 *   bytes 8–11  uint32 little-endian: n, the byte length of the JSON header
 *   n bytes     UTF-8 JSON header, space-padded so that the data starts at a multiple of 8
 *   rows × cols float32 little-endian values, row-major
 * Header: `{schemaVersion: 1, dtype: "float32", rows, cols, encoder, normalized, ids?, textHash?, createdAt}`.
 *
 * `.npy`: NumPy format 1.0, dtype '<f4', C order, shape (rows, cols), loadable with `numpy.load`.
 */

export const VECTOR_FILE_MAGIC = 'EMBLVEC1';

export interface VectorFileHeader {
  schemaVersion: 1;
  dtype: 'float32';
  rows: number;
  cols: number;
  /** The encoder id (see `Encoder.id`). */
  encoder: string;
  normalized: boolean;
  /** One id per row, when known. */
  ids?: string[];
  /** A hash of the texts, so caches can tell when they changed. */
  textHash?: string;
  createdAt?: string;
}

/** Writes vectors with their header (atomically: a temp file, then a rename). */
export function writeVectorFile(file: string, m: Matrix, header: Omit<VectorFileHeader, 'schemaVersion' | 'dtype' | 'rows' | 'cols'>): void {
  const full: VectorFileHeader = { schemaVersion: 1, dtype: 'float32', rows: m.rows, cols: m.cols, ...header };
  let json = Buffer.from(JSON.stringify(full), 'utf8');
  const pad = (8 - ((12 + json.length) % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.from(' '.repeat(pad))]);
  const pre = Buffer.alloc(12);
  pre.write(VECTOR_FILE_MAGIC, 0, 'ascii');
  pre.writeUInt32LE(json.length, 8);
  writeAtomic(file, [pre, json, floatBytes(m.data, m.rows * m.cols)]);
}

/** Reads a vector file; a wrong magic, a bad header or a short file is an `InputError` naming the file. */
export function readVectorFile(file: string): { header: VectorFileHeader; matrix: Matrix } {
  const buf = readFile(file);
  if (buf.length < 12 || buf.toString('ascii', 0, 8) !== VECTOR_FILE_MAGIC) throw new InputError('not an Embedding Lab vector file', { file });
  const n = buf.readUInt32LE(8);
  let header: VectorFileHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + n)) as VectorFileHeader;
  } catch (err) {
    throw new InputError(`invalid header: ${(err as Error).message}`, { file });
  }
  if (header.schemaVersion !== 1 || header.dtype !== 'float32') throw new InputError('unsupported schemaVersion or dtype', { file });
  const start = 12 + n;
  const count = header.rows * header.cols;
  if (buf.length < start + count * 4) throw new InputError(`truncated: ${count} values expected`, { file });
  const data = new Float32Array(new Uint8Array(buf.subarray(start, start + count * 4)).buffer);
  return { header, matrix: { rows: header.rows, cols: header.cols, data } };
}

/** Writes a float32 matrix as a NumPy `.npy` file (format 1.0), atomically. */
export function writeNpy(file: string, m: Matrix): void {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(dict.length, 8);
  writeAtomic(file, [pre, Buffer.from(dict, 'latin1'), floatBytes(m.data, m.rows * m.cols)]);
}

/** Reads a 2-D little-endian float32 C-order `.npy` file. */
export function readNpy(file: string): Matrix {
  const buf = readFile(file);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new InputError('not a .npy file', { file });
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const dict = buf.toString('latin1', major === 1 ? 10 : 12, start);
  if (!dict.includes("'<f4'") || dict.includes("'fortran_order': True")) throw new InputError('only little-endian float32 C-order arrays', { file });
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(dict);
  if (!shape) throw new InputError('only 2-D arrays', { file });
  const rows = Number(shape[1]);
  const cols = Number(shape[2]);
  const data = new Float32Array(new Uint8Array(buf.subarray(start, start + rows * cols * 4)).buffer);
  if (data.length !== rows * cols) throw new InputError('truncated .npy file', { file });
  return { rows, cols, data };
}

function floatBytes(data: Float32Array, count: number): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, count * 4);
}

function readFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new InputError(`cannot read: ${(err as Error).message}`, { file });
  }
}

function writeAtomic(file: string, chunks: readonly Uint8Array[]): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat(chunks));
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
