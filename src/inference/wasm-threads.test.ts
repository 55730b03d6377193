import { describe, expect, it } from 'vitest';
import glue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import { THREADED_MAIN_SCRIPT_PREFIX, correctedBlobParts } from './wasm-threads';

describe('threaded wasm main script for the pthread workers', () => {
  it('replaces only the text tfjs builds from factory.toString()', () => {
    const broken = `${THREADED_MAIN_SCRIPT_PREFIX}function(WasmBackendModuleThreadedSimd){ return e }`;
    expect(correctedBlobParts([broken], 'GLUE')).toEqual(['GLUE']);
    for (const other of [['var x = 1'], [new Uint8Array(3)], [broken, 'more'], undefined]) expect(correctedBlobParts(other as BlobPart[] | undefined, 'GLUE')).toBe(other);
  });

  it('the glue is self-contained: evaluated alone, as importScripts does in a worker, it defines the factory', () => {
    // A fresh function scope: no module, no exports, no bundler names. The minified toString() fails exactly here.
    const defined = new Function(`${glue}\nreturn typeof WasmBackendModuleThreadedSimd;`)();
    expect(defined).toBe('function');
    expect(glue.trimStart().startsWith(THREADED_MAIN_SCRIPT_PREFIX)).toBe(true); // what tfjs meant to reproduce
  });
});
