/**
 * Reads the parts of an ONNX model that hold weights: the graph's initializers (and the
 * tensors of Constant nodes), converted to float32, and the nodes' wiring (op type, inputs,
 * outputs, integer attributes) so that a weight's role can be found from the ops that use
 * it. Field numbers from onnx/onnx.proto. Tensors stored as external data (a file next to
 * the model) are read too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { appendInts, ProtoFormatError, protoFields, protoString, WIRE_VARINT } from './protobuf-reader';

/** A float tensor of the graph, row-major. */
export interface OnnxTensor {
  dims: number[];
  data: Float32Array;
}

export interface OnnxGraphNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes (e.g. Gemm transB). */
  ints: Record<string, number>;
}

export interface OnnxWeightsGraph {
  /** Float initializers and Constant-node tensors, by name (a Constant's name is its output). */
  tensors: Map<string, OnnxTensor>;
  nodes: OnnxGraphNode[];
  /** Initializers of other element types (int8 weights of a quantized model, int64 shapes). */
  otherTypes: Map<string, number>;
}

// TensorProto.DataType
const FLOAT = 1;
const FLOAT16 = 10;
const DOUBLE = 11;
const BFLOAT16 = 16;

/** Reads an ONNX file's weights and node wiring. Throws `InputError` naming the file. */
export function readOnnxWeights(file: string): OnnxWeightsGraph {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new InputError(`cannot read: ${(err as Error).message}`, { file });
  }
  try {
    return parseModel(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path.dirname(file));
  } catch (err) {
    if (err instanceof ProtoFormatError) throw new InputError(`not a valid ONNX file (${err.message})`, { file });
    if (err instanceof InputError) throw err;
    throw new InputError((err as Error).message, { file });
  }
}

function parseModel(buf: Uint8Array, baseDir: string): OnnxWeightsGraph {
  const out: OnnxWeightsGraph = { tensors: new Map(), nodes: [], otherTypes: new Map() };
  let sawGraph = false;
  for (const f of protoFields(buf)) {
    if (f.field === 7) {
      sawGraph = true;
      parseGraph(f.bytes, baseDir, out);
    }
  }
  if (!sawGraph) throw new ProtoFormatError('no graph in the model');
  return out;
}

function parseGraph(buf: Uint8Array, baseDir: string, out: OnnxWeightsGraph): void {
  for (const f of protoFields(buf)) {
    if (f.field === 1) out.nodes.push(parseNode(f.bytes, baseDir, out));
    else if (f.field === 5) {
      const t = parseTensor(f.bytes, baseDir);
      if (t.data) out.tensors.set(t.name, { dims: t.dims, data: t.data });
      else out.otherTypes.set(t.name, t.dataType);
    }
  }
}

function parseNode(buf: Uint8Array, baseDir: string, out: OnnxWeightsGraph): OnnxGraphNode {
  const node: OnnxGraphNode = { opType: '', inputs: [], outputs: [], ints: {} };
  const constants: ReturnType<typeof parseTensor>[] = [];
  for (const f of protoFields(buf)) {
    if (f.field === 1) node.inputs.push(protoString(f));
    else if (f.field === 2) node.outputs.push(protoString(f));
    else if (f.field === 4) node.opType = protoString(f);
    else if (f.field === 5) {
      // AttributeProto: 1 name, 3 i, 5 t
      let name = '';
      let intValue: number | undefined;
      let tensor: ReturnType<typeof parseTensor> | undefined;
      for (const a of protoFields(f.bytes)) {
        if (a.field === 1) name = protoString(a);
        else if (a.field === 3 && a.wire === WIRE_VARINT) intValue = a.int;
        else if (a.field === 5) tensor = parseTensor(a.bytes, baseDir);
      }
      if (intValue !== undefined) node.ints[name] = intValue;
      if (tensor && name === 'value') constants.push(tensor);
    }
  }
  if (node.opType === 'Constant' && node.outputs.length === 1) {
    for (const t of constants) if (t.data) out.tensors.set(node.outputs[0], { dims: t.dims, data: t.data });
  }
  return node;
}

interface ParsedTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** Float32 values for floating-point tensors; undefined for other types. */
  data?: Float32Array;
}

