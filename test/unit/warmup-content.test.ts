import { describe, expect, it } from 'vitest';
import { builtInCorpus, checkContent, corpusProvider, firstName, type ContentRequest } from '../../electron/core/warmup/content';
import { render, templateVars } from '../../electron/core/warmup/content/corpus';
import { replySubject } from '../../electron/core/warmup/content/thread';
import { calendarVars } from '../../electron/core/warmup/content/vars';

const provider = corpusProvider();
const AT = Date.UTC(2026, 2, 6, 9, 30); // Friday 6 March 2026, 10:30 in Warsaw

const warmup = (seed: string, over: Partial<ContentRequest> = {}): ContentRequest => ({
  kind: 'warmup',
  seed,
  from: { address: 'anna.kowalska@northwind.test', name: 'Anna Kowalska' },
  to: { address: 'tom.baker@harbourlane.test', name: null },
  at: AT,
  timeZone: 'Europe/Warsaw',
  ...over,
});

const original = { subject: 'Project timeline', text: 'Hi Tom,\n\nWe are still on track to finish the first phase by the end of March.\n\nBest,\nAnna\n', from: 'Anna Kowalska <anna.kowalska@northwind.test>', sentAt: AT };
const reply = (seed: string, subject = original.subject): ContentRequest => ({
  kind: 'reply',
  seed,
  from: { address: 'tom.baker@harbourlane.test', name: 'Tom Baker' },
  to: { address: 'anna.kowalska@northwind.test', name: 'Anna Kowalska' },
  at: AT + 3_600_000,
  timeZone: 'Europe/Warsaw',
  original: { ...original, subject },
});

describe('corpus provider', () => {
  it('is deterministic per seed', async () => {
    expect(await provider.generate(warmup('msg_1'))).toEqual(await provider.generate(warmup('msg_1')));
    expect(await corpusProvider().generate(reply('msg_2'))).toEqual(await provider.generate(reply('msg_2')));
    expect((await provider.generate(warmup('msg_1'))).text).not.toBe((await provider.generate(warmup('msg_3'))).text);
  });

  it('gives at least 99 % distinct bodies over 10,000 messages, all fit for warmup and fully rendered', async () => {
    // Same sender, recipient and time for all: only the seed varies, the hardest case for variety.
    const bodies = new Set<string>();
    const unfit: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const c = await provider.generate(warmup(`msg_${i}`));
      bodies.add(c.text);
      const why = checkContent(c);
      if (why) unfit.push(`${why}: ${c.subject} / ${c.text}`);
      if (/\{\{|\}\}|undefined|null/.test(c.subject + c.text)) unfit.push(`unrendered: ${c.text}`);
    }
    expect(unfit).toEqual([]);
    expect(bodies.size).toBeGreaterThanOrEqual(9_900);
  });

  it('has the promised size and every template renders in strict mode', () => {
    const c = builtInCorpus;
    expect(c.subjects.length + c.topics.reduce((n, t) => n + t.subjects.length, 0)).toBeGreaterThanOrEqual(120);
    expect(c.greetings.length).toBeGreaterThanOrEqual(20);
    expect(c.topics.length).toBeGreaterThanOrEqual(25);
    for (const t of c.topics) expect(t.sentences.length).toBeGreaterThanOrEqual(4);
    expect(c.signOffs.length).toBeGreaterThanOrEqual(15);
    expect(c.replies.length + c.topics.reduce((n, t) => n + t.replies.length, 0)).toBeGreaterThanOrEqual(60);
    const vars = templateVars(warmup('x'));
    const all = [
      ...c.subjects, ...c.openings, ...c.closings, ...c.signOffs, ...c.replies,
      ...c.greetings.flatMap((g) => [g.named, g.unnamed]),
      ...c.topics.flatMap((t) => [...t.subjects, ...t.sentences, ...t.replies]),
    ];
    for (const t of all) {
      const out = render(t, vars);
      expect(out, t).not.toMatch(/\{\{|\}\}|!!|https?:|www\.|@/);
      // Names belong in greetings only, where an unnamed variant exists.
      if (!c.greetings.some((g) => g.named === t)) expect(t).not.toMatch(/FirstName/);
    }
    for (const g of c.greetings) expect(g.unnamed).not.toMatch(/FirstName/);
  });

  it('greets without a name when none can be trusted', async () => {
    const unnamed = new Set(builtInCorpus.greetings.map((g) => g.unnamed));
    for (const address of ['info@northwind.test', 'noreply@northwind.test', 'admin2@northwind.test', 'jsmith@northwind.test']) {
      for (let i = 0; i < 50; i++) {
        const c = await provider.generate(warmup(`msg_${i}`, { to: { address, name: null }, from: { address: 'office@northwind.test', name: null } }));
        const greeting = c.text.split('\n')[0]!;
        const vars = templateVars(warmup('x', { to: { address, name: null } }));
        expect([...unnamed].map((g) => render(g, vars))).toContain(greeting);
        expect(c.text).not.toMatch(/\b(info|noreply|admin2?|jsmith)\b/i);
        expect(c.text.trimEnd()).toMatch(/,$/); // sign-off without a name under it
      }
    }
  });

  it('derives first names only from what looks like one', () => {
    expect(firstName('Anna Kowalska', 'x@a.test')).toBe('Anna');
    expect(firstName('Kowalska, Anna', 'x@a.test')).toBe('Anna');
    expect(firstName('"ANNA KOWALSKA"', 'x@a.test')).toBe('Anna');
    expect(firstName(null, 'anna.kowalska@a.test')).toBe('Anna');
    expect(firstName(null, 'anna_k+news@a.test')).toBe('Anna');
    expect(firstName(null, 'chris@a.test')).toBe('Chris');
    expect(firstName('Support Team', 'support@a.test')).toBeNull();
    for (const local of ['info', 'admin', 'noreply', 'no-reply', 'anna2', 'a.kowalska', 'jsmith', 'postmaster', 'x']) {
      expect(firstName(null, `${local}@a.test`), local).toBeNull();
    }
  });

  it('uses the calendar of the mailbox time zone', () => {
    // 07:30 UTC on a Friday is 16:30 in Tokyo: afternoon, and the next working day is Monday.
    expect(calendarVars(Date.UTC(2026, 2, 6, 7, 30), 'Asia/Tokyo')).toEqual({ weekday: 'Friday', nextWeekday: 'Monday', month: 'March', timeOfDay: 'afternoon' });
    expect(calendarVars(Date.UTC(2026, 2, 6, 7, 30), 'America/New_York')).toMatchObject({ weekday: 'Friday', timeOfDay: 'morning', nextWeekday: 'Monday' });
    expect(calendarVars(Date.UTC(2026, 2, 3, 12), 'not/a-zone')).toMatchObject({ weekday: 'Tuesday', nextWeekday: 'Wednesday' });
  });

  it('threads replies: one "Re:", a short answer, the attribution line and the original quoted', async () => {
    expect(replySubject('Project timeline')).toBe('Re: Project timeline');
    expect(replySubject('Re: Project timeline')).toBe('Re: Project timeline');
    expect(replySubject('RE: re:Aw: Project timeline')).toBe('Re: Project timeline');
    for (let i = 0; i < 200; i++) {
      const c = await provider.generate(reply(`msg_${i}`, i % 2 ? 'Re: Project timeline' : 'Project timeline'));
      expect(c.subject).toBe('Re: Project timeline');
      const [answer, quote] = c.text.split(/\n\nOn Fri, 6 Mar 2026 at 10:30, Anna Kowalska <anna\.kowalska@northwind\.test> wrote:\n/);
      expect(quote, c.text).toBe(`${original.text.trimEnd().split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n')}\n`);
      expect(answer!.length).toBeGreaterThan(10);
      expect(answer).not.toMatch(/^>/m);
      expect(checkContent(c)).toBeNull();
    }
  });

  it('answers on topic some of the time', async () => {
    const onTopic = builtInCorpus.topics.find((t) => t.name === 'timeline')!.replies.map((r) => render(r, templateVars(reply('x'))));
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => provider.generate(reply(`msg_${i}`))));
    expect(answers.filter((a) => onTopic.some((r) => a.text.includes(r))).length).toBeGreaterThan(20);
  });
});

