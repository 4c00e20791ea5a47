// Reads the reports mailbox: what arrived since the last run (UIDVALIDITY + last UID), in batches.
// Only mail whose structure shows a report-like attachment is downloaded; each report is stored,
// then the mail is MOVEd to the processed folder, or to the failed one when every report in it was
// refused (so it is not retried forever). Anything else stays where it is.
import type { ImapFlow, MessageStructureObject } from 'imapflow';
import { simpleParser } from 'mailparser';
import { KilnError, isKilnError } from '../../../shared/errors';
import type { DmarcRejection } from '../../../shared/domain/dmarc';
import type { DmarcSettingsRow, MailboxRow } from '../db/schema';
import { addFlags, classifyImapError, ensureFolder, imapClient, moveMessages, serverPath } from '../mail/imap';
import { claimedFormat, type FileHint } from './unpack';
import type { CredentialOf } from '../mail/credential';

/** Messages looked at per FETCH round trip. */
export const BATCH = 25;
/** Messages one run takes; the rest wait for the next run (`more`). */
export const MAX_PER_RUN = 500;
/** A report mail larger than this is refused without downloading it (20 MiB of XML, base64-encoded, plus headers). */
export const MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

export type FileOutcome = 'ingested' | 'duplicate';

export interface IngestContext {
  mailbox: MailboxRow;
  settings: DmarcSettingsRow;
  /** Unpack, parse and store one report file; rejects with a KilnError when it is refused. */
  ingestFile(data: Uint8Array, hint: FileHint, sourceRef: string | null): Promise<FileOutcome>;
  saveCursor(uidvalidity: string, lastUid: number): void;
  stopping(): boolean;
}

export interface ImapRunCounts {
  ingested: number;
  duplicates: number;
  rejected: DmarcRejection[];
  skipped: number;
  moved: { processed: number; failed: number };
  more: boolean;
}

/** Leaf parts that claim to be a zip, gzip or XML file by media type or file name. */
export function reportParts(node: MessageStructureObject | undefined): MessageStructureObject[] {
  if (!node) return [];
  if (node.childNodes?.length) return node.childNodes.flatMap(reportParts);
  return claimedFormat(hintOf(node)) ? [node] : [];
}

const hintOf = (n: MessageStructureObject): FileHint => ({ filename: n.dispositionParameters?.filename ?? n.parameters?.name ?? null, contentType: n.type });

/** Errors meaning "this file is something else", not "this report is bad": such mail is left alone. */
const notAReport = (e: KilnError) => (e.details as { notAReport?: boolean } | undefined)?.notAReport === true;

export const emptyCounts = (): ImapRunCounts => ({ ingested: 0, duplicates: 0, rejected: [], skipped: 0, moved: { processed: 0, failed: 0 }, more: false });

/** What reading the reports mailbox uses. */
export interface DmarcIngestNeeds {
  credentialOf: CredentialOf<MailboxRow>;
  config: { ca?: string[] };
}

