import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter } from '../../../src/engine/onnx/protobuf';

// Expected bytes from the protocol-buffers encoding spec (developers.google.com/protocol-buffers/docs/encoding).
test('varints, strings and nested messages encode as the spec says', () => {
  assert.deepEqual([...new ProtoWriter().int(1, 150).toBytes()], [0x08, 0x96, 0x01]);
  assert.deepEqual([...new ProtoWriter().int(1, 300).toBytes()], [0x08, 0xac, 0x02]);
  assert.deepEqual([...new ProtoWriter().string(2, 'testing').toBytes()], [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  const inner = new ProtoWriter().int(1, 150);
  assert.deepEqual([...new ProtoWriter().message(3, inner).toBytes()], [0x1a, 0x03, 0x08, 0x96, 0x01]);
  // packed repeated: field 4, [3, 270, 86942]
  assert.deepEqual([...new ProtoWriter().packedInts(4, [3, 270, 86942]).toBytes()], [0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  // int64 -1 is ten bytes of two's complement
  assert.deepEqual([...new ProtoWriter().int(1, -1).toBytes()], [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  // float 1.0 as fixed32 little-endian
  assert.deepEqual([...new ProtoWriter().float(2, 1).toBytes()], [0x15, 0x00, 0x00, 0x80, 0x3f]);
});

test('length counts pending bytes and chunks', () => {
  const w = new ProtoWriter().int(1, 1).bytes(2, new Uint8Array(1000)).int(3, 5);
  assert.equal(w.length, 2 + 1 + 2 + 1000 + 2);
  assert.equal(w.toBytes().length, w.length);
});
