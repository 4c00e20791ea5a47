import type Mail from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { ContentRow, MessageRow, RecipientRow } from '../db/schema';
import { REF_HEADER } from '../mail/headers';
import { parseJson } from '../util/json';

/** What the sender puts in a message, from its stored row: one place, so the UI shows what was sent. */
export function mailOptions(row: MessageRow, displayName: string | null, recipients: RecipientRow[], content: ContentRow | undefined, date: Date): Mail.Options {
  const list = (kind: string) => recipients.filter((r) => r.kind === kind).map((r) => r.address);
  return {
    from: displayName ? { name: displayName, address: row.from_addr } : row.from_addr,
    to: list('to'),
    cc: list('cc'),
    // Bcc never appears in headers (the envelope carries those recipients).
    subject: row.subject,
    ...(row.reply_to ? { replyTo: row.reply_to } : {}),
    text: content?.text_body ?? undefined,
    html: content?.html_body ?? undefined,
    messageId: row.message_id,
    ...(row.in_reply_to ? { inReplyTo: row.in_reply_to, references: row.references ?? row.in_reply_to } : {}),
    // The caller's allow-listed extras (messages/send-options.ts), then how the feedback loop
    // recognises this message in a recipient's mailbox (see feedback/): Kiln's token is written last.
    ...headersOf(row),
    date,
  };
}

/** No `headers` key at all when there is nothing to add (the shape the sender always had). */
function headersOf(row: MessageRow): { headers?: Record<string, string> } {
  const headers = { ...parseJson<Record<string, string>>(row.extra_headers ?? null), ...(row.ref ? { [REF_HEADER]: row.ref } : {}) };
  return Object.keys(headers).length > 0 ? { headers } : {};
}

/** The header block nodemailer composes for these options, unfolded (the transport adds only DKIM-Signature). */
export async function composedHeaders(options: Mail.Options): Promise<{ name: string; value: string }[]> {
  const raw = await new Promise<Buffer>((resolve, reject) => new MailComposer(options).compile().build((err, buf) => (err ? reject(err) : resolve(buf))));
  const text = raw.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  const block = (end < 0 ? text : text.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
  return block.split('\r\n').flatMap((line) => {
    const i = line.indexOf(':');
    return i > 0 ? [{ name: line.slice(0, i), value: line.slice(i + 1).trim() }] : [];
  });
}
