import { describe, expect, it } from 'vitest';
import {
  inboundCap,
  pairBatch,
  type PairingHistory,
  type PairingResult,
  type PoolMember,
  type Sender,
} from '../../electron/core/warmup/pairing';

/** Small seeded PRNG so the fleet and every plan are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const noHistory: PairingHistory = { pairCount: () => 0, domainRecent: () => false };

function member(id: string, over: Partial<PoolMember> = {}): PoolMember {
  return { id, address: `${id}@${id}.test`, domain: `${id}.test`, provider: 'custom', workspaceId: 'w1', sends: 0, receivedToday: 0, ...over };
}
function sender(m: PoolMember, volume: number): Sender {
  return { mailboxId: m.id, address: m.address, domain: m.domain, provider: m.provider, workspaceId: m.workspaceId, volume };
}

describe('inboundCap', () => {
  it('is about 2× the sends, floor 10, ceiling 60', () => {
    expect(inboundCap(0)).toBe(10);
    expect(inboundCap(3)).toBe(10);
    expect(inboundCap(12)).toBe(24);
    expect(inboundCap(30)).toBe(60);
    expect(inboundCap(45)).toBe(60);
  });
});

describe('pairBatch: small pools', () => {
  it('never self-sends in a pool of two and counts what the cap leaves unplaced', () => {
    const a = member('a', { sends: 15 });
    const b = member('b', { sends: 2 }); // cap 10
    const res = pairBatch([sender(a, 15), sender(b, 2)], [a, b], noHistory, mulberry32(1));
    expect(res.assignments.get('a')).toEqual(Array(10).fill('b'));
    expect(res.assignments.get('b')).toEqual(['a', 'a']);
    expect(res.unplaced).toBe(5);
  });

  it('never picks another member with the sender’s own address', () => {
    const a = member('a', { sends: 3 });
    const twin = member('ext:1', { address: 'A@a.test' });
    const c = member('c');
    const res = pairBatch([sender(a, 3)], [a, twin, c], noHistory, mulberry32(2));
    expect(res.assignments.get('a')).toEqual(['c', 'c', 'c']);
  });

  it('gives a member at its cap nothing more', () => {
    const a = member('a', { sends: 5 });
    const full = member('full', { sends: 20, receivedToday: 40 }); // cap 40
    const c = member('c');
    const res = pairBatch([sender(a, 5)], [a, full, c], noHistory, mulberry32(3));
    expect(res.assignments.get('a')).toEqual(Array(5).fill('c'));
    expect(res.unplaced).toBe(0);

    const custom = member('d', { cap: 2 });
    const res2 = pairBatch([sender(a, 5)], [a, custom], noHistory, mulberry32(3));
    expect(res2.assignments.get('a')).toEqual(['d', 'd']);
    expect(res2.unplaced).toBe(3);
  });

  it('does not repeat a recipient within a batch while others are free', () => {
    const a = member('a', { sends: 6 });
    const others = Array.from({ length: 8 }, (_, i) => member(`m${i}`, { workspaceId: 'w2' }));
    const res = pairBatch([sender(a, 6)], [a, ...others], noHistory, mulberry32(4));
    const got = res.assignments.get('a')!;
    expect(got).toHaveLength(6);
    expect(new Set(got).size).toBe(6);
  });

  it('is deterministic for a deterministic random', () => {
    const ms = Array.from({ length: 30 }, (_, i) => member(`m${i}`, { sends: 5, workspaceId: `w${i % 3}` }));
    const ss = ms.map((m) => sender(m, 5));
    const one = pairBatch(ss, ms, noHistory, mulberry32(42));
    const two = pairBatch(ss, ms, noHistory, mulberry32(42));
    expect([...two.assignments]).toEqual([...one.assignments]);
    const other = pairBatch(ss, ms, noHistory, mulberry32(43));
    expect([...other.assignments]).not.toEqual([...one.assignments]);
  });
});

// ---------------------------------------------------------------------------------------------
// Fleet simulation: 200 mailboxes, 5 providers, 10 workspaces, 10 externals, 30 days.

interface Box extends Omit<PoolMember, 'sends' | 'receivedToday'> {
  start: number;
  step: number;
  max: number;
  firstDay: number;
  pausedFrom: number;
  pausedTo: number;
}

const DAYS = 30;
const PROVIDER_DOMAINS: Record<string, string[]> = {
  gmail: ['gmail.com', 'googlemail.com'],
  outlook: ['outlook.com', 'hotmail.com', 'live.com'],
  yahoo: ['yahoo.com', 'ymail.com'],
  zoho: ['zoho.com', 'zohomail.eu'],
  custom: [],
};
const HOSTING = ['gmail', 'outlook', 'zoho', 'custom'];

function buildFleet(rnd: () => number): { boxes: Box[]; externals: PoolMember[] } {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  // Each workspace owns 1–3 domains, each hosted by some provider.
  const wsDomains = Array.from({ length: 10 }, (_, w) =>
    Array.from({ length: int(1, 3) }, (_, d) => ({ domain: `ws${w}-${d}.example`, provider: pick(HOSTING) })),
  );
  // Uneven workspace sizes: the biggest holds about a fifth of the fleet.
  const wsWeight = Array.from({ length: 10 }, (_, w) => 1 + (w % 4));
  const totalWeight = wsWeight.reduce((a, b) => a + b, 0);
  const boxes: Box[] = [];
  for (let i = 0; i < 200; i++) {
    let r = rnd() * totalWeight;
    let w = 0;
    while (r >= wsWeight[w]!) r -= wsWeight[w++]!;
    let domain: string;
    let provider: string;
    if (rnd() < 0.4) {
      provider = pick(['gmail', 'outlook', 'yahoo', 'zoho']);
      domain = pick(PROVIDER_DOMAINS[provider]!);
    } else {
      ({ domain, provider } = pick(wsDomains[w]!));
    }
    const late = rnd() < 0.2;
    const paused = rnd() < 0.15;
    const pausedFrom = paused ? int(5, 22) : -1;
    boxes.push({
      id: `mb${i}`,
      address: `user${i}@${domain}`,
      domain,
      provider,
      workspaceId: `ws${w}`,
      start: int(2, 7),
      step: int(1, 2),
      max: int(20, 40),
      firstDay: late ? int(3, 12) : 0,
      pausedFrom,
      pausedTo: paused ? pausedFrom + int(2, 5) : -1,
    });
  }
  const externals = Array.from({ length: 10 }, (_, i) => {
    const provider = pick(['gmail', 'outlook', 'yahoo', 'custom']);
    const domain = provider === 'custom' ? `seed${i}.example` : pick(PROVIDER_DOMAINS[provider]!);
    return { id: `ext:${i}`, address: `seed${i}@${domain}`, domain, provider, workspaceId: `ws${i % 10}`, sends: 0, receivedToday: 0 };
  });
  return { boxes, externals };
}

const isWeekday = (day: number): boolean => day % 7 < 5;
const isPaused = (b: Box, day: number): boolean => day >= b.pausedFrom && day < b.pausedTo;

/** Ramp: start, +step per day actually sent, up to max; weekdays only; nothing before firstDay or while paused. */
function volumes(boxes: Box[]): number[][] {
  return boxes.map((b) => {
    const out: number[] = [];
    let sentDays = 0;
    for (let day = 0; day < DAYS; day++) {
      const on = isWeekday(day) && day >= b.firstDay && !isPaused(b, day);
      out.push(on ? Math.min(b.max, b.start + b.step * sentDays) : 0);
      if (on) sentDays++;
    }
    return out;
  });
}

