import type { EventName, EventPayload, PushEvent } from '../../../shared/api/events';
import type { MailboxError } from '../../../shared/domain/mailbox';
import type { MailboxRow } from '../db/schema';

/**
 * Reactions between feature folders that are no push events: they reach in-process listeners
 * registered with `on` only, never `subscribe` (so never the SSE stream, webhooks or the window).
 */
export interface InternalEvents {
  /** A mailbox's sending state or settings changed; the sending side closes its transport and/or wakes. */
  'mailbox.sendingChanged': { mailboxId: string; change: 'settings' | 'paused' | 'resumed' | 'error' | 'cleared' | 'deleted' };
  /** A send outcome blamed the sending mailbox: `error` stops it (status error), `flag` only shows the problem. */
  'send.blamedMailbox': { mailbox: MailboxRow; error: Omit<MailboxError, 'at'>; action: 'error' | 'flag' };
  /** An OAuth mailbox got no access token while connecting (oauth/credentials.ts → mailboxes): revoked, or the token endpoint in trouble. */
  'mailbox.oauthFailed': { mailbox: MailboxRow; protocol: 'smtp' | 'imap'; code: 'OAUTH_REVOKED' | 'OAUTH_REFRESH_FAILED'; message: string };
}
export type InternalName = keyof InternalEvents;

/** In-process fan-out of push events to the SSE stream and the Electron window, plus internal reactions. */
export class EventBus {
  private listeners = new Set<(e: PushEvent) => void>();
  private internal = new Map<InternalName, Set<(data: never) => void>>();

  emit<E extends EventName>(workspaceId: string, name: E, data: EventPayload<E>): void {
    const event = { workspaceId, name, data } as PushEvent;
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A broken subscriber (a closed socket) must not break the sender.
      }
    }
  }

  subscribe(listener: (e: PushEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Synchronous, like a direct call: the reaction has run when `tell` returns. A throwing reaction throws to the teller. */
  tell<N extends InternalName>(name: N, data: InternalEvents[N]): void {
    for (const l of this.internal.get(name) ?? []) (l as (d: InternalEvents[N]) => void)(data);
  }

  on<N extends InternalName>(name: N, listener: (data: InternalEvents[N]) => void): () => void {
    let set = this.internal.get(name);
    if (!set) this.internal.set(name, (set = new Set()));
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
  }

  get size(): number {
    return this.listeners.size;
  }
}
