/**
 * WebAssembly instructions as byte arrays, for the hand-assembled kernels (see wasm-module.ts):
 * named so that a kernel reads as a sequence of operations rather than of opcodes. Memory accesses
 * take a static byte offset (default 0); alignment hints are the natural ones.
 */
import { sleb, uleb } from './wasm-module';

const SIMD = 0xfd;
const simd = (op: number): number[] => [SIMD, ...uleb(op)];
const memArg = (align: number, offset: number): number[] => [align, ...uleb(offset)];

export const op = {
  get: (local: number): number[] => [0x20, ...uleb(local)],
  set: (local: number): number[] => [0x21, ...uleb(local)],
  tee: (local: number): number[] => [0x22, ...uleb(local)],
  i32: (v: number): number[] => [0x41, ...sleb(v)],
  call: (fn: number): number[] => [0x10, ...uleb(fn)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  and: [0x71],
  ltU: [0x49],
  geU: [0x4f],
  ltS: [0x48],
  geS: [0x4e],
  eqz: [0x45],
  /** block / loop with no result; `end` closes either. */
  block: [0x02, 0x40],
  /** if (the i32 on the stack ≠ 0) … end. */
  if: [0x04, 0x40],
  else: [0x05],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  i32Load: (offset = 0): number[] => [0x28, ...memArg(2, offset)],
  f32Load: (offset = 0): number[] => [0x2a, ...memArg(2, offset)],
  f32Store: (offset = 0): number[] => [0x38, ...memArg(2, offset)],
  f32Add: [0x92],
  f32Mul: [0x94],
  f64Load: (offset = 0): number[] => [0x2b, ...memArg(3, offset)],
  f64Store: (offset = 0): number[] => [0x39, ...memArg(3, offset)],
  v128Load: (offset = 0): number[] => [...simd(0x00), ...memArg(4, offset)],
  v128Store: (offset = 0): number[] => [...simd(0x0b), ...memArg(4, offset)],
  /** One f32 from memory in all four lanes. */
  load32Splat: (offset = 0): number[] => [...simd(0x09), ...memArg(2, offset)],
  /** One f64 from memory in both lanes. */
  load64Splat: (offset = 0): number[] => [...simd(0x0a), ...memArg(3, offset)],
  /** Two f32 from memory into the low lanes (the high ones zero). */
  load64Zero: (offset = 0): number[] => [...simd(0x5d), ...memArg(3, offset)],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  f32x4Splat: simd(0x13),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f64x2Splat: simd(0x14),
  f64x2Extract: (lane: number): number[] => [...simd(0x21), lane],
  f64x2Add: simd(0xf0),
  f64x2Mul: simd(0xf2),
  /** The two low f32 lanes as two f64 lanes. */
  f64x2PromoteLow: simd(0x5f),
};

/** A function body: the locals (i32, then v128) and the code, `end` appended. */
export function functionBody(i32Locals: number, v128Locals: number, code: number[][]): number[] {
  const groups: number[][] = [];
  if (i32Locals > 0) groups.push([...uleb(i32Locals), 0x7f]);
  if (v128Locals > 0) groups.push([...uleb(v128Locals), 0x7b]);
  return [...uleb(groups.length), ...groups.flat(), ...code.flat(), 0x0b];
}

/**
 * `for (i = from; i < to; i += step) body`, as a block and a loop (`from`, `to` are code that
 * leaves an i32; the loop is skipped when from >= to). Unsigned comparisons.
 */
export function forRange(i: number, from: number[], to: number[], step: number, body: number[][]): number[] {
  return [
    ...op.block,
    ...from, ...op.tee(i), ...to, ...op.geU, ...op.brIf(0),
    ...op.loop,
    ...body.flat(),
    ...op.get(i), ...op.i32(step), ...op.add, ...op.tee(i), ...to, ...op.ltU, ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];
}
