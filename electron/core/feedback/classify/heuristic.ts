// The fallback layer for bounces that carry no readable RFC 3464 report: Exim and qmail notices, legacy Postfix and
// Exchange, Gmail's text, truncated DSNs. It decides "is this a bounce" from who sent it and fixed MTA wordings, then
// pulls recipient, reply and status out of the notice text; the status code, once found, decides the type as for DSNs.
import { addressOf, field, tidy } from './fields';
import { angleBlock, firstReplyLine, MTA_STYLES, type Extracted, type MtaStyle } from './mta-styles';
import type { MailView } from './parse';
import { refsFromCopy, refsFromPart, refsFromReportHeaders, returnedPart, splitCopy, type OriginalRef } from './returned';
import { bounceType, statusOf } from './status';
import type { BounceInfo } from './types';

const DAEMON_LOCAL_PART = /^(?:mailer-daemon|mail-daemon|mailerdaemon|postmaster|mdaemon|bounces?|microsoftexchange[0-9a-f]*)$/i;
const DAEMON_NAME = /mail delivery (?:system|subsystem|service)|mailer[- ]daemon|postmaster|microsoft (?:outlook|exchange)|system administrator|mail administrator/i;
const BOUNCE_SUBJECT =
  /^\s*(?:undeliver(?:ed|able)|delivery (?:status notification|failure|has failed|failed|notification|report|delayed)|mail delivery (?:failed|failure|problem)|returned mail|failure notice|non[- ]?deliver(?:y|able)|nondeliverable|message (?:not delivered|delivery failure)|delayed mail|warning: (?:message .* delayed|could not send)|could not send message|mail system error)/i;
// Wordings of "not given up yet": whatever the code, a delay is at most soft.
const DELAYED = /has not yet been delivered|will (?:continue to |keep )?(?:try|retry)|still being retried|\(Delay\)|delivery (?:is |has been )?delayed|^warning: message .* delayed/im;

export interface HeuristicBounce extends OriginalRef {
  bounce: BounceInfo;
}

function fromDaemon(mail: MailView): boolean {
  const local = mail.fromAddress.split('@')[0] ?? '';
  return DAEMON_LOCAL_PART.test(local) || DAEMON_NAME.test(mail.fromName);
}

/** A bounce recognised from its sender, subject and wording, or undefined. */
export function heuristicBounce(mail: MailView): HeuristicBounce | undefined {
  const { notice, copy } = splitCopy(mail.text);
  const style = MTA_STYLES.find((s) => s.marker.test(notice));
  const daemon = fromDaemon(mail);
  const subject = BOUNCE_SUBJECT.test(mail.subject);
  const failedHeader = field(mail.headers, 'x-failed-recipients'); // Exim and Gmail set it on every bounce
  const isBounce = style?.strong === true || (daemon && (subject || style !== undefined || failedHeader !== undefined)) || (subject && style !== undefined);
  if (!isBounce) return undefined;

  const found = extract(style, notice);
  const recipient = addressOf(failedHeader) ?? (found.recipient !== undefined ? addressOf(found.recipient) : null);
  const diagnostic = tidy(found.diagnostic ?? firstReplyLine(notice));
  const status = statusOf(diagnostic ?? undefined) ?? statusOf(firstReplyLine(notice));
  const delayed = DELAYED.test(mail.subject) || DELAYED.test(notice);
  const bounce: BounceInfo = {
    // Without a telling code the reply decides, then the notice's own words ("address couldn't be found").
    type: bounceType(status, `${diagnostic ?? ''}\n${notice.slice(0, 5000)}`, delayed),
    status: status ?? null,
    recipient,
    diagnostic,
    source: 'heuristic',
  };
  return { bounce, ...links(mail, copy) };
}

function extract(style: MtaStyle | undefined, notice: string): Extracted {
  const own = style?.extract(notice) ?? {};
  if (own.recipient !== undefined && own.diagnostic !== undefined) return own;
  // Styles vary between versions; the Postfix/qmail "<addr>: reason" shape is the most common fallback.
  const generic = angleBlock(notice);
  return { recipient: own.recipient ?? generic.recipient, diagnostic: own.diagnostic ?? generic.diagnostic };
}

/** The original: an attached message/rfc822 (legacy Postfix, Exchange), else the pasted copy, else References. */
function links(mail: MailView, copy: string): OriginalRef {
  const fromPart = refsFromPart(returnedPart(mail));
  const fromCopy = copy !== '' ? refsFromCopy(copy) : {};
  const out: OriginalRef = { ...fromCopy, ...fromPart };
  if (out.originalMessageId === undefined) {
    const reported = refsFromReportHeaders(mail).originalMessageId;
    if (reported !== undefined) out.originalMessageId = reported;
  }
  return out;
}
