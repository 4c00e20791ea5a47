// Pool pairing: for one planning batch, choose the recipient of every warmup message.
// Pure (no I/O, no clock); randomness is injected so plans are reproducible in tests.
//
// Scale matters (10,000 senders × ~40 messages against 10,000 members), so messages never score
// the whole pool: senders' messages are interleaved in random round-robin order and each message
// scores a small random sample drawn mostly from the members still below their inbound target.

export interface PoolMember {
  /** Stable id: the mailbox id, or 'ext:<id>' for an external pool recipient. */
  id: string;
  address: string;
  domain: string;
  /** gmail | outlook | yahoo | zoho | custom ... */
  provider: string;
  /** Externals belong to the workspace that added them. */
  workspaceId: string;
  /** The member's own sends in this day (0 for externals): its inbound target. */
  sends: number;
  /** Already received (planned) today before this batch, e.g. from an earlier batch in another time zone. */
  receivedToday: number;
  /** Override of the default cap (externals may set their own). */
  cap?: number;
}

export interface Sender {
  mailboxId: string;
  address: string;
  domain: string;
  provider: string;
  workspaceId: string;
  volume: number;
}

export interface PairingHistory {
  /** Times this sender mailed this recipient id in the last 7 days. */
  pairCount(senderId: string, recipientId: string): number;
  /** This sender mailed this recipient domain within the last 72 h. */
  domainRecent(senderId: string, domain: string): boolean;
}

export interface PairingResult {
  /** mailboxId -> recipient member ids, one per message (length ≤ volume). */
  assignments: Map<string, string[]>;
  /** Messages that could not be placed without breaking a hard rule (self, cap). */
  unplaced: number;
}

/**
 * Costs (lower is better) added to a candidate; all must be ≥ 0 except `deficit`, which is a bonus.
 * The sampling sizes live here too so a caller can tune quality against speed in one place.
 */
export interface PairingWeights {
  /** Same workspace as the sender: organisations must not warm themselves up (warmbly #575). */
  sameWorkspace: number;
  sameDomain: number;
  /** Mild: spreads a sender's mail across providers. */
  sameProvider: number;
  /** Per use of this (sender, recipient) pair in the last 7 days. */
  recentPairPerUse: number;
  /** The sender mailed this recipient domain in the last 72 h. */
  recentDomain: number;
  /** Same recipient twice for one sender in this batch: a last resort only. */
  repeatInBatch: number;
  /** Bonus × the fraction of its target a member still lacks: deficit first. */
  deficit: number;
  /** Member already at its target while there is spare volume (externals absorb surplus). */
  surplus: number;
  /** Member already at its target while every remaining message is needed by someone below target. */
  surplusWhenTight: number;
  /** Random noise (× U[0,1)) so equal candidates are picked at random. */
  jitter: number;
  /** Candidates sampled per message from members below target. */
  sampleNeedy: number;
  /** Candidates sampled per message from all members below cap. */
  sampleOpen: number;
}

export const defaultWeights: PairingWeights = {
  sameWorkspace: 8,
  sameDomain: 3,
  sameProvider: 1,
  recentPairPerUse: 2,
  recentDomain: 1,
  repeatInBatch: 1000,
  deficit: 4,
  surplus: 0.5,
  surplusWhenTight: 6,
  jitter: 0.5,
  sampleNeedy: 12,
  sampleOpen: 4,
};

export const INBOUND_FLOOR = 10;
export const INBOUND_CEILING = 60;

/** Daily inbound cap: about 2× the member's own sends, floor 10, ceiling 60 (warmbly #633). */
export function inboundCap(sends: number): number {
  const s = Number.isFinite(sends) && sends > 0 ? Math.floor(sends) : 0;
  return Math.min(INBOUND_CEILING, Math.max(INBOUND_FLOOR, 2 * s));
}

const wholeOrZero = (n: number | undefined): number => (n !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** Maps strings to small ints; addresses, domains and providers compare case-insensitively, ids exactly. */
function interner(fold: boolean): (s: string) => number {
  const ids = new Map<string, number>();
  return (s) => {
    const key = fold ? s.trim().toLowerCase() : s;
    let v = ids.get(key);
    if (v === undefined) {
      v = ids.size;
      ids.set(key, v);
    }
    return v;
  };
}

/** Unordered set of member indexes with O(1) add / remove / uniform pick (swap-remove). */
class IndexSet {
  readonly items: Int32Array;
  readonly pos: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
  }
  add(i: number): void {
    this.pos[i] = this.size;
    this.items[this.size++] = i;
  }
  remove(i: number): void {
    const p = this.pos[i]!;
    if (p < 0) return;
    const last = this.items[--this.size]!;
    this.items[p] = last;
    this.pos[last] = p;
    this.pos[i] = -1;
  }
}

