// The one place mailparser is called: turns a raw message into the few things the classifier layers read.
import { simpleParser, type ParsedMail } from 'mailparser';
import type { FieldBlock } from './fields';

export interface MailPart {
  /** Lower-case media type, e.g. 'message/delivery-status'. */
  contentType: string;
  /** Decoded content (transfer encoding undone). */
  content: Buffer;
}

export interface MailView {
  /** Top-level header fields, unfolded, names lower-case, in order. */
  headers: FieldBlock;
  /** Lower-case media type of the message, e.g. 'multipart/report'. */
  contentType: string;
  /** The report-type parameter of a multipart/report (lower case). */
  reportType: string | undefined;
  /** Decoded Subject ('' when there is none). */
  subject: string;
  fromAddress: string;
  fromName: string;
  /** The human-readable text (text/plain parts, or HTML converted), capped at TEXT_LIMIT characters. */
  text: string;
  /** Every non-text part as mailparser delivers it (see parse options), in order. */
  parts: MailPart[];
}

/** How much text the heuristics scan: bounce notices are short, and regexes over megabytes are not free. */
const TEXT_LIMIT = 200_000;
/** HTML larger than this is not converted to text (html-to-text on a huge body costs seconds and memory). */
const HTML_TO_TEXT_LIMIT = 2 * 1024 * 1024;

export async function parseMail(raw: Buffer | string): Promise<MailView> {
  const parsed = await simpleParser(raw, {
    // message/delivery-status parts stay parts instead of being folded into `text`.
    keepDeliveryStatus: true,
    // Embedded message/rfc822 parts stay raw parts. Without this mailparser parses an embedded message inline when its
    // disposition is `inline` (some ARF reporters do that) and merges it into the report: its headers (Message-ID,
    // X-Kiln-Ref) are lost and its text and attachments mix with the report's own.
    ignoreEmbedded: true,
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    // Nothing here needs attachment checksums; hashing a 20 MB attachment is wasted work.
    checksumAlgo: false,
    maxHtmlLengthToParse: HTML_TO_TEXT_LIMIT,
  });
  return view(parsed);
}

function view(parsed: ParsedMail): MailView {
  const contentTypeHeader = parsed.headers.get('content-type');
  let contentType = 'text/plain';
  let reportType: string | undefined;
  if (contentTypeHeader && typeof contentTypeHeader === 'object' && 'value' in contentTypeHeader && typeof contentTypeHeader.value === 'string') {
    contentType = contentTypeHeader.value.toLowerCase();
    const params = (contentTypeHeader as { params?: Record<string, string> }).params;
    reportType = params?.['report-type']?.toLowerCase();
  }
  const from = parsed.from?.value[0];
  return {
    // headerLines keeps every header in order, duplicates included (parsed.headers keeps one value per name).
    headers: parsed.headerLines.map((h) => [h.key.toLowerCase(), unfold(h.line.slice(h.line.indexOf(':') + 1))] as const),
    contentType,
    reportType,
    subject: parsed.subject ?? '',
    fromAddress: from?.address ?? '',
    fromName: from?.name ?? '',
    text: (parsed.text ?? '').slice(0, TEXT_LIMIT),
    parts: parsed.attachments.map((a) => ({ contentType: a.contentType.toLowerCase(), content: a.content })),
  };
}

function unfold(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
