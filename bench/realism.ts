// `npm run bench:realism`: how natural is the built-in warmup content? Generates 10,000 warmup
// messages (plus replies to some of them) exactly as Kiln would put them on the wire, scores them
// with a local SpamAssassin (no network tests), counts distinct bodies, and measures how irregular
// one day's send times are. Prints numbers; asserts nothing. Talks to no network at all.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { checkContent, corpusProvider, type Content, type ContentRequest } from '../electron/core/warmup/content';
import { REF_HEADER } from '../electron/core/mail/headers';
import { seededRandom } from '../shared/warmup/random';
import { spreadTimes } from '../shared/warmup/spacing';
import { fmt, tempDir } from './util';

const N = Number(process.env.BENCH_REALISM_MESSAGES ?? 10_000);
/** SpamAssassin costs ~60 ms a message per core here: all 10,000 would take ~5 min, so score a uniform sample. */
const SAMPLE = Math.min(N, Number(process.env.BENCH_REALISM_SA_SAMPLE ?? 2_000));
const REPLIES = Number(process.env.BENCH_REALISM_REPLIES ?? 500);
const SA = process.env.SPAMASSASSIN ?? '/usr/bin/spamassassin';

/**
 * SpamAssassin settings. -L (passed below) already skips every network test; on top of that:
 * - dns_available no: belt and braces, no DNS lookups at all.
 * - report_safe 0: spam keeps its own headers instead of being wrapped as an attachment, so every
 *   result can be matched to its message by the ref header (changes no score).
 * - use_bayes 0 / bayes_auto_learn 0: there is no trained Bayes database here, and learning from
 *   10,000 near-identical messages would make later scores depend on earlier ones.
 * - NO_RECEIVED, NO_RELAYS, ALL_TRUSTED scored 0: they fire only because we score the message as
 *   it leaves Kiln, before any MTA adds a Received header (ALL_TRUSTED would also give a -1 bonus
 *   no real recipient grants). Nothing else is changed.
 */
const SA_CONFIG = ['dns_available no', 'report_safe 0', 'use_bayes 0', 'bayes_auto_learn 0', 'score NO_RECEIVED 0', 'score NO_RELAYS 0', 'score ALL_TRUSTED 0'];

const FIRST = ['Anna', 'Tom', 'Maria', 'James', 'Sofia', 'Lukas', 'Emma', 'Oliver', 'Chloe', 'Daniel', 'Priya', 'Mateo', 'Hannah', 'Jonas', 'Grace', 'Samuel', 'Lena', 'Marco', 'Julia', 'Ethan', 'Zoe', 'Ravi', 'Ines', 'Peter', 'Claire', 'Felix', 'Nora', 'Adam', 'Elena', 'Hugo', 'Mia', 'Kenji', 'Alice', 'David', 'Freya', 'Omar', 'Laura', 'Ben', 'Eva', 'Chris'];
const LAST = ['Kowalska', 'Baker', 'Novak', 'Schmidt', 'Garcia', 'Muller', 'Johnson', 'Rossi', 'Dubois', 'Lindqvist', 'Patel', 'Okafor', 'Walsh', 'Moreau', 'Berg', 'Silva', 'Tanaka', 'Fischer', 'Costa', 'Murphy', 'Nielsen', 'Horvat', 'Evans', 'Brennan', 'Kim', 'Larsen', 'Weber', 'Reyes', 'Hughes', 'Van Dijk'];
const DOMAINS = ['northwind.test', 'harbourlane.test', 'bluefield-studio.test', 'oakridge.test', 'meridian-labs.test', 'kestrel.test', 'lindenhouse.test', 'copperleaf.test', 'saltmarsh.test', 'tidewater-group.test', 'greyfriars.test', 'alder-and-co.test'];
const ZONES = ['Europe/Warsaw', 'Europe/London', 'America/New_York', 'America/Chicago', 'Asia/Singapore', 'Australia/Sydney'];
const ROLES = ['info', 'office', 'hello', 'team'];

type Random = () => number;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const hex = () => randomBytes(16).toString('hex');

interface Person {
  address: string;
  name: string | null;
  zone: string;
}

function person(r: Random): Person {
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const domain = pick(r, DOMAINS);
  const f = first.toLowerCase();
  const l = last.toLowerCase().replace(/\s+/g, '');
  const styles = [`${f}.${l}`, f, `${f[0]}.${l}`, `${f}${l}`, `${f}_${l}`, `${f[0]}${l}`];
  // A few role mailboxes with no person behind them exercise the unnamed greetings.
  const role = r() < 0.05;
  const local = role ? pick(r, ROLES) : pick(r, styles);
  const name = role ? (r() < 0.5 ? null : `${pick(r, ['Office', 'Team', 'Studio'])} ${domain.split(/[.-]/)[0]}`) : r() < 0.75 ? `${first} ${last}` : null;
  return { address: `${local}@${domain}`, name, zone: pick(r, ZONES) };
}

interface Built {
  ref: string;
  kind: 'warmup' | 'reply';
  raw: string;
}

