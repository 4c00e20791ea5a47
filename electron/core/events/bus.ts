import type { EventName, EventPayload, PushEvent } from '../../../shared/api/events';

/** In-process fan-out of push events to the SSE stream and the Electron window. */
export class EventBus {
  private listeners = new Set<(e: PushEvent) => void>();

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

  get size(): number {
    return this.listeners.size;
  }
}
