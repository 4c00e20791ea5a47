// classifyMessage: one raw message in, one Classification out. Pure (no DB, no network) and total: whatever the input,
// it resolves, never rejects. Layers, most trustworthy first:
//   1. RFC 5965 feedback report (complaint)      4. non-RFC bounce wording (heuristic.ts)
//   2. RFC 3464 delivery status (bounce / other) 5. RFC 3834 auto-reply headers, then its subject
//   3. Kiln's own token on the message (warmup)  6. other
// Heuristics come before the auto-reply check because MTAs put `Auto-Submitted: auto-replied` on their bounces
// (Postfix, Exim); they only accept a daemon sender or an MTA's fixed wording, which autoresponders do not produce.
import { looksLikeArf, readArf } from './arf';
import { autoReplySignal } from './auto-reply';
import { field, messageIdOf } from './fields';
import { looksLikeDsn, readDsn } from './dsn';
import { heuristicBounce } from './heuristic';
import { parseMail, type MailView } from './parse';
import { refsFromPart, refsFromReportHeaders, returnedPart, tokenIn, type OriginalRef } from './returned';
import { DEFAULT_MAX_BYTES, type Classification, type ClassifyOptions } from './types';

export async function classifyMessage(raw: Buffer | string, opts: ClassifyOptions = {}): Promise<Classification> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    if (typeof raw !== 'string' && !Buffer.isBuffer(raw)) return { kind: 'other' };
    // Measured before parsing: the limit is about not spending memory and time on a huge message at all.
    const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
    if (size === 0 || size > maxBytes) return { kind: 'other' };
    return classifyParsed(await parseMail(raw));
  } catch {
    // mailparser rejects on structural limits (header block > 1 MB, > 1000 parts) and damaged encodings; a message it
    // cannot read is simply not one the watcher can act on.
    return { kind: 'other' };
  }
}

/** The layers over an already parsed message (exported for tests of one layer's precedence). */
export function classifyParsed(mail: MailView): Classification {
  if (looksLikeArf(mail)) {
    const complaint = readArf(mail);
    if (complaint) return withRefs({ kind: 'complaint', complaint }, refsFromPart(returnedPart(mail)));
  }

  const dsnShaped = looksLikeDsn(mail);
  if (dsnShaped) {
    const dsn = readDsn(mail);
    if (dsn) {
      const refs = bounceRefs(mail, dsn.originalMessageId);
      if (dsn.outcome !== 'bounce') return withRefs({ kind: 'other' }, refs);
      return withRefs({ kind: 'bounce', bounce: dsn.bounce, ...(dsn.others.length > 0 ? { otherBounces: dsn.others } : {}) }, refs);
    }
  }

  if (!dsnShaped) {
    // Token-shaped only: the header name is a common one on purpose; the watcher still looks the token up.
    const ownRef = tokenIn(mail.headers);
    if (ownRef !== undefined) return { kind: 'warmup', ref: ownRef };
  }

  const heuristic = heuristicBounce(mail);
  if (heuristic) {
    const { bounce, ...refs } = heuristic;
    return withRefs({ kind: 'bounce', bounce }, refs);
  }

  // A DSN whose report is unreadable is still a DSN: its Auto-Submitted header does not make it an auto-reply.
  if (!dsnShaped && autoReplySignal(mail)) {
    // RFC 3834: responders set In-Reply-To to the message they answer, which links the reply to Kiln's send.
    return withRefs({ kind: 'auto-reply' }, { originalMessageId: messageIdOf(field(mail.headers, 'in-reply-to')) });
  }
  return { kind: 'other' };
}

/** For a DSN: the returned part's last Message-ID, else Gmail's X-Original-Message-ID, else the report's References. */
function bounceRefs(mail: MailView, fromStatus: string | undefined): OriginalRef {
  const refs = refsFromPart(returnedPart(mail));
  const originalMessageId = refs.originalMessageId ?? fromStatus ?? refsFromReportHeaders(mail).originalMessageId;
  return { ...refs, originalMessageId };
}

/** Adds originalMessageId / ref only when known, so the result never has undefined-valued keys. */
function withRefs(c: Classification, refs: OriginalRef): Classification {
  if (refs.originalMessageId !== undefined) c.originalMessageId = refs.originalMessageId;
  if (refs.ref !== undefined) c.ref = refs.ref;
  return c;
}