export function pairBatch(
  senders: Sender[],
  members: PoolMember[],
  history: PairingHistory,
  random: () => number,
  weights?: Partial<PairingWeights>,
): PairingResult {
  const w: PairingWeights = { ...defaultWeights, ...weights };
  const n = members.length;

  // Strings are interned to small ints once so the hot loop compares numbers only.
  const wsId = interner(false);
  const domId = interner(true);
  const provId = interner(true);
  const addrId = interner(true);
  const mWs = new Int32Array(n);
  const mDom = new Int32Array(n);
  const mProv = new Int32Array(n);
  const mAddr = new Int32Array(n);
  const cap = new Int32Array(n);
  const target = new Int32Array(n);
  const received = new Int32Array(n);
  const indexById = new Map<string, number>();
  const needy = new IndexSet(n);
  const open = new IndexSet(n);
  let remainingNeed = 0;

  for (let i = 0; i < n; i++) {
    const m = members[i]!;
    if (!indexById.has(m.id)) indexById.set(m.id, i);
    mWs[i] = wsId(m.workspaceId);
    mDom[i] = domId(m.domain);
    mProv[i] = provId(m.provider);
    mAddr[i] = addrId(m.address);
    const sends = wholeOrZero(m.sends);
    const c = m.cap !== undefined ? wholeOrZero(m.cap) : inboundCap(sends);
    cap[i] = c;
    // A member can only be owed what its cap allows.
    target[i] = Math.min(sends, c);
    received[i] = wholeOrZero(m.receivedToday);
    if (received[i]! < c) open.add(i);
    if (received[i]! < target[i]!) {
      needy.add(i);
      remainingNeed += target[i]! - received[i]!;
    }
  }

  // Senders listed twice share one sender key: one recipient list, one "already mailed" check.
  const senderKey = new Map<string, number>();
  const keyIds: string[] = [];
  const sKey = new Int32Array(senders.length);
  const sSelf = new Int32Array(senders.length);
  const sWs = new Int32Array(senders.length);
  const sDom = new Int32Array(senders.length);
  const sProv = new Int32Array(senders.length);
  const sAddr = new Int32Array(senders.length);
  const sVol = new Int32Array(senders.length);
  const keyVolume: number[] = [];
  let remainingMessages = 0;
  let maxVolume = 0;
  for (let i = 0; i < senders.length; i++) {
    const s = senders[i]!;
    let k = senderKey.get(s.mailboxId);
    if (k === undefined) {
      k = keyIds.length;
      senderKey.set(s.mailboxId, k);
      keyIds.push(s.mailboxId);
      keyVolume.push(0);
    }
    sKey[i] = k;
    sSelf[i] = indexById.get(s.mailboxId) ?? -1;
    sWs[i] = wsId(s.workspaceId);
    sDom[i] = domId(s.domain);
    sProv[i] = provId(s.provider);
    sAddr[i] = addrId(s.address);
    const v = wholeOrZero(s.volume);
    sVol[i] = v;
    keyVolume[k]! += v;
    remainingMessages += v;
    if (v > maxVolume) maxVolume = v;
  }

  // Each sender key's recipients (member indexes) sit in one contiguous slice of `placed`: the
  // "already mailed in this batch" check scans ≤ volume ints in cache, and the result arrays are
  // built once at the end (pushing into 10,000 growing arrays was the slowest line).
  const keyStart = new Int32Array(keyIds.length + 1);
  for (let k = 0; k < keyIds.length; k++) keyStart[k + 1] = keyStart[k]! + keyVolume[k]!;
  const keyCount = new Int32Array(keyIds.length);
  const placed = new Int32Array(remainingMessages);
  const mailed = (k: number, j: number): boolean => {
    const from = keyStart[k]!;
    const to = from + keyCount[k]!;
    for (let p = from; p < to; p++) if (placed[p] === j) return true;
    return false;
  };
  let unplaced = 0;

  // Weights as locals: read millions of times in the loop below.
  const wJitter = w.jitter;
  const wWs = w.sameWorkspace;
  const wDom = w.sameDomain;
  const wProv = w.sameProvider;
  const wDeficit = w.deficit;
  const wSurplus = w.surplus;
  const wTight = w.surplusWhenTight;
  const wRepeat = w.repeatInBatch;
  const wPair = w.recentPairPerUse;
  const wRecentDomain = w.recentDomain;
  const kNeedy = Math.max(0, Math.floor(w.sampleNeedy));
  const kOpen = Math.max(0, Math.floor(w.sampleOpen));
  const cand = new Int32Array(kNeedy + kOpen);
  const candIdx = new Int32Array(kNeedy + kOpen);
  const candCost = new Float64Array(kNeedy + kOpen);
  // Buffers for the rare full scan of the open set, allocated on first use.
  let scanIdx = new Int32Array(0);
  let scanCost = new Float64Array(0);

  const active: number[] = [];
  for (let i = 0; i < senders.length; i++) if (sVol[i]! > 0) active.push(i);

  for (let round = 0; round < maxVolume; round++) {
    // Drop senders whose volume is spent, then shuffle so no sender gets first pick every round.
    let len = 0;
    for (const i of active) if (sVol[i]! > round) active[len++] = i;
    active.length = len;
    for (let a = len - 1; a > 0; a--) {
      const b = Math.floor(random() * (a + 1));
      const tmp = active[a]!;
      active[a] = active[b]!;
      active[b] = tmp;
    }

    for (const i of active) {
      const senderId = senders[i]!.mailboxId;
      const self = sSelf[i]!;
      const addr = sAddr[i]!;
      const ws = sWs[i]!;
      const dom = sDom[i]!;
      const prov = sProv[i]!;
      const key = sKey[i]!;
      // When the open need covers every remaining message, mail to a satisfied member starves someone.
      const surplusCost = remainingNeed >= remainingMessages ? wTight : wSurplus;
      remainingMessages--;

      // Candidates: a sample of the needy plus a few below cap; small sets are taken whole so the
      // last few members are not missed in the end game.
      let nc = 0;
      if (needy.size <= kNeedy) for (let p = 0; p < needy.size; p++) cand[nc++] = needy.items[p]!;
      else for (let q = 0; q < kNeedy; q++) cand[nc++] = needy.items[Math.floor(random() * needy.size)]!;
      if (open.size <= kOpen) for (let p = 0; p < open.size; p++) cand[nc++] = open.items[p]!;
      else for (let q = 0; q < kOpen; q++) cand[nc++] = open.items[Math.floor(random() * open.size)]!;

      let best = -1;
      let bestCost = Infinity;
      // Pass 0 scores the sample. Pass 1 runs only if the sample had nothing placeable or only a
      // repeat: it looks at every member below cap before accepting a repeat. Rare on a large pool;
      // on a small one the open set is small anyway.
      for (let pass = 0; pass < 2; pass++) {
        if (pass === 1) {
          if (best >= 0 && !mailed(key, best)) break;
          if (scanIdx.length < open.size) {
            scanIdx = new Int32Array(n);
            scanCost = new Float64Array(n);
          }
        }
        const items = pass === 0 ? cand : open.items;
        const count = pass === 0 ? nc : open.size;
        const idx = pass === 0 ? candIdx : scanIdx;
        const base = pass === 0 ? candCost : scanCost;
        // Cheap terms for every candidate first.
        let m = 0;
        for (let c = 0; c < count; c++) {
          const j = items[c]!;
          if (j === self || mAddr[j] === addr) continue;
          let cost = wJitter * random();
          if (mWs[j] === ws) cost += wWs;
          if (mDom[j] === dom) cost += wDom;
          if (mProv[j] === prov) cost += wProv;
          const t = target[j]!;
          const r = received[j]!;
          cost += r < t ? (-wDeficit * (t - r)) / t : surplusCost;
          idx[m] = j;
          base[m++] = cost;
        }
        // The repeat check and history lookups are the expensive part (~1 µs per candidate on a 10k
        // fleet) and only add cost: visit candidates cheapest first (selection, usually one or two
        // steps) and stop once none can beat the best.
        for (let left = m; left > 0; left--) {
          let at = 0;
          for (let c = 1; c < m; c++) if (base[c]! < base[at]!) at = c;
          let cost = base[at]!;
          if (cost >= bestCost) break;
          base[at] = Infinity;
          const j = idx[at]!;
          if (mailed(key, j)) {
            cost += wRepeat;
            if (cost >= bestCost) continue;
          }
          const member = members[j]!;
          if (wPair !== 0) {
            cost += wPair * history.pairCount(senderId, member.id);
            if (cost >= bestCost) continue;
          }
          if (wRecentDomain !== 0 && history.domainRecent(senderId, member.domain)) cost += wRecentDomain;
          if (cost < bestCost) {
            bestCost = cost;
            best = j;
          }
        }
      }
      if (best < 0) {
        unplaced++;
        continue;
      }
      const j = best;
      const before = received[j]!;
      received[j] = before + 1;
      if (before < target[j]!) {
        remainingNeed--;
        if (before + 1 >= target[j]!) needy.remove(j);
      }
      if (before + 1 >= cap[j]!) open.remove(j);
      placed[keyStart[key]! + keyCount[key]!] = j;
      keyCount[key]!++;
    }
  }

  const assignments = new Map<string, string[]>();
  for (let k = 0; k < keyIds.length; k++) {
    const list = new Array<string>(keyCount[k]!);
    for (let p = 0; p < list.length; p++) list[p] = members[placed[keyStart[k]! + p]!]!.id;
    assignments.set(keyIds[k]!, list);
  }
  return { assignments, unplaced };
}
