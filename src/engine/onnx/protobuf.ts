/**
 * A minimal protocol-buffers writer: just what ONNX's ModelProto needs (varints, 64-bit ints,
 * fixed32 floats, length-delimited strings/bytes/sub-messages, packed repeated fields).
 *
 * A message is built as a list of byte chunks, so that large tensors (raw_data of tens of MB)
 * are never copied while nesting; `toBytes()` or `chunks` hand the result to a file writer.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH = 2;

export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private pending: number[] = [];
  private size = 0;

  /** Total encoded length in bytes. */
  get length(): number {
    return this.size + this.pending.length;
  }

  /** The encoded message as chunks (in order). */
  get chunks(): Uint8Array[] {
    this.flush();
    return this.parts;
  }

  /** The encoded message as one buffer. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  /** An unsigned or non-negative varint field (int32, int64, enum, bool). Negative values use 10-byte two's complement. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  /** A float field (wire type fixed32). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.pending.push(b[0], b[1], b[2], b[3]);
    return this;
  }

  /** A UTF-8 string field. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A bytes field; the bytes are referenced, not copied. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH);
    this.varint(value.length);
    this.append(value);
    return this;
  }

  /** A nested message field. */
  message(field: number, msg: ProtoWriter): this {
    this.tag(field, WIRE_LENGTH);
    this.varint(msg.length);
    for (const c of msg.chunks) this.append(c);
    return this;
  }

  /** A packed repeated varint field (e.g. TensorProto.dims, int64_data, AttributeProto.ints). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    this.tag(field, WIRE_LENGTH);
    this.varint(inner.length);
    for (const c of inner.chunks) this.append(c);
    return this;
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    if (v < 0x80n) {
      this.pending.push(Number(v));
      return;
    }
    while (v >= 0x80n) {
      this.pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pending.push(Number(v));
  }

  private append(chunk: Uint8Array): void {
    this.flush();
    this.parts.push(chunk);
    this.size += chunk.length;
  }

  private flush(): void {
    if (this.pending.length) {
      this.parts.push(Uint8Array.from(this.pending));
      this.size += this.pending.length;
      this.pending = [];
    }
  }
}
