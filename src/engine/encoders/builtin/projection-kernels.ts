/**
 * The WebAssembly kernels of the built-in encoder's projection (projection.ts), hand-assembled with
 * wasm-ops.ts. One module, five functions; `project` runs the first three on a range of rows:
 *   0 spmm      (simd-spmm.ts): the LSA coordinates of the topic rows and of the lexical rows;
 *   1 sketch    the hashing sketch Sx of each lexical row (scalar float32 scatter, terms in row order);
 *   2 residual  Sx − (SV)(Vᵀx): a dense (rows × width) · (width × dimension) product, f32x4, 16
 *               output columns held in registers over the pass down the width;
 *   3 project(header, start, end): the three on rows [start, end); the operands' byte offsets are
 *               read from the header (ProjectionHeader's fields, i32 each);
 *   4 sketchBasis (sketch-kernel.ts): the sketch of the LSA directions, from the components in memory.
 * Rows are independent, so any split of the rows between threads gives the same bits.
 */
import { compileOnce, multiFunctionModule } from '../../util/wasm-module';
import { forRange, functionBody, op } from '../../util/wasm-ops';
import { sketchBasisBody } from './sketch-kernel';
import { spmmKernelBody } from './simd-spmm';

/** The header's fields, in order (one i32 each, byte offsets unless said otherwise). */
export const HEADER_FIELDS = [
  'topicIndptr', 'topicIndices', 'topicValues',
  'lexicalIndptr', 'lexicalIndices', 'lexicalValues',
  'components', 'stride', // components: features × width f32; stride = 4·width
  'topicOut', 'subspaceOut', // rows × width each, zeroed before the call
  'buckets', 'weights', 'hashes', // features × hashes: coordinates (i32) and signed weights (f32); hashes a count
  'sketchedBasis', // width × dimension f32: the sketch of each LSA direction (rows past the rank zero)
  'residualOut', 'dimensionBytes', // rows × dimension f32; 4·dimension, a multiple of 64 (0: no lexical part)
] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];
export const HEADER_BYTES = 4 * HEADER_FIELDS.length;

const SPMM = 0;
const SKETCH = 1;
const RESIDUAL = 2;

/** sketch(indptr, indices, values, buckets, weights, hashes, out, dimensionBytes, start, end). */
function sketchBody(): number[] {
  const [IP, II, IV, BUCKETS, WEIGHTS, HASHES, OUT, DIMB, START, END] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [I, O, P, PEND, C, J, HB, U] = [10, 11, 12, 13, 14, 15, 16, 17];
  return functionBody(8, 0, [
    op.get(HASHES), op.i32(2), op.shl, op.set(HB),
    forRange(I, op.get(START), op.get(END), 1, [
      op.get(OUT), op.get(I), op.get(DIMB), op.mul, op.add, op.set(O),
      forRange(U, op.i32(0), op.get(DIMB), 16, [op.get(O), op.get(U), op.add, op.v128Zero, op.v128Store()]),
      op.get(IP), op.get(I), op.i32(2), op.shl, op.add, op.i32Load(4), op.set(PEND),
      forRange(P, [...op.get(IP), ...op.get(I), ...op.i32(2), ...op.shl, ...op.add, ...op.i32Load(0)], op.get(PEND), 1, [
        // c = indices[p] · hashes · 4: the byte offset of the term's buckets and weights
        op.get(II), op.get(P), op.i32(2), op.shl, op.add, op.i32Load(), op.get(HB), op.mul, op.set(C),
        forRange(J, op.i32(0), op.get(HB), 4, [
          // out[buckets[c + j]] += values[p] · weights[c + j]
          op.get(O), op.get(BUCKETS), op.get(C), op.add, op.get(J), op.add, op.i32Load(), op.i32(2), op.shl, op.add, op.tee(U),
          op.get(U), op.f32Load(),
          op.get(IV), op.get(P), op.i32(2), op.shl, op.add, op.f32Load(),
          op.get(WEIGHTS), op.get(C), op.add, op.get(J), op.add, op.f32Load(),
          op.f32Mul, op.f32Add, op.f32Store(),
        ]),
      ]),
    ]),
  ]);
}

