import { ImplicitBiasError } from './errors.js';

/**
 * An explicit random key. All randomness in implicit-bias derives from keys, so every
 * result is reproducible from its seed; `stream` separates independent sequences.
 */
export interface Key {
  /** First 32-bit word: the seed given to `key(seed)`, or a hash of the parent key for keys from `split`. */
  readonly seed: number;
  /** Second 32-bit word separating independent sequences (`key(seed, stream)`, or derived by `split`). */
  readonly stream: number;
}

function checkUint32(v: number, field: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be an integer in [0, 2^32 - 1], got ${String(v)}`,
      { path: field },
    );
  }
}

/** Create a key from a non-negative integer seed (and optional stream). */
export function key(seed: number, stream = 0): Key {
  checkUint32(seed, 'seed');
  checkUint32(stream, 'stream');
  return { seed, stream };
}

// 32-bit integer mixing (a murmur3-style finalizer); exact integer arithmetic, so the
// output is identical on every platform.
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hash3(a: number, b: number, c: number): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(b + 0x7f4a7c15, 0x27d4eb2f));
  return mix32(h ^ Math.imul(c + 0x165667b1, 0x9e3779b1));
}

/** Derive `n` independent keys from `k`. The same key always gives the same children. */
export function split(k: Key, n: number): Key[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new ImplicitBiasError('INVALID_CONFIG', `must be a non-negative integer, got ${n}`, {
      path: 'n',
    });
  }
  const out: Key[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ seed: hash3(k.seed, k.stream, i), stream: hash3(k.stream, i, 0x5bd1e995) });
  }
  return out;
}

/**
 * A deterministic pseudo-random generator (xoshiro128**) seeded from a key.
 * Uses only 32-bit integer arithmetic: byte-identical sequences on every platform.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  constructor(k: Key) {
    this.s0 = hash3(k.seed, k.stream, 1);
    this.s1 = hash3(k.seed, k.stream, 2);
    this.s2 = hash3(k.seed, k.stream, 3);
    this.s3 = hash3(k.seed, k.stream, 4);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal by the Box–Muller transform. */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A random sign, ±1 with equal probability. */
  sign(): 1 | -1 {
    return (this.nextUint32() & 1) === 0 ? 1 : -1;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** `n` uniform samples in [lo, hi) from `k`. */
export function uniform(k: Key, n: number, lo = 0, hi = 1): Float64Array {
  const r = new Rng(k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r.uniform();
  return out;
}

/** `n` standard normal samples from `k`, scaled by `scale`. */
export function normal(k: Key, n: number, scale = 1): Float64Array {
  const r = new Rng(k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * r.normal();
  return out;
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(k: Key, n: number): Int32Array {
  const r = new Rng(k);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