function parseTensor(buf: Uint8Array, baseDir: string): ParsedTensor {
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | undefined;
  const floats: number[] = [];
  const int32s: number[] = [];
  let doubles: Uint8Array[] = [];
  let external: Record<string, string> | undefined;
  for (const f of protoFields(buf)) {
    switch (f.field) {
      case 1:
        appendInts(f, dims);
        break;
      case 2:
        dataType = f.int;
        break;
      case 4: // float_data (packed, or one fixed32 each)
        if (f.bytes.length % 4 !== 0) throw new ProtoFormatError('float_data is not a multiple of 4 bytes');
        for (let i = 0; i < f.bytes.length; i += 4) floats.push(new DataView(f.bytes.buffer, f.bytes.byteOffset + i, 4).getFloat32(0, true));
        break;
      case 5: // int32_data (holds float16/bfloat16 bits)
        appendInts(f, int32s);
        break;
      case 8:
        name = protoString(f);
        break;
      case 9:
        raw = f.bytes;
        break;
      case 10: // double_data
        doubles.push(f.bytes);
        break;
      case 13: {
        // external_data: StringStringEntryProto {1 key, 2 value}
        let key = '';
        let value = '';
        for (const e of protoFields(f.bytes)) {
          if (e.field === 1) key = protoString(e);
          else if (e.field === 2) value = protoString(e);
        }
        (external ??= {})[key] = value;
        break;
      }
    }
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (![FLOAT, FLOAT16, DOUBLE, BFLOAT16].includes(dataType)) return { name, dims, dataType };
  if (external) raw = readExternal(external, baseDir, name);
  let data: Float32Array;
  if (raw) data = decodeRaw(raw, dataType, name);
  else if (dataType === FLOAT) data = Float32Array.from(floats);
  else if (dataType === DOUBLE) {
    const all = Buffer.concat(doubles);
    doubles = [];
    data = decodeRaw(new Uint8Array(all.buffer, all.byteOffset, all.byteLength), DOUBLE, name);
  } else data = decodeHalfBits(Uint16Array.from(int32s), dataType);
  if (data.length !== count) throw new ProtoFormatError(`tensor "${name}": ${data.length} values for shape [${dims.join(', ')}]`);
  return { name, dims, dataType, data };
}

function readExternal(entries: Record<string, string>, baseDir: string, name: string): Uint8Array {
  const location = entries.location;
  if (!location) throw new ProtoFormatError(`tensor "${name}": external data without a location`);
  const file = path.resolve(baseDir, location);
  if (path.relative(baseDir, file).startsWith('..')) throw new ProtoFormatError(`tensor "${name}": external data outside the model folder`);
  const offset = Number(entries.offset ?? 0);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new InputError(`cannot read the external data of tensor "${name}": ${(err as Error).message}`, { file });
  }
  try {
    const length = entries.length !== undefined ? Number(entries.length) : fs.fstatSync(fd).size - offset;
    const bytes = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, bytes, done, length - done, offset + done);
      if (n === 0) throw new InputError(`tensor "${name}" runs past the end of the external data file`, { file });
      done += n;
    }
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

function decodeRaw(raw: Uint8Array, dataType: number, name: string): Float32Array {
  const copy = new Uint8Array(raw).buffer; // aligned copy
  switch (dataType) {
    case FLOAT:
      if (raw.length % 4) throw new ProtoFormatError(`tensor "${name}": raw_data is not a multiple of 4 bytes`);
      return new Float32Array(copy);
    case DOUBLE:
      if (raw.length % 8) throw new ProtoFormatError(`tensor "${name}": raw_data is not a multiple of 8 bytes`);
      return Float32Array.from(new Float64Array(copy));
    default:
      if (raw.length % 2) throw new ProtoFormatError(`tensor "${name}": raw_data is not a multiple of 2 bytes`);
      return decodeHalfBits(new Uint16Array(copy), dataType);
  }
}

function decodeHalfBits(bits: Uint16Array, dataType: number): Float32Array {
  const out = new Float32Array(bits.length);
  if (dataType === BFLOAT16) {
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < bits.length; i++) u32[i] = bits[i] << 16;
    return out;
  }
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    out[i] = e === 0 ? s * 2 ** -14 * (m / 1024) : e === 31 ? (m ? NaN : s * Infinity) : s * 2 ** (e - 15) * (1 + m / 1024);
  }
  return out;
}
