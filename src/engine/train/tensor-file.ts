/**
 * Named Float32 tensors in the safetensors layout: an 8-byte little-endian header length, a
 * JSON header {name: {dtype: "F32", shape, data_offsets}}, then the raw data. Python's
 * `safetensors.numpy.load_file` reads these files.
 */
import { promises as fs } from 'node:fs';
import type { HeadWeights } from './heads/index';
import { writeFileAtomic } from '../util/fs';

export function encodeSafetensors(tensors: HeadWeights, metadata?: Record<string, string>): Buffer {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const bytes = tensors[name].data.length * 4;
    header[name] = { dtype: 'F32', shape: tensors[name].shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const d = tensors[name].data;
    Buffer.from(d.buffer, d.byteOffset, d.byteLength).copy(out, pos);
    pos += d.byteLength;
  }
  return out;
}

export function decodeSafetensors(buf: Buffer, file = 'safetensors'): HeadWeights {
  if (buf.length < 8) throw new Error(`${file}: too short for a safetensors file`);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + n;
  const out: HeadWeights = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (info.dtype !== 'F32') throw new Error(`${file}: tensor ${name} has dtype ${info.dtype}; only F32 is supported`);
    const [a, b] = info.data_offsets;
    const copy = new Uint8Array(b - a);
    copy.set(buf.subarray(base + a, base + b));
    out[name] = { shape: info.shape, data: new Float32Array(copy.buffer) };
  }
  return out;
}

export async function writeTensors(file: string, tensors: HeadWeights, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}

export async function readTensors(file: string): Promise<HeadWeights> {
  return decodeSafetensors(await fs.readFile(file), file);
}
