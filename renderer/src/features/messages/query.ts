// The Messages screen's filters and selection live in the route query (`#/messages?status=failed&id=msg_…`),
// so a link from another screen opens the same view and the back button walks through filters.
import { messageKinds, messageStatuses, placements, type MessageKind, type MessageStatus, type Placement } from '../../../../shared/domain/message';

export interface MessageQuery {
  mailboxId?: string;
  status?: MessageStatus;
  kind?: MessageKind;
  placement?: Placement;
  /** Calendar days (YYYY-MM-DD), local time, inclusive. */
  from?: string;
  to?: string;
  q?: string;
  /** The message open in the detail panel. */
  id?: string;
}

const pick = <T extends string>(list: readonly T[], v: string | null): T | undefined => (v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined);
const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
const text = (v: string | null) => (v && v.trim() ? v.trim().slice(0, 320) : undefined);

export function parseQuery(search: string): MessageQuery {
  const p = new URLSearchParams(search);
  const q: MessageQuery = {
    mailboxId: text(p.get('mailbox')),
    status: pick(messageStatuses, p.get('status')),
    kind: pick(messageKinds, p.get('kind')),
    placement: pick(placements, p.get('placement')),
    from: day(p.get('from')),
    to: day(p.get('to')),
    q: text(p.get('q')),
    id: text(p.get('id')),
  };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as MessageQuery;
}

export function toQuery(q: MessageQuery): string {
  const p = new URLSearchParams();
  const put = (k: string, v: string | undefined) => v && p.set(k, v);
  put('mailbox', q.mailboxId);
  put('status', q.status);
  put('kind', q.kind);
  put('placement', q.placement);
  put('from', q.from);
  put('to', q.to);
  put('q', q.q);
  put('id', q.id);
  return p.toString();
}

/** The API's filter: local days become instants (from the day's start to its last millisecond). */
export function apiFilter(q: MessageQuery) {
  const at = (d: string, end: boolean) => new Date(`${d}T${end ? '23:59:59.999' : '00:00:00.000'}`).toISOString();
  return {
    ...(q.mailboxId ? { mailboxId: q.mailboxId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.placement ? { placement: q.placement } : {}),
    ...(q.from ? { from: at(q.from, false) } : {}),
    ...(q.to ? { to: at(q.to, true) } : {}),
    ...(q.q ? { q: q.q } : {}),
  };
}

/** A key that changes when the list must be fetched again (the selection does not count). */
export const filterKey = (q: MessageQuery): string => JSON.stringify(apiFilter(q));
