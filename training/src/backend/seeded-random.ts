/**
 * A seedable replacement for Math.random, with a state that checkpoints can save and restore.
 * tfjs draws its weight initializers and its (unseeded) dropout masks from Math.random, so seeding it makes
 * model init and dropout reproducible, and restoring the state makes `--resume` continue the exact same stream.
 */
export class Rng {
  private s: Uint32Array;
  constructor(seed: number) {
    this.s = new Uint32Array(4);
    // splitmix32 to spread a small seed over the 128-bit state
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (!(this.s[0] | this.s[1] | this.s[2] | this.s[3])) this.s[0] = 1;
  }
  /** xoshiro128** in [0, 1). */
  next(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
  get state(): number[] {
    return Array.from(this.s);
  }
  set state(v: number[]) {
    this.s = Uint32Array.from(v);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Routes Math.random (and so tfjs' initializers and dropout) through a seeded Rng; returns it. */
export function seedMathRandom(seed: number): Rng {
  const rng = new Rng(seed);
  Math.random = () => rng.next();
  return rng;
}