/** Adds to `counts` as it goes, so a run cut short by a lost connection still tells what it did. */
export async function ingestFromImap(deps: DmarcIngestNeeds, ctx: IngestContext, counts: ImapRunCounts): Promise<void> {
  const mb = ctx.mailbox;
  const client = imapClient(mb, await deps.credentialOf(mb, 'imap'), { ca: deps.config.ca, use: 'batch' });
  try {
    await client.connect();
    const ns = client.namespace;
    const folder = serverPath(ctx.settings.folder, ns);
    const targets = { processed: serverPath(ctx.settings.processed_folder, ns), failed: serverPath(ctx.settings.failed_folder, ns) };
    const known = new Set((await client.list()).map((f) => f.path));
    if (!known.has(folder) && folder !== 'INBOX') throw new KilnError('DMARC_NOT_CONFIGURED', `The reports mailbox has no folder "${folder}"`);
    const lock = await client.getMailboxLock(folder);
    try {
      const box = client.mailbox;
      if (!box || box.exists === 0) return;
      const uidvalidity = String(box.uidValidity);
      const lastUid = ctx.settings.uidvalidity === uidvalidity ? ctx.settings.last_uid : 0;
      const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [];
      // `N:*` always matches the last message, even when its UID is below N.
      const uids = found.filter((u) => u > lastUid).sort((a, b) => a - b);
      counts.more = uids.length > MAX_PER_RUN;
      const todo = uids.slice(0, MAX_PER_RUN);
      for (let i = 0; i < todo.length && !ctx.stopping(); i += BATCH) {
        const batch = todo.slice(i, i + BATCH);
        await runBatch(client, ctx, batch, counts, async (key) => ensureFolder(client, targets[key], known));
        ctx.saveCursor(uidvalidity, batch.at(-1)!);
      }
      if (ctx.stopping() && todo.length > 0) counts.more = true;
    } finally {
      lock.release();
    }
  } catch (e) {
    if (isKilnError(e)) throw e;
    const f = classifyImapError(e);
    throw new KilnError('UPSTREAM_FAILED', `The reports mailbox could not be read: ${f.message}`, { imap: f.code, stage: f.stage });
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function runBatch(client: ImapFlow, ctx: IngestContext, uids: number[], counts: ImapRunCounts, target: (key: 'processed' | 'failed') => Promise<string>): Promise<void> {
  const metas: { uid: number; size: number; subject: string | null; messageId: string | null; parts: MessageStructureObject[] }[] = [];
  for await (const m of client.fetch(uids.join(','), { uid: true, size: true, bodyStructure: true, envelope: true }, { uid: true })) {
    metas.push({ uid: m.uid, size: m.size ?? 0, subject: m.envelope?.subject ?? null, messageId: m.envelope?.messageId ?? null, parts: reportParts(m.bodyStructure) });
  }
  metas.sort((a, b) => a.uid - b.uid);
  const done = { processed: [] as number[], failed: [] as number[] };
  for (const m of metas) {
    if (m.parts.length === 0) {
      counts.skipped++;
      continue;
    }
    const reject = (e: KilnError, filename: string | null) => counts.rejected.push({ code: e.code, message: e.message, uid: m.uid, subject: m.subject, filename });
    if (m.size > MAX_MESSAGE_BYTES) {
      reject(new KilnError('DMARC_REPORT_TOO_LARGE', `The report mail is ${(m.size / 1048576).toFixed(1)} MiB; the limit is ${MAX_MESSAGE_BYTES / 1048576} MiB`), hintOf(m.parts[0]!).filename ?? null);
      done.failed.push(m.uid);
      continue;
    }
    const msg = await client.fetchOne(String(m.uid), { source: true }, { uid: true });
    if (!msg || !msg.source) continue; // expunged meanwhile
    const mail = await simpleParser(msg.source, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
    let stored = false;
    let refused = false;
    for (const a of mail.attachments) {
      const hint = { filename: a.filename ?? null, contentType: a.contentType };
      if (!claimedFormat(hint)) continue;
      try {
        const outcome = await ctx.ingestFile(a.content, hint, m.messageId ?? mail.messageId ?? null);
        if (outcome === 'ingested') counts.ingested++;
        else counts.duplicates++;
        stored = true;
      } catch (e) {
        if (!isKilnError(e)) throw e; // a database failure: stop here, this batch is read again next run
        if (notAReport(e)) continue;
        reject(e, hint.filename);
        refused = true;
      }
    }
    if (stored) done.processed.push(m.uid);
    else if (refused) done.failed.push(m.uid);
    else counts.skipped++;
  }
  // Flags before the move: after MOVE the UID belongs to another folder.
  if (done.processed.length > 0) {
    await addFlags(client, done.processed, ['\\Seen']);
    await moveMessages(client, done.processed, await target('processed'));
    counts.moved.processed += done.processed.length;
  }
  if (done.failed.length > 0) {
    await moveMessages(client, done.failed, await target('failed'));
    counts.moved.failed += done.failed.length;
  }
}