/** 7-day pair counts and 72 h (3-day) recipient domains, rebuilt from the per-day logs. */
class SimHistory implements PairingHistory {
  private pairs = new Map<string, Map<string, number>>();
  private domains = new Map<string, Set<string>>();
  constructor(logs: Array<Array<[string, string, string]>>, day: number) {
    for (let d = Math.max(0, day - 7); d < day; d++) {
      for (const [s, r, domain] of logs[d] ?? []) {
        let m = this.pairs.get(s);
        if (!m) this.pairs.set(s, (m = new Map()));
        m.set(r, (m.get(r) ?? 0) + 1);
        if (d >= day - 3) {
          let ds = this.domains.get(s);
          if (!ds) this.domains.set(s, (ds = new Set()));
          ds.add(domain);
        }
      }
    }
  }
  pairCount(senderId: string, recipientId: string): number {
    return this.pairs.get(senderId)?.get(recipientId) ?? 0;
  }
  domainRecent(senderId: string, domain: string): boolean {
    return this.domains.get(senderId)?.has(domain) ?? false;
  }
}

type Planner = (senders: Sender[], members: PoolMember[], history: PairingHistory, random: () => number) => PairingResult;

interface SimStats {
  volume: number;
  placed: number;
  ownWorkspace: number;
  selfSends: number;
  recentRepeats: number;
  unplacedPerDay: number[];
  overCap: number;
  zeroDays: string[];
  target: Map<string, number>;
  received: Map<string, number>;
  providers: Map<string, Set<string>>;
}

