import { ProtoWriter } from './protobuf';

/**
 * A small in-memory ONNX model description and its encoding as an ONNX `ModelProto`
 * (field numbers from onnx/onnx.proto). Only what our generated graphs use is supported.
 */

/** ONNX TensorProto.DataType values we use. */
export const OnnxDataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type OnnxDataTypeCode = (typeof OnnxDataType)[keyof typeof OnnxDataType];

export type AttributeValue = number | string | readonly number[] | readonly string[] | { float: number } | { floats: readonly number[] };

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** Integers are written as INT(S) attributes; wrap floats as `{float}` / `{floats}`. */
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  /** Float32 data for FLOAT, BigInt64Array for INT64, Int32Array for INT32. */
  data: Float32Array | BigInt64Array | Int32Array;
}

/** A graph input or output: a name, an element type and a shape (numbers or symbolic names such as "batch"). */
export interface OnnxValueInfo {
  name: string;
  type: OnnxDataTypeCode;
  shape: readonly (number | string)[];
}

export interface OnnxModelSpec {
  graphName: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxInitializer[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  /** Default-domain opset version (e.g. 17, which has LayerNormalization). */
  opset: number;
  producerName?: string;
  docString?: string;
}

const IR_VERSION = 8;

/** Encodes a model as ONNX ModelProto bytes, as a list of chunks (no big copies). */
export function encodeOnnxModel(spec: OnnxModelSpec): ProtoWriter {
  const graph = new ProtoWriter();
  for (const n of spec.nodes) graph.message(1, encodeNode(n));
  graph.string(2, spec.graphName);
  for (const t of spec.initializers) graph.message(5, encodeTensor(t));
  for (const v of spec.inputs) graph.message(11, encodeValueInfo(v));
  for (const v of spec.outputs) graph.message(12, encodeValueInfo(v));

  const model = new ProtoWriter();
  model.int(1, IR_VERSION);
  model.string(2, spec.producerName ?? 'embedding-lab');
  model.string(3, '1');
  if (spec.docString) model.string(6, spec.docString);
  model.message(7, graph);
  model.message(8, new ProtoWriter().string(1, '').int(2, spec.opset));
  return model;
}

function encodeNode(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, value] of Object.entries(n.attributes ?? {})) w.message(5, encodeAttribute(name, value));
  return w;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

function encodeAttribute(name: string, value: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: wrap float values as {float: x}`);
    w.int(3, value).int(20, ATTR_INT);
  } else if (typeof value === 'string') {
    w.string(4, value).int(20, ATTR_STRING);
  } else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number')) w.packedInts(8, value as number[]).int(20, ATTR_INTS);
    else throw new Error(`attribute ${name}: string lists are not supported`);
  } else if ('float' in (value as object)) {
    w.float(2, (value as { float: number }).float).int(20, ATTR_FLOAT);
  } else {
    w.packedFloats(7, (value as { floats: readonly number[] }).floats).int(20, ATTR_FLOATS);
  }
  return w;
}

function encodeTensor(t: OnnxInitializer): ProtoWriter {
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== expected) {
    throw new Error(`initializer ${t.name}: ${t.data.length} values for shape [${t.dims.join(', ')}]`);
  }
  const type =
    t.data instanceof Float32Array ? OnnxDataType.FLOAT : t.data instanceof BigInt64Array ? OnnxDataType.INT64 : OnnxDataType.INT32;
  const w = new ProtoWriter();
  w.packedInts(1, t.dims);
  w.int(2, type);
  w.string(8, t.name);
  // raw_data is little-endian; typed arrays on every platform Node supports are little-endian.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return w;
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, v.type).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}
