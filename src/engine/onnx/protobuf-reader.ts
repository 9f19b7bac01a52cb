/**
 * A minimal protocol-buffers reader: walks the fields of one message (varint, fixed64,
 * length-delimited, fixed32) without a schema. Length-delimited values are views into the
 * input buffer (no copy), so nested messages and tens of MB of raw tensor data cost nothing
 * until they are used.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

/** One field of a message: its number, wire type and value (a number for varints and fixed ints, bytes otherwise). */
export interface ProtoField {
  field: number;
  wire: number;
  /** Varint (as a JS number; exact below 2^53) or the fixed32/fixed64 value's integer bits. */
  int: number;
  /** Length-delimited payload, or the 4/8 raw bytes of a fixed field. */
  bytes: Uint8Array;
}

export class ProtoFormatError extends Error {
  override name = 'ProtoFormatError';
}

/** Reads a varint at `pos`; returns [value, next position]. Values above 2^53 lose precision (never sizes or dims). */
export function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtoFormatError('truncated varint');
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
  throw new ProtoFormatError('varint longer than 10 bytes');
}

const EMPTY = new Uint8Array(0);

/** The fields of one message, in order (repeated fields appear once per value). */
export function* protoFields(buf: Uint8Array): Generator<ProtoField> {
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new ProtoFormatError('field number 0');
    switch (wire) {
      case WIRE_VARINT: {
        const [v, next] = readVarint(buf, pos);
        pos = next;
        yield { field, wire, int: v, bytes: EMPTY };
        break;
      }
      case WIRE_FIXED64: {
        if (pos + 8 > buf.length) throw new ProtoFormatError('truncated fixed64');
        const bytes = buf.subarray(pos, pos + 8);
        pos += 8;
        yield { field, wire, int: 0, bytes };
        break;
      }
      case WIRE_LENGTH: {
        const [len, start] = readVarint(buf, pos);
        if (start + len > buf.length) throw new ProtoFormatError(`field ${field}: ${len} bytes run past the end of the message`);
        pos = start + len;
        yield { field, wire, int: len, bytes: buf.subarray(start, pos) };
        break;
      }
      case WIRE_FIXED32: {
        if (pos + 4 > buf.length) throw new ProtoFormatError('truncated fixed32');
        const bytes = buf.subarray(pos, pos + 4);
        pos += 4;
        yield { field, wire, int: 0, bytes };
        break;
      }
      default:
        throw new ProtoFormatError(`unsupported wire type ${wire} (field ${field})`);
    }
  }
}

/** A repeated integer field, packed (one length-delimited run) or not (one varint per value). */
export function appendInts(f: ProtoField, out: number[]): void {
  if (f.wire === WIRE_VARINT) {
    out.push(f.int);
    return;
  }
  if (f.wire !== WIRE_LENGTH) throw new ProtoFormatError(`field ${f.field}: expected integers`);
  let pos = 0;
  while (pos < f.bytes.length) {
    const [v, next] = readVarint(f.bytes, pos);
    out.push(v);
    pos = next;
  }
}

/** UTF-8 text of a length-delimited field. */
export function protoString(f: ProtoField): string {
  return new TextDecoder().decode(f.bytes);
}
