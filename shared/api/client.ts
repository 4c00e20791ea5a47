import type { Envelope } from '../errors';
import { KilnError } from '../errors';
import type { Input, MethodName, Output } from './table';
import type { EventName, EventPayload } from './events';

/** What both transports (Electron IPC through the preload, HTTP + SSE in a browser) provide. */
export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>>;
  on(event: EventName, listener: (data: unknown) => void): () => void;
}

export interface KilnClient {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
  on<E extends EventName>(event: E, listener: (data: EventPayload<E>) => void): () => void;
}

/** One typed client over any transport: errors come back as KilnError with the server's code. */
export function createClient(transport: Transport): KilnClient {
  return {
    async call(method, input) {
      const res = await transport.invoke(method, input);
      if (!res.ok) throw new KilnError(res.error.code, res.error.message, res.error.details);
      return res.data as never;
    },
    on(event, listener) {
      return transport.on(event, listener as (data: unknown) => void);
    },
  };
}
