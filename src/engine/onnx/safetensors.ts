import * as fs from 'node:fs';
import { InputError } from '../util/errors';
import { writeFileAtomicSync } from '../util/fs';

/** One tensor read from a safetensors file, converted to float32. */
export interface SafeTensor {
  shape: number[];
  data: Float32Array;
}

/**
 * Reads a `.safetensors` file (8-byte little-endian header length, JSON header, raw data).
 * F32, F16, BF16 and F64 tensors are converted to Float32Array; integer tensors are skipped
 * (e.g. `position_ids` buffers).
 */
export function readSafetensors(file: string): Map<string, SafeTensor> {
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
  const out = new Map<string, SafeTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [start, end] = info.data_offsets;
    if (base + end > buf.length) throw new InputError(`tensor "${name}" runs past the end of the file (truncated?)`, { file });
    const bytes = buf.subarray(base + start, base + end);
    const data = toFloat32(info.dtype, bytes);
    if (data) out.set(name, { shape: info.shape, data });
  }
  return out;
}

function toFloat32(dtype: string, bytes: Buffer): Float32Array | undefined {
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

/** Writes float32 tensors as a `.safetensors` file (atomically), loadable by `safetensors.torch.load_file`. */
export function writeSafetensors(
  file: string,
  tensors: Map<string, { shape: readonly number[]; data: Float32Array }>,
  metadata: Record<string, string> = { format: 'pt' },
): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = [...tensors.keys()].sort();
  for (const name of names) {
    const t = tensors.get(name)!;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // align the data to 8 bytes
  const headerBytes = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerBytes.length));
  const parts: Uint8Array[] = [len, headerBytes];
  for (const name of names) {
    const d = tensors.get(name)!.data;
    parts.push(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  writeFileAtomicSync(file, parts);
}
