// RFC 3464 delivery status notifications: the message/delivery-status part (or RFC 6533 message/global-delivery-status)
// of a multipart/report, read field by field. The text part beside it is for people and is not read here.
import { addressOf, field, messageIdOf, parseFieldBlocks, stripType, tidy, type FieldBlock } from './fields';
import type { MailView } from './parse';
import { bestStatus, bounceType, statusOf } from './status';
import type { BounceInfo } from './types';

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ACTIONS = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

export type DsnResult =
  /** A recipient failed or is delayed. */
  | { outcome: 'bounce'; bounce: BounceInfo; others: BounceInfo[]; originalMessageId?: string }
  /** Every recipient reported was delivered, relayed or expanded: a success notice. */
  | { outcome: 'delivered'; originalMessageId?: string };

interface RecipientReport {
  action: string;
  status: string | undefined;
  diagnostic: string | undefined;
  block: FieldBlock;
}

/** Whether the message is shaped as a DSN (so RFC 3834 headers on it, e.g. Postfix's Auto-Submitted, don't matter). */
export function looksLikeDsn(mail: MailView): boolean {
  return (
    (mail.contentType === 'multipart/report' && (mail.reportType === 'delivery-status' || mail.reportType === 'global-delivery-status')) ||
    mail.parts.some((p) => STATUS_TYPES.has(p.contentType))
  );
}

/** undefined when there is no delivery-status part or it has no readable recipient (truncated, damaged). */
export function readDsn(mail: MailView): DsnResult | undefined {
  const part = mail.parts.find((p) => STATUS_TYPES.has(p.contentType));
  if (!part) return undefined;
  const blocks = parseFieldBlocks(part.content.toString('utf8'));
  const perMessage = blocks[0] ?? [];
  const reports = blocks.map(recipientReport).filter((r): r is RecipientReport => r !== undefined);
  if (reports.length === 0) return undefined;

  const original = messageIdOf(field(perMessage, 'x-original-message-id')); // Gmail adds it to the per-message fields
  const withOriginal = <T extends object>(r: T): T & { originalMessageId?: string } => (original ? { ...r, originalMessageId: original } : r);
  // The classification names one recipient first: the first failure, else the first delay. An MTA
  // reports every recipient of one queued copy in one DSN; the others are kept beside it.
  const chosen = reports.find((r) => r.action === 'failed') ?? reports.find((r) => r.action === 'delayed');
  if (!chosen) return withOriginal({ outcome: 'delivered' as const });
  const others = reports.filter((r) => r !== chosen && (r.action === 'failed' || r.action === 'delayed')).map((r) => bounceOf(mail, r));
  return withOriginal({ outcome: 'bounce' as const, bounce: bounceOf(mail, chosen), others });
}

function bounceOf(mail: MailView, r: RecipientReport): BounceInfo {
  const b = r.block;
  const remoteMta = stripType(field(b, 'remote-mta') ?? '');
  return {
    type: bounceType(r.status, r.diagnostic, r.action === 'delayed'),
    status: r.status ?? null,
    recipient:
      addressOf(field(b, 'final-recipient')) ??
      addressOf(field(b, 'original-recipient'), { xtext: true }) ??
      addressOf(field(mail.headers, 'x-failed-recipients')),
    diagnostic: tidy(r.diagnostic),
    action: r.action,
    ...(remoteMta !== '' ? { remoteMta } : {}),
    source: 'dsn',
  };
}

/** A per-recipient block with a usable Action or Status; the per-message block and damaged blocks give undefined. */
function recipientReport(block: FieldBlock): RecipientReport | undefined {
  const isRecipient = block.some(([n]) => n === 'final-recipient' || n === 'original-recipient' || n === 'action' || n === 'status');
  if (!isRecipient) return undefined;
  const diagnosticField = field(block, 'diagnostic-code');
  const diagnostic = diagnosticField === undefined ? undefined : stripType(diagnosticField);
  const status = bestStatus(statusOf(field(block, 'status')), diagnostic);
  // Action may carry a comment ("failed (mailbox full)"); when it is missing or unreadable the status class decides.
  const word = field(block, 'action')?.toLowerCase().match(/^[a-z]+/)?.[0];
  const action = word && ACTIONS.has(word) ? word : actionFromStatus(status);
  return action ? { action, status, diagnostic, block } : undefined;
}

function actionFromStatus(status: string | undefined): string | undefined {
  if (status?.startsWith('5.')) return 'failed';
  if (status?.startsWith('4.')) return 'delayed';
  if (status?.startsWith('2.')) return 'delivered';
  return undefined;
}
