/**
 * Seeded randomness that gives the same numbers on every machine and Node version.
 *
 * Only 32-bit integer arithmetic (Math.imul, shifts, xor) and IEEE-exact float operations are
 * used: no Math.random, no Math.sin/log/exp (their last bit is implementation-defined), no
 * locale or timezone. Every stream of draws is seeded from a string such as "42/checkout/17",
 * so the draws of one entity never depend on how many draws another entity made: adding an
 * event type or a field to one stream does not reshuffle the others.
 */

/** The murmur3 32-bit finaliser: spreads every input bit over the whole word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 128-bit hash of a string as four 32-bit words: four FNV-style multiply lanes over the UTF-16
 * code units, cross-mixed and finalised. Not cryptographic; it only needs to turn similar seed
 * strings ("s/3", "s/4") into unrelated generator states.
 */
export function hash128(text: string): [number, number, number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  let c = 0x243f6a88;
  let d = 0x85a308d3;
  for (let i = 0; i < text.length; i++) {
    const x = text.charCodeAt(i);
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995);
    c = Math.imul(c ^ x, 0x27d4eb2f);
    d = Math.imul(d ^ x, 0x165667b1);
  }
  a = fmix32(a ^ text.length);
  b = fmix32(b + a);
  c = fmix32(c + b);
  d = fmix32(d + c);
  a = fmix32(a + d);
  return [a, b, c, d];
}

/** A 32-bit hash of a string (the first word of hash128). */
export function hash32(text: string): number {
  return hash128(text)[0];
}

/**
 * Chris Doty-Humphrey's SFC32 ("small fast counting") generator: 128 bits of state, passes
 * PractRand, and the counter guarantees a period of at least 2^32 from any seed.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: readonly [number, number, number, number]) {
    [this.a, this.b, this.c, this.d] = seed;
    // The first outputs from a fresh state are still correlated with the seed; discard them.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness (division by a power of two is exact). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Eight lowercase hex digits, for ids that need not be unique (sessions, payments). */
  hex8(): string {
    return this.next().toString(16).padStart(8, '0');
  }
}

/** A generator for one named stream: the seed and the path parts joined by "/". */
export function rngFor(seed: string, ...parts: (string | number)[]): Rng {
  return new Rng(hash128(parts.length ? `${seed}/${parts.join('/')}` : seed));
}

/**
 * A keyed bijection on 32-bit integers. Each step (xor with a constant, multiplication by an odd
 * number, xor with a right shift of itself) can be undone, so distinct inputs give distinct
 * outputs: entity ids built from it are unique without a lookup table, yet look random and
 * change with the seed.
 */
export function permute32(n: number, key: number): number {
  let x = (n ^ key) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  x = (x ^ (x >>> 16) ^ Math.imul(key, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  return (x ^ (x >>> 12)) >>> 0;
}

export function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
