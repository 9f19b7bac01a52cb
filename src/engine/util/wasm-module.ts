/**
 * Building and loading small hand-assembled WebAssembly modules (no toolchain needed): the
 * byte-level helpers and the few WebAssembly APIs used (the project's TypeScript lib has no
 * WebAssembly types). The SIMD kernels of cluster/simd-dots.ts and encoders/builtin/simd-spmm.ts
 * are built with these.
 */

import { setFlagsFromString } from 'node:v8';

/** Unsigned LEB128. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A module section: id, size, content. */
export function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/** A name as the binary format writes it (length, ASCII bytes). */
export function wasmName(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

/**
 * A module of one exported function `name` of `params` i32 parameters and no result, with one
 * exported memory "mem" (at least one page), and the function's body (locals declaration included).
 */
export function singleFunctionModule(name: string, params: number, body: number[]): Uint8Array {
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, params, ...new Array<number>(params).fill(0x7f), 0x00]), // type: (i32 × params) → ()
    ...section(3, [0x01, 0x00]), // one function of type 0
    ...section(5, [0x01, 0x00, 0x01]), // memory, at least 1 page
    ...section(7, [0x02, ...wasmName('mem'), 0x02, 0x00, ...wasmName(name), 0x00, 0x00]),
    ...section(10, [0x01, ...uleb(body.length), ...body]),
  ]);
}

/** Most pages of a shared memory (2 GB; the kernels address it with i32 offsets). */
export const MAX_SHARED_PAGES = 32768;

/**
 * The same module as singleFunctionModule, but its memory is imported as env.mem, shared (a
 * SharedArrayBuffer that worker threads instantiate the module on too), of up to MAX_SHARED_PAGES.
 */
export function sharedMemoryFunctionModule(name: string, params: number, body: number[]): Uint8Array {
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, params, ...new Array<number>(params).fill(0x7f), 0x00]),
    ...section(2, [0x01, ...wasmName('env'), ...wasmName('mem'), 0x02, 0x03, 0x01, ...uleb(MAX_SHARED_PAGES)]), // import shared memory, 1..max pages
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...wasmName(name), 0x00, 0x00]),
    ...section(10, [0x01, ...uleb(body.length), ...body]),
  ]);
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
export interface SharedWasmMemory {
  readonly buffer: SharedArrayBuffer;
  /** Grows by `pages` (every thread's instance sees the larger memory); `buffer` is then a new, longer view. */
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => SharedWasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export const WASM_PAGE = 65536;

/**
 * Compiles `bytes` once; null where WebAssembly (or its SIMD) is missing. The kernels are compiled
 * by the optimising compiler at once: V8 first runs a module's functions in its baseline code
 * (Liftoff) and only calls after the tier-up get the optimised code, so the first call of a kernel,
 * often the longest (the first batch, the first product of an SVD), ran about 2.5× slower
 * (AG News projection: 634 ms of CPU for the first call, 245 ms when compiled at once).
 */
export function compileOnce(bytes: () => Uint8Array): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        if (!wasm) throw new Error('no WebAssembly');
        const api = wasm;
        compiled = withoutBaselineCompiler(() => new api.Module(bytes()));
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/** Runs `compile` with V8's baseline WebAssembly compiler off (its flag is read when a module compiles), then restores it. */
function withoutBaselineCompiler<T>(compile: () => T): T {
  const restore = !process.execArgv.includes('--no-liftoff');
  // A runtime where V8's flags cannot change (frozen after start-up) just compiles as usual.
  let switched = false;
  try {
    setFlagsFromString('--no-liftoff');
    switched = true;
  } catch {
    /* flags frozen: the baseline compiler stays on */
  }
  try {
    return compile();
  } finally {
    if (switched && restore) setFlagsFromString('--liftoff');
  }
}

/** A fresh instance of `module`: its exports and its memory grown to hold at least `bytes`. */
export function instantiate(module: WasmModule, bytes: number): { exports: Record<string, unknown>; memory: WasmMemory } {
  if (!wasm) throw new Error('no WebAssembly');
  const instance = new wasm.Instance(module, {});
  const memory = instance.exports.mem as WasmMemory;
  const pages = Math.ceil(bytes / WASM_PAGE);
  memory.grow(Math.max(0, pages - memory.buffer.byteLength / WASM_PAGE));
  return { exports: instance.exports, memory };
}

/** A shared memory of at least `bytes` for a sharedMemoryFunctionModule; null where shared memories are missing or `bytes` is too large. */
export function createSharedMemory(bytes: number): SharedWasmMemory | null {
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE));
  if (!wasm || pages > MAX_SHARED_PAGES) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: MAX_SHARED_PAGES, shared: true });
  } catch {
    return null;
  }
}

/** An instance of a sharedMemoryFunctionModule on `memory`: its exports. */
export function instantiateShared(module: WasmModule, memory: SharedWasmMemory): Record<string, unknown> {
  if (!wasm) throw new Error('no WebAssembly');
  return new wasm.Instance(module, { env: { mem: memory } }).exports;
}

/** A function of a multiFunctionModule: `params` i32 parameters, no result; exported under `name` if given. */
export interface WasmFunction {
  params: number;
  /** The body, locals declaration included (see wasm-ops.ts functionBody). */
  body: number[];
  name?: string;
}

/**
 * A module of several functions (function i may call function j by its index j), with its own
 * exported memory "mem" or, when `shared`, the shared memory env.mem of sharedMemoryFunctionModule.
 */
export function multiFunctionModule(functions: readonly WasmFunction[], shared: boolean): Uint8Array {
  const types = functions.map((f) => [0x60, f.params, ...new Array<number>(f.params).fill(0x7f), 0x00]);
  const exported = functions.flatMap((f, i) => (f.name ? [[...wasmName(f.name), 0x00, ...uleb(i)]] : []));
  if (!shared) exported.push([...wasmName('mem'), 0x02, 0x00]);
  const codes = functions.map((f) => [...uleb(f.body.length), ...f.body]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(types.length), ...types.flat()]),
    ...(shared ? section(2, [0x01, ...wasmName('env'), ...wasmName('mem'), 0x02, 0x03, 0x01, ...uleb(MAX_SHARED_PAGES)]) : []),
    ...section(3, [...uleb(functions.length), ...functions.flatMap((_, i) => uleb(i))]),
    ...(shared ? [] : section(5, [0x01, 0x00, 0x01])),
    ...section(7, [...uleb(exported.length), ...exported.flat()]),
    ...section(10, [...uleb(codes.length), ...codes.flat()]),
  ]);
}

/**
 * Instances of `module` for calls that need `bytes` of memory: one instance is kept and grown
 * between calls up to `keepBytes`; a call needing more gets a fresh instance, dropped after it (a
 * large workspace is not held for the life of the process).
 */
export function reusableInstance(module: WasmModule, keepBytes: number): (bytes: number) => { exports: Record<string, unknown>; memory: WasmMemory } {
  let kept: { exports: Record<string, unknown>; memory: WasmMemory } | undefined;
  return (bytes) => {
    if (bytes > keepBytes) return instantiate(module, bytes);
    kept ??= instantiate(module, bytes);
    const have = kept.memory.buffer.byteLength;
    if (bytes > have) kept.memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
    return kept;
  };
}
