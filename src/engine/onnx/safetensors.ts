import * as fs from 'node:fs';
import { InputError } from '../util/errors';
import { writeFileAtomicSync } from '../util/fs';

/** One tensor read from a safetensors file, converted to float32. */
export interface SafeTensor {
  shape: number[];
  data: Float32Array;
}

/** One tensor as stored: its dtype name (F32, F16, I64, …), shape and raw little-endian bytes. */
export interface RawSafeTensor {
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

/**
 * Reads every tensor of a `.safetensors` file (8-byte little-endian header length, JSON header,
 * raw data) as stored, whatever its dtype, in file order.
 */
export function readSafetensorsRaw(file: string): Map<string, RawSafeTensor> {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new InputError(`cannot read: ${(err as Error).message}`, { file });
  }
  if (buf.length < 8) throw new InputError('truncated safetensors file', { file });
  const headerLen = Number(buf.readBigUInt64LE(0));
  if (8 + headerLen > buf.length) throw new InputError('truncated safetensors header', { file });
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + headerLen).toString('utf8'));
  } catch (err) {
    throw new InputError(`invalid safetensors header: ${(err as Error).message}`, { file });
  }
  const base = 8 + headerLen;
  const out = new Map<string, RawSafeTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [start, end] = info.data_offsets;
    if (base + end > buf.length) throw new InputError(`tensor "${name}" runs past the end of the file (truncated?)`, { file });
    out.set(name, { dtype: info.dtype, shape: info.shape, bytes: buf.subarray(base + start, base + end) });
  }
  return out;
}

/**
 * Reads a `.safetensors` file's floating-point tensors: F32, F16, BF16 and F64 tensors are
 * converted to Float32Array; integer tensors are skipped (e.g. `position_ids` buffers).
 */
export function readSafetensors(file: string): Map<string, SafeTensor> {
  const out = new Map<string, SafeTensor>();
  for (const [name, t] of readSafetensorsRaw(file)) {
    const data = toFloat32(t.dtype, t.bytes);
    if (data) out.set(name, { shape: t.shape, data });
  }
  return out;
}

function toFloat32(dtype: string, bytes: Uint8Array): Float32Array | undefined {
  const copy = new Uint8Array(bytes).buffer; // aligned copy
  switch (dtype) {
    case 'F32':
      return new Float32Array(copy);
    case 'F64':
      return Float32Array.from(new Float64Array(copy));
    case 'F16': {
      const u = new Uint16Array(copy);
      const out = new Float32Array(u.length);
      for (let i = 0; i < u.length; i++) out[i] = halfToFloat(u[i]);
      return out;
    }
    case 'BF16': {
      const u = new Uint16Array(copy);
      const u32 = new Uint32Array(u.length);
      for (let i = 0; i < u.length; i++) u32[i] = u[i] << 16;
      return new Float32Array(u32.buffer);
    }
    default:
      return undefined;
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/**
 * Writes tensors as a `.safetensors` file (atomically), loadable by `safetensors.torch.load_file`:
 * float32 arrays are written as F32, raw tensors (`readSafetensorsRaw`) with their own dtype and bytes.
 */
export function writeSafetensors(
  file: string,
  tensors: Map<string, { shape: readonly number[]; data: Float32Array } | RawSafeTensor>,
  metadata: Record<string, string> = { format: 'pt' },
): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = [...tensors.keys()].sort();
  const chunks: Uint8Array[] = [];
  for (const name of names) {
    const t = tensors.get(name)!;
    const bytes = 'bytes' in t ? t.bytes : new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype: 'bytes' in t ? t.dtype : 'F32', shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    offset += bytes.byteLength;
    chunks.push(bytes);
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // align the data to 8 bytes
  const headerBytes = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerBytes.length));
  writeFileAtomicSync(file, [len, headerBytes, ...chunks]);
}
