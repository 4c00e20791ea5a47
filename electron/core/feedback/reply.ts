import type { MessageRow } from '../db/schema';

// A few short, ordinary answers until the warmup issue brings the content corpus and providers.
const ANSWERS = [
  'Thanks, that works for me.',
  'Sounds good, talk soon.',
  'Thank you for the update!',
  'Got it, thanks for letting me know.',
  'Great, I will take a look later today.',
  'Appreciate it. Have a good week!',
];

/** Pick deterministically per message, so a retried reply says the same thing. */
function pick(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return ANSWERS[h % ANSWERS.length]!;
}

/** A reply a person would write: "Re:" subject, a short answer, and the original quoted below. */
export function composeReply(original: MessageRow, originalText: string, now: number): { subject: string; text: string } {
  const subject = /^re:/i.test(original.subject) ? original.subject : `Re: ${original.subject}`;
  const when = new Date(original.sent_at ?? now).toUTCString();
  const quoted = originalText
    .trimEnd()
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
  return { subject, text: `${pick(original.id)}\n\nOn ${when}, ${original.from_addr} wrote:\n${quoted}\n` };
}
