// Non-RFC bounce notices, one entry per MTA family: how to recognise its text and where it puts the failed recipient
// and the remote server's reply. Only read when a bounce has no readable message/delivery-status part.
import { addressOf } from './fields';

export interface Extracted {
  recipient?: string;
  diagnostic?: string;
}

export interface MtaStyle {
  name: string;
  /** Text that identifies the notice. */
  marker: RegExp;
  /** The marker alone proves a bounce (a wording no person or autoresponder writes); else the sender must look like a daemon. */
  strong: boolean;
  extract(notice: string): Extracted;
}

// Bounded like RFC 5321's limits (64 local, 255 domain): an unbounded pattern is quadratic on a long junk token.
const ADDRESS = String.raw`[^\s<>"(),;:@]{1,64}@[^\s<>"(),;:@]{1,255}`;

function firstMatch(text: string, patterns: RegExp[]): string | undefined {
  for (const re of patterns) {
    const m = re.exec(text);
    if (m?.[1] !== undefined && m[1].trim() !== '') return m[1].trim();
  }
  return undefined;
}

function address(value: string | undefined): string | undefined {
  return addressOf(value) ?? undefined;
}

/** From a run of text, the part from the first SMTP reply code on ("550 5.1.1 ..."), else all of it. */
function fromReply(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = /(?:^|\s)([45]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3}\b)?)/.exec(text);
  return m ? text.slice(m.index + m[0].length - (m[1] as string).length) : text;
}

/**
 * Postfix and qmail: "<addr>: reason" where the reason runs on (Postfix indents, qmail does not) until a blank line
 * or the next "<addr>:" entry.
 */
export function angleBlock(notice: string): Extracted {
  const re = new RegExp(String.raw`^<(${ADDRESS})>(?:[ \t]*\(expanded from <[^>\n]*>\))?:[ \t]*(.*(?:\r?\n(?![ \t]*\r?\n|<${ADDRESS}>).*)*)`, 'm');
  const m = re.exec(notice);
  if (!m) return {};
  const reason = (m[2] as string)
    .replace(/^host \S+ said:\s*/, '') // Postfix: "host mx.example.net[198.51.100.25] said: 550 5.1.1 ..."
    .replace(/\s*\(in reply to [^)]*\)\s*$/, '');
  return { recipient: m[1] as string, diagnostic: reason };
}

/** Exim: the address on its own indented line after "The following address(es) failed:", the reason indented below. */
function eximBlock(notice: string): Extracted {
  // The reason lines are indented deeper than the address line; the next address (same indent) ends the entry.
  const m = /(?:following address(?:\(es\)|es)? failed|not yet been delivered (?:is|are)):[ \t]*\r?\n(?:[ \t]*\r?\n)*([ \t]*)(\S[^\r\n]*)\r?\n((?:\1[ \t]+\S[^\r\n]*(?:\r?\n|$))*)/.exec(notice);
  if (!m) return {};
  const details = (m[3] as string).trim();
  return { recipient: address(m[2]), diagnostic: fromReply(details) ?? details };
}

export const MTA_STYLES: readonly MtaStyle[] = [
  {
    name: 'postfix',
    marker: /This is the (?:mail system|Postfix program) at host /,
    strong: true,
    extract: angleBlock,
  },
  {
    name: 'qmail',
    marker: /Hi\. This is the qmail-send program/,
    strong: true,
    extract: angleBlock,
  },
  {
    name: 'exim',
    marker: /This message was created automatically by mail delivery software|A message that you sent (?:could not be delivered|has not yet been delivered)/,
    strong: true,
    extract: eximBlock,
  },
  {
    name: 'gmail',
    marker: /\*\* (?:Address not found|Message not delivered|Message blocked|Delivery incomplete|Message delayed) \*\*|Your message wasn't delivered to |Delivery to the following recipients? failed/,
    strong: false,
    extract: (notice) => ({
      recipient: address(
        firstMatch(notice, [
          new RegExp(String.raw`wasn't delivered to (${ADDRESS}?)(?=[\s,]|\.(?:\s|$))`),
          new RegExp(String.raw`problem delivering your message to (${ADDRESS}?)(?=[\s,]|\.(?:\s|$))`),
          new RegExp(String.raw`following recipients? failed(?: permanently)?:\s*(${ADDRESS})`),
        ]),
      ),
      diagnostic: firstMatch(notice, [
        /The response (?:from the remote server )?was:[ \t]*(?:\r?\n)+((?:[^\r\n]+(?:\r?\n|$))+)/,
        /The error that the other server returned was:[ \t]*(?:\r?\n)+((?:[^\r\n]+(?:\r?\n|$))+)/,
      ]),
    }),
  },
  {
    name: 'microsoft',
    marker: /Delivery has failed to these recipients or groups|Your message to \S+ couldn't be delivered|RESOLVER\.[A-Z]{2,}\.\w+|Remote Server returned '/,
    strong: false,
    extract: (notice) => ({
      recipient: address(
        firstMatch(notice, [
          new RegExp(String.raw`Delivery has failed to these recipients or groups:\s*(?:[^\r\n@]*\()?<?(${ADDRESS})`),
          new RegExp(String.raw`Your message to (${ADDRESS}) couldn't be delivered`),
        ]),
      ),
      diagnostic: firstMatch(notice, [/Remote Server returned '([^'\r\n]+)'/, /^#([45]\d\d[ -][^\r\n]*?)(?:[ \t]*##.*)?$/m, /^[ \t]*(\S*RESOLVER\.[A-Z]{2,}\.\w+[^\r\n]*)$/m]),
    }),
  },
  {
    name: 'sendmail',
    marker: /-{5} The following addresses had (?:permanent fatal|transient non-fatal) errors -{5}/,
    strong: true,
    extract: (notice) => ({
      recipient: address(firstMatch(notice, [new RegExp(String.raw`errors -{5}\s*<?(${ADDRESS})>?`)])),
      diagnostic: firstMatch(notice, [/\(reason: ([^\r\n]+)\)[ \t]*$/m]),
    }),
  },
];

/** The first SMTP reply line with a status code in a notice, for styles that said nothing better. */
export function firstReplyLine(notice: string): string | undefined {
  return firstMatch(notice, [/^[ \t]*([45]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b[^\r\n]*)$/m, /^[ \t]*([45]\d\d [^\r\n]*)$/m]);
}
