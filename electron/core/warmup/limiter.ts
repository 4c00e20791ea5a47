// Sliding-window send limits (per mailbox, per recipient domain). In memory: rebuilt from the
// database's recent releases at start, so a restart does not reset a domain's hourly budget.

export interface Limit {
  windowMs: number;
  max: number;
}

export class Limiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly horizonMs = 86_400_000) {}

  /** The earliest time all `limits` of `key` allow one more send (≤ now when it may go now). */
  nextAllowed(key: string, limits: Limit[], now: number): number {
    const list = this.prune(key, now);
    let at = now;
    for (const { windowMs, max } of limits) {
      // Times inside the window, oldest first: the (n-max+1)-th newest must leave it first.
      const inside = list.filter((t) => t > now - windowMs);
      if (inside.length >= max) at = Math.max(at, inside[inside.length - max]! + windowMs);
    }
    return at;
  }

  record(key: string, at: number): void {
    const list = this.hits.get(key) ?? [];
    list.push(at);
    if (list.length > 1 && list[list.length - 2]! > at) list.sort((a, b) => a - b);
    this.hits.set(key, list);
  }

  private prune(key: string, now: number): number[] {
    const list = this.hits.get(key);
    if (!list) return [];
    let i = 0;
    while (i < list.length && list[i]! <= now - this.horizonMs) i++;
    if (i > 0) list.splice(0, i);
    if (list.length === 0) this.hits.delete(key);
    return list;
  }
}
