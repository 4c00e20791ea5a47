// Small deterministic randomness: the same mailbox on the same day must draw the same numbers on every
// machine and after every restart, so nothing here may touch Math.random.

/** FNV-1a (32-bit) over the UTF-8 bytes of the parts joined with NUL, so ('ab','c') and ('a','bc') differ. */
export function hashSeed(...parts: string[]): number {
  let h = 0x811c9dc5;
  const byte = (b: number) => {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  };
  const s = parts.join('\u0000');
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    // Hand-rolled UTF-8: TextEncoder is not part of ES2022.
    if (c < 0x80) byte(c);
    else if (c < 0x800) {
      byte(0xc0 | (c >> 6));
      byte(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      byte(0xe0 | (c >> 12));
      byte(0x80 | ((c >> 6) & 0x3f));
      byte(0x80 | (c & 0x3f));
    } else {
      byte(0xf0 | (c >> 18));
      byte(0x80 | ((c >> 12) & 0x3f));
      byte(0x80 | ((c >> 6) & 0x3f));
      byte(0x80 | (c & 0x3f));
    }
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast and good enough for jitter (not for anything secret). Returns numbers in [0, 1). */
export function seededRandom(seed: number | string): () => number {
  let a = (typeof seed === 'string' ? hashSeed(seed) : seed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