function simulate(plan: Planner, seed: number): SimStats {
  const { boxes, externals } = buildFleet(mulberry32(1234));
  const vol = volumes(boxes);
  const rnd = mulberry32(seed);
  const logs: Array<Array<[string, string, string]>> = [];
  const byId = new Map<string, PoolMember>();
  const stats: SimStats = {
    volume: 0, placed: 0, ownWorkspace: 0, selfSends: 0, recentRepeats: 0, unplacedPerDay: [], overCap: 0, zeroDays: [],
    target: new Map(), received: new Map(), providers: new Map(),
  };
  for (let day = 0; day < DAYS; day++) {
    const active = boxes.map((b, i) => ({ b, v: vol[i]![day]! })).filter((x) => x.v > 0);
    const members: PoolMember[] = [
      ...active.map(({ b, v }) => ({ id: b.id, address: b.address, domain: b.domain, provider: b.provider, workspaceId: b.workspaceId, sends: v, receivedToday: 0 })),
      ...externals,
    ];
    for (const m of members) byId.set(m.id, m);
    const senders = active.map(({ b, v }) => ({ mailboxId: b.id, address: b.address, domain: b.domain, provider: b.provider, workspaceId: b.workspaceId, volume: v }));
    const history = new SimHistory(logs, day);
    const { assignments, unplaced } = plan(senders, members, history, rnd);
    stats.unplacedPerDay.push(unplaced);

    const log: Array<[string, string, string]> = [];
    const inbound = new Map<string, number>();
    for (const s of senders) {
      stats.volume += s.volume;
      const provs = stats.providers.get(s.mailboxId) ?? new Set<string>();
      stats.providers.set(s.mailboxId, provs);
      for (const rid of assignments.get(s.mailboxId) ?? []) {
        const r = byId.get(rid)!;
        stats.placed++;
        if (rid === s.mailboxId || r.address === s.address) stats.selfSends++;
        if (r.workspaceId === s.workspaceId) stats.ownWorkspace++;
        if (history.pairCount(s.mailboxId, rid) > 0) stats.recentRepeats++;
        provs.add(r.provider);
        inbound.set(rid, (inbound.get(rid) ?? 0) + 1);
        log.push([s.mailboxId, rid, r.domain]);
      }
    }
    logs.push(log);
    for (const m of members) {
      const got = inbound.get(m.id) ?? 0;
      if (got > (m.cap ?? inboundCap(m.sends))) stats.overCap++;
      if (m.sends > 0) {
        const t = Math.min(m.sends, inboundCap(m.sends));
        stats.target.set(m.id, (stats.target.get(m.id) ?? 0) + t);
        stats.received.set(m.id, (stats.received.get(m.id) ?? 0) + got);
        if (t >= 5 && got === 0) stats.zeroDays.push(`${m.id}@${day}`);
      }
    }
  }
  return stats;
}

/** Baseline: every message to a uniformly random pool member other than the sender. */
const uniformPlanner: Planner = (senders, members, _h, rnd) => {
  const out = new Map<string, string[]>();
  for (const s of senders) {
    const others = members.filter((m) => m.id !== s.mailboxId);
    out.set(s.mailboxId, Array.from({ length: s.volume }, () => others[Math.floor(rnd() * others.length)]!.id));
  }
  return { assignments: out, unplaced: 0 };
};

describe('pairBatch: 30-day fleet simulation', () => {
  const sim = simulate(pairBatch, 99);
  const uniform = simulate(uniformPlanner, 99);
  const fulfilment = [...sim.target].map(([id, t]) => (sim.received.get(id) ?? 0) / t);
  const minFulfilment = Math.min(...fulfilment);
  const ownShare = sim.ownWorkspace / sim.placed;
  const repeatShare = sim.recentRepeats / sim.placed;
  const uniformRepeatShare = uniform.recentRepeats / uniform.placed;
  // Printed so the numbers are visible when tuning weights.
  console.info(
    `fleet: ${sim.placed} messages, own-workspace ${(100 * ownShare).toFixed(2)} % (uniform ${((100 * uniform.ownWorkspace) / uniform.placed).toFixed(1)} %), ` +
      `min inbound fulfilment ${(100 * minFulfilment).toFixed(1)} %, recent-pair share ${(100 * repeatShare).toFixed(1)} % vs uniform ${(100 * uniformRepeatShare).toFixed(1)} %`,
  );

  it('places every message without self-sends or cap overruns', () => {
    expect(sim.placed).toBeGreaterThan(50_000);
    expect(sim.placed).toBe(sim.volume);
    expect(sim.selfSends).toBe(0);
    expect(sim.overCap).toBe(0);
    expect(sim.unplacedPerDay.every((u) => u === 0)).toBe(true);
  });

  it('keeps own-workspace mail under 10 %', () => {
    expect(ownShare).toBeLessThan(0.1);
  });

  it('gives every active mailbox its inbound share', () => {
    expect(sim.target.size).toBe(200);
    expect(minFulfilment).toBeGreaterThanOrEqual(0.8);
    expect(sim.zeroDays).toEqual([]);
  });

  it('spreads each sender across providers', () => {
    for (const [id, provs] of sim.providers) expect(provs.size, id).toBeGreaterThanOrEqual(3);
  });

  it('makes recently used pairs rare compared with uniform choice', () => {
    expect(repeatShare).toBeLessThan(uniformRepeatShare / 2);
  });
});
