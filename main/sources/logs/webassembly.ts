// The little of the WebAssembly API the log kernels use (matching-lines.ts, line-kernel.ts): this project's
// TypeScript lib (ES2023, no DOM) declares none of it, though every engine that runs tailwatch has it.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: Record<string, Record<string, unknown>>) => { exports: unknown };
}

/** Undefined under an engine without WebAssembly (node --jitless). */
export const webAssembly = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** WebAssembly's page: memory grows by these. */
export const WASM_PAGE_BYTES = 64 * 1024;