/** The RFC 5322 message as Kiln's dispatcher hands it to nodemailer (see electron/core/sending/dispatcher.ts). */
async function build(
  t: Transporter,
  from: Person,
  to: Person,
  c: Content,
  at: number,
  thread?: { inReplyTo: string },
): Promise<{ raw: string; ref: string; messageId: string }> {
  const ref = hex();
  const messageId = `<${hex()}@${from.address.split('@')[1]}>`;
  const info = await t.sendMail({
    from: from.name ? { name: from.name, address: from.address } : from.address,
    to: [to.address],
    subject: c.subject,
    text: c.text,
    messageId,
    ...(thread ? { inReplyTo: thread.inReplyTo, references: thread.inReplyTo } : {}),
    headers: { [REF_HEADER]: ref },
    date: new Date(at),
  });
  return { raw: (info.message as Buffer).toString('utf8'), ref, messageId };
}

/**
 * Controls scored with the sample but not counted: if they do not score high, the pipeline (mbox
 * split, header parsing, rules loaded) is broken and a 0.0 for our mail would mean nothing.
 */
const CONTROLS = [
  { ref: 'c'.repeat(32), label: 'GTUBE', body: 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X' },
  { ref: 'd'.repeat(32), label: 'spammy', body: 'Click here to claim your FREE prize!!! 100% guaranteed, act now, limited time offer. Buy viagra at the lowest price. Unsubscribe here.' },
];

function control(c: (typeof CONTROLS)[number]): Built {
  const raw = [
    'From: Best Deals <deals@promo.test>', 'To: tom.baker@harbourlane.test', 'Subject: CONGRATULATIONS YOU ARE A WINNER!!!',
    `Message-ID: <${hex()}@promo.test>`, `Date: ${new Date().toUTCString()}`, `${REF_HEADER}: ${c.ref}`, 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', '', c.body, '',
  ].join('\n');
  return { ref: c.ref, kind: 'warmup', raw };
}

interface Score {
  score: number;
  tests: string[];
}

/** Runs one `spamassassin --mbox` per core over slices of the sample; results keyed by the ref header. */
async function score(messages: Built[], dir: string): Promise<Map<string, Score>> {
  const procs = Math.max(1, Math.min(4, os.cpus().length));
  const slices = Array.from({ length: procs }, (_, i) => messages.filter((_m, j) => j % procs === i));
  const home = path.join(dir, 'home'); // SA keeps per-user state under $HOME: keep it out of the real one
  fs.mkdirSync(home);
  const args = ['-L', '--mbox', ...SA_CONFIG.map((c) => `--cf=${c}`)];
  const outputs = await Promise.all(
    slices.map(async (slice, i) => {
      const file = path.join(dir, `sample-${i}.mbox`);
      // mboxrd: body lines starting with "From " are escaped, so splitting the output is safe.
      fs.writeFileSync(file, slice.map((m) => `From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n${m.raw.replace(/^(>*From )/gm, '>$1')}\n`).join(''));
      const child = spawn(SA, args, { stdio: 'pipe', env: { ...process.env, HOME: home } });
      fs.createReadStream(file).pipe(child.stdin);
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (code !== 0) throw new Error(`spamassassin exited with ${code}: ${err.slice(0, 500)}`);
      return out;
    }),
  );
  const scores = new Map<string, Score>();
  for (const msg of outputs.join('').split(/^From MAILER-DAEMON /m)) {
    const headers = (msg.split(/\n\n/)[0] ?? '').replace(/\n[ \t]+/g, ' ');
    const ref = new RegExp(`^${REF_HEADER}: *([0-9a-f]{32})`, 'mi').exec(headers)?.[1];
    const status = /^X-Spam-Status: \w+, score=(-?[\d.]+) .*?tests=(\S*)/m.exec(headers);
    if (!ref || !status) continue;
    scores.set(ref, { score: Number(status[1]), tests: status[2] === 'none' ? [] : status[2]!.split(',').filter(Boolean) });
  }
  return scores;
}

function spacingCv(): { cv: number; minGapMin: number } {
  const start = Date.UTC(2026, 2, 3, 8, 0);
  const times = spreadTimes(start, start + 10 * 3_600_000, 40, 2 * 60_000, seededRandom('realism-spacing'));
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
  return { cv: sd / mean, minGapMin: Math.min(...gaps) / 60_000 };
}

async function main() {
  if (spawnSync(SA, ['-V'], { encoding: 'utf8' }).status !== 0) throw new Error(`SpamAssassin not found at ${SA} (set SPAMASSASSIN)`);
  const dir = tempDir('kiln-realism');
  try {
    const provider = corpusProvider();
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const r = seededRandom('realism-people');
    const dayStart = Date.now() - 24 * 3_600_000; // the last 24 h: no Date header in the future

    const t0 = performance.now();
    const warmups: (Built & { req: ContentRequest; content: Content; messageId: string; from: Person; to: Person })[] = [];
    for (let i = 0; i < N; i++) {
      const from = person(r);
      let to = person(r);
      while (to.address === from.address) to = person(r);
      const at = Math.floor(dayStart + r() * 24 * 3_600_000);
      const req: ContentRequest = { kind: 'warmup', seed: `msg_realism_${i}`, from, to, at, timeZone: from.zone };
      const content = await provider.generate(req);
      const b = await build(transport, from, to, content, at);
      warmups.push({ ...b, kind: 'warmup', req, content, from, to });
    }
    const genSeconds = (performance.now() - t0) / 1000;
    const distinct = new Set(warmups.map((w) => w.content.text)).size / N;
    const meanBytes = warmups.reduce((a, w) => a + w.raw.length, 0) / N;
    const unfit = warmups.filter((w) => checkContent(w.content) !== null).length;
    console.log(`generated: ${N} warmup messages in ${fmt(genSeconds, 1)} s (corpus + nodemailer), mean size ${fmt(meanBytes)} B, distinct bodies ${new Set(warmups.map((w) => w.content.text)).size}/${N}, failing checkContent ${unfit}`);

    // Uniform sample without replacement (partial Fisher-Yates with a seeded PRNG: same sample every run).
    const rs = seededRandom('realism-sample');
    const idx = warmups.map((_w, i) => i);
    for (let i = 0; i < SAMPLE; i++) {
      const j = i + Math.floor(rs() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const sample: Built[] = idx.slice(0, SAMPLE).map((i) => warmups[i]!);

    // Replies to sampled warmups, as the recipient's mailbox would send them an hour or two later.
    const replies: Built[] = [];
    for (let i = 0; i < Math.min(REPLIES, SAMPLE); i++) {
      const w = warmups[idx[i]!]!;
      const at = w.req.at + Math.floor((1 + rs()) * 3_600_000);
      const original = { subject: w.content.subject, text: w.content.text, from: w.from.name ? `${w.from.name} <${w.from.address}>` : w.from.address, sentAt: w.req.at };
      const content = await provider.generate({ kind: 'reply', seed: `msg_realism_reply_${i}`, from: w.to, to: w.from, at: Math.min(at, Date.now()), timeZone: w.to.zone, original });
      replies.push({ ...(await build(transport, w.to, w.from, content, Math.min(at, Date.now()), { inReplyTo: w.messageId })), kind: 'reply' });
    }

    const all = [...sample, ...replies];
    const t1 = performance.now();
    const scores = await score([...all, ...CONTROLS.map(control)], dir);
    const saSeconds = (performance.now() - t1) / 1000;
    const controls = CONTROLS.map((c) => ({ ...c, score: scores.get(c.ref)?.score ?? NaN }));
    console.log(`  controls (not counted): ${controls.map((c) => `${c.label}=${c.score}`).join(' ')}`);
    if (!controls.every((c) => c.score >= 5)) throw new Error('SpamAssassin did not flag the spam controls: scoring is broken');
    const missing = all.filter((m) => !scores.has(m.ref)).length;
    if (missing > 0) throw new Error(`${missing} messages came back from SpamAssassin without a score`);
    console.log(`spamassassin: scored ${all.length} messages (uniform sample of ${SAMPLE} of ${N} warmups + ${replies.length} replies) in ${fmt(saSeconds, 1)} s, ${fmt((saSeconds * 1000) / all.length, 1)} ms/message; config: -L ${SA_CONFIG.map((c) => `'${c}'`).join(' ')}`);

    const summary = (label: string, ms: Built[]) => {
      const s = ms.map((m) => scores.get(m.ref)!.score);
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      console.log(`  ${label}: n=${s.length} mean=${fmt(mean, 3)} max=${fmt(Math.max(...s), 1)} over-1.0=${s.filter((x) => x >= 1).length}`);
      return { mean, max: Math.max(...s) };
    };
    summary('warmup', sample);
    if (replies.length > 0) summary('reply', replies);
    const total = summary('all', all);

    const hits = new Map<string, number>();
    for (const m of all) for (const t of scores.get(m.ref)!.tests) hits.set(t, (hits.get(t) ?? 0) + 1);
    const top = [...hits.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(`  top rules: ${top.length === 0 ? 'none hit' : top.map(([t, n]) => `${t}=${n} (${fmt((100 * n) / all.length, 1)}%)`).join(', ')}`);
    const worst = all.reduce((a, m) => (scores.get(m.ref)!.score > scores.get(a.ref)!.score ? m : a));
    if (scores.get(worst.ref)!.score > 0) console.log(`  highest: ${scores.get(worst.ref)!.score} ${scores.get(worst.ref)!.tests.join(',')} (${worst.kind})`);

    const spacing = spacingCv();
    console.log(`spacing: 40 sends 08:00-18:00, 2 min floor: cv of gaps=${fmt(spacing.cv, 3)} (evenly spaced = 0, Poisson-like ~ 1), min gap ${fmt(spacing.minGapMin, 1)} min`);
    console.log(`realism: sa-mean=${fmt(total.mean, 3)} sa-max=${fmt(total.max, 1)} distinct=${fmt(distinct, 4)} spacing-cv=${fmt(spacing.cv, 3)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
