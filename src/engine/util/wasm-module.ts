/**
 * Building and loading small hand-assembled WebAssembly modules (no toolchain needed): the
 * byte-level helpers and the few WebAssembly APIs used (the project's TypeScript lib has no
 * WebAssembly types). The SIMD kernels of cluster/simd-dots.ts and encoders/builtin/simd-spmm.ts
 * are built with these.
 */

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
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => SharedWasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export const WASM_PAGE = 65536;

/** Compiles `bytes` once; null where WebAssembly (or its SIMD) is missing. */
export function compileOnce(bytes: () => Uint8Array): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        if (!wasm) throw new Error('no WebAssembly');
        compiled = new wasm.Module(bytes());
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
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
