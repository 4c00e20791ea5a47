// Send times inside a window. Evenly spaced sends are a bot's fingerprint, so the gaps are random (uniform
// spacings: exponential draws normalised to the free time) on top of a floor that keeps sends apart.

/**
 * n send times in [start, end): random, non-periodic, sorted, at least minGapMs apart (the gap shrinks to fit
 * when the window is too short). Deterministic for a given random. Integer ms; [] when n < 1 or the window is empty.
 */
export function spreadTimes(start: number, end: number, n: number, minGapMs: number, random: () => number): number[] {
  const count = Math.floor(n);
  const width = end - start;
  if (count < 1 || !(width > 0)) return [];
  // Only the n − 1 gaps between sends need the floor; shrink it so some free time is left to randomise.
  const gap = Math.max(0, Math.min(minGapMs, width / count));
  const free = width - (count - 1) * gap;
  // n + 1 spacings: before the first send, between sends, and after the last (which keeps the last < end).
  const draws = Array.from({ length: count + 1 }, () => -Math.log(1 - random()));
  const total = draws.reduce((a, b) => a + b, 0) || 1;
  const times: number[] = [];
  let acc = 0;
  for (let i = 0; i < count; i++) {
    acc += draws[i]!;
    const t = Math.floor(start + i * gap + (free * acc) / total);
    // Guards float rounding at the edges; monotone, so the order survives.
    times.push(Math.min(end - 1, Math.max(start, t)));
  }
  return times;
}
