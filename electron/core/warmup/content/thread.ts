// Reply threading shared by every provider, so a reply looks the same whoever wrote its answer.
import { attributionDate } from './vars';
import type { ContentRequest } from './types';

/** "Re: <subject>", never "Re: Re: …" (nor "Re: RE: …" or "Re: Aw: …" piling up). */
export function replySubject(subject: string): string {
  const bare = subject.replace(/^\s*((re|aw|sv|antw)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
  return `Re: ${bare}`;
}

/** The answer, a blank line, "On <date>, <from> wrote:" and the original quoted with "> ". */
export function withQuote(answer: string, original: NonNullable<ContentRequest['original']>, timeZone: string): string {
  const lines = original.text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const quoted = lines.map((l) => (l.startsWith('>') ? `>${l}` : l ? `> ${l}` : '>')).join('\n');
  return `${answer.trimEnd()}\n\nOn ${attributionDate(original.sentAt, timeZone)}, ${original.from} wrote:\n${quoted}\n`;
}