describe('checkContent', () => {
  const body = 'Hi Tom,\n\nThe draft is ready for a look whenever you have a moment.\n\nBest,\nAnna\n';
  const ok = { subject: 'Draft for review', text: body };

  it('accepts ordinary mail, addresses inside the quoted original included', () => {
    expect(checkContent(ok)).toBeNull();
    expect(checkContent({ subject: 'Re: Draft', text: `Thanks, it looks good to me.\n\nTom\n\nOn Tue, 3 Mar 2026 at 10:14, Anna <anna@northwind.com> wrote:\n> ${body.split('\n').join('\n> ')}` })).toBeNull();
  });

  it.each([
    ['a link', { ...ok, text: `${body}See https://docs.test/x` }, /link/],
    ['www.', { ...ok, text: `${body}It is on www.northwind.test` }, /link/],
    ['a bare domain', { ...ok, text: `${body}It is on example.com today.` }, /domain/],
    ['HTML', { ...ok, text: `<p>${body}</p>` }, /HTML/],
    ['an image', { ...ok, text: `${body}![chart](chart)` }, /image/],
    ['an image file', { ...ok, text: `${body}See the attached chart.png please.` }, /image/],
    ['an email address', { ...ok, text: `${body}Write to tom@harbour.test instead.` }, /address/],
    ['an empty subject', { ...ok, subject: '  ' }, /subject/],
    ['a long subject', { ...ok, subject: 'a'.repeat(121) }, /subject/],
    ['a short body', { ...ok, text: 'Hi.\n' }, /short/],
    ['a long body', { ...ok, text: 'All fine here. '.repeat(250) }, /long/],
    ['a spam word', { ...ok, text: `${body}This is a limited time special offer.` }, /spam/],
    ['a spam word in the subject', { ...ok, subject: 'Congratulations' }, /spam/],
    ['an exclamation storm', { ...ok, text: `${body}Great news!!!` }, /exclamation/],
    ['shouting', { ...ok, text: `${body}PLEASE READ THIS NOW.` }, /capitals/],
  ])('rejects %s', (_label, c, reason) => {
    expect(checkContent(c)).toMatch(reason);
  });

  it('does not trip over ordinary words', () => {
    expect(checkContent({ subject: 'Next steps', text: 'Hi,\n\nFeel free to add notes, e.g. on the plan. I am at the office at 10.30.\n\nThanks,\nTom\n' })).toBeNull();
  });
});