/** residual(z, zStride, basis, kBytes, out, dimensionBytes, start, end): out[i] −= Σ_k z[i, k] · basis[k], k ascending. */
function residualBody(): number[] {
  const [Z, ZSTRIDE, BASIS, KB, OUT, DIMB, START, END] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [I, ZR, O, B, K, S] = [8, 9, 10, 11, 12, 13];
  const [A0, A1, A2, A3, SZ] = [14, 15, 16, 17, 18];
  const acc = [A0, A1, A2, A3];
  return functionBody(6, 5, [
    forRange(I, op.get(START), op.get(END), 1, [
      op.get(Z), op.get(I), op.get(ZSTRIDE), op.mul, op.add, op.set(ZR),
      op.get(OUT), op.get(I), op.get(DIMB), op.mul, op.add, op.set(O),
      forRange(B, op.i32(0), op.get(DIMB), 64, [
        ...acc.map((a, j) => [...op.get(O), ...op.get(B), ...op.add, ...op.v128Load(16 * j), ...op.set(a)]),
        op.get(BASIS), op.get(B), op.add, op.set(S),
        forRange(K, op.i32(0), op.get(KB), 4, [
          op.get(ZR), op.get(K), op.add, op.load32Splat(), op.set(SZ),
          ...acc.map((a, j) => [...op.get(a), ...op.get(SZ), ...op.get(S), ...op.v128Load(16 * j), ...op.f32x4Mul, ...op.f32x4Sub, ...op.set(a)]),
          op.get(S), op.get(DIMB), op.add, op.set(S),
        ]),
        ...acc.map((a, j) => [...op.get(O), ...op.get(B), ...op.add, ...op.get(a), ...op.v128Store(16 * j)]),
      ]),
    ]),
  ]);
}

/** project(header, start, end). */
function projectBody(): number[] {
  const [H, START, END] = [0, 1, 2];
  const field = (name: HeaderField): number[] => [...op.get(H), ...op.i32Load(4 * HEADER_FIELDS.indexOf(name))];
  const rows = [...op.get(START), ...op.get(END)];
  return functionBody(0, 0, [
    field('topicIndptr'), field('topicIndices'), field('topicValues'), field('components'), field('topicOut'), rows, field('stride'), op.call(SPMM),
    field('dimensionBytes'), op.if,
    field('lexicalIndptr'), field('lexicalIndices'), field('lexicalValues'), field('components'), field('subspaceOut'), rows, field('stride'), op.call(SPMM),
    field('lexicalIndptr'), field('lexicalIndices'), field('lexicalValues'), field('buckets'), field('weights'), field('hashes'), field('residualOut'), field('dimensionBytes'), rows, op.call(SKETCH),
    field('subspaceOut'), field('stride'), field('sketchedBasis'), field('stride'), field('residualOut'), field('dimensionBytes'), rows, op.call(RESIDUAL),
    op.end,
  ]);
}

function projectionModule(shared: boolean): Uint8Array {
  return multiFunctionModule(
    [
      { params: 8, body: spmmKernelBody() },
      { params: 10, body: sketchBody() },
      { params: 8, body: residualBody() },
      { params: 3, body: projectBody(), name: 'project' },
      { params: 8, body: sketchBasisBody(), name: 'sketchBasis' },
    ],
    shared,
  );
}

/** The module with its own memory (one thread); null where WebAssembly SIMD is missing. */
export const privateProjectionModule = compileOnce(() => projectionModule(false));
/** The module on an imported shared memory (several threads); null where threads or SIMD are missing. */
export const sharedProjectionModule = compileOnce(() => projectionModule(true));

export type ProjectKernel = (header: number, start: number, end: number) => void;
