// RFC 3834 automatic responses (vacation, out-of-office, autoresponders). They are never bounces: counting them as
// bounces is how listmonk users saw 4 % "bounces" where SES reported 0.6 %. Headers decide first; the subject is the
// fallback for responders that set no header at all.
import { field } from './fields';
import type { MailView } from './parse';

// Subject prefixes of common responders (English and the usual Exchange/Outlook translations), after any Re:/AW:/Fwd:.
const SUBJECT_START =
  /^\s*(?:(?:re|aw|sv|fw|fwd|wg|tr)\s*:\s*)*(?:automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|auto[- ]?responder|out of (?:the )?office|ooo\b|vacation reply|away from (?:the |my )?office|abwesenheit(?:snotiz)?|automatische antwort|réponse automatique|respuesta automática|risposta automatica|automatisch antwoord|resposta automática|autosvar)/i;
// "Out of Office" and "Automatic reply" also show up later in a subject ("[Automatic reply] ...", "Bob: Out of Office").
const SUBJECT_ANYWHERE = /\bout of (?:the )?office\b|\bautomatic reply\b|\bauto-?reply\b/i;

export interface AutoReplySignal {
  /** Which evidence decided: a header name, or 'subject'. */
  by: string;
}

/** Evidence that the message is an automatic reply, or undefined. Callers rule out DSNs first (see classify.ts). */
export function autoReplySignal(mail: MailView): AutoReplySignal | undefined {
  // RFC 3834 Auto-Submitted: any value but "no" means the message was not written by a person at that moment.
  const autoSubmitted = field(mail.headers, 'auto-submitted')?.toLowerCase().match(/^[a-z-]+/)?.[0];
  if (autoSubmitted !== undefined && autoSubmitted !== 'no') return { by: 'auto-submitted' };
  // De facto headers of vacation programs and hosted autoresponders.
  if (field(mail.headers, 'x-autoreply') !== undefined) return { by: 'x-autoreply' };
  if (field(mail.headers, 'x-autorespond') !== undefined) return { by: 'x-autorespond' };
  if (/^auto[_-]reply\b/i.test(field(mail.headers, 'precedence') ?? '')) return { by: 'precedence' };
  // Exchange marks its own automatic messages with X-Auto-Response-Suppress, but so do bulk senders: that header
  // alone decides nothing, the subject below does.
  if (SUBJECT_START.test(mail.subject) || SUBJECT_ANYWHERE.test(mail.subject)) return { by: 'subject' };
  return undefined;
}
