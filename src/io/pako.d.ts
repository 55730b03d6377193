/** The part of pako 1.x (utif's inflate library) that src/io uses; pako 1 ships no types. */
declare module 'pako' {
  export class Inflate {
    constructor(options?: { chunkSize?: number; raw?: boolean });
    push(data: Uint8Array, mode?: boolean | number): boolean;
    onData: (chunk: Uint8Array) => void;
    onEnd: (status: number) => void;
    strm?: { msg?: string };
  }
  const pako: { Inflate: typeof Inflate };
  export default pako;
}
