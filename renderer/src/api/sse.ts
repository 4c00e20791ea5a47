// Server-sent events over fetch streaming. EventSource cannot send an Authorization header, and a
// token in the URL would end up in logs and history, so the stream is read by hand.

export interface SseFrame {
  event: string;
  data: string;
  id: string;
}

/** Incremental text/event-stream parser (WHATWG HTML "event stream interpretation"). */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id = '';
  /** Last `retry:` value the server sent, in ms. */
  retryMs: number | null = null;

  constructor(private readonly onFrame: (frame: SseFrame) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone trailing \r may be the first half of \r\n: wait for the next chunk.
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) return;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return; // comment / heartbeat
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  private dispatch(): void {
    if (this.data.length > 0) this.onFrame({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
    this.event = '';
    this.data = [];
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A frame as a push event. Expected wire shape: `event: <name>` + `data: <JSON payload>`. An unnamed
 * frame whose data is `{ name, data }` is accepted too, as is a named frame that wraps the full
 * PushEvent `{ workspaceId, name, data }`.
 */
export function frameToEvent(frame: SseFrame): { name: string; data: unknown } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame.data);
  } catch {
    return null;
  }
  const wrapper = isRecord(parsed) && typeof parsed.name === 'string' && 'data' in parsed ? parsed : null;
  if (frame.event !== 'message') {
    const unwrap = wrapper !== null && wrapper.name === frame.event && 'workspaceId' in wrapper;
    return { name: frame.event, data: unwrap ? wrapper.data : parsed };
  }
  return wrapper ? { name: wrapper.name as string, data: wrapper.data } : null;
}

export interface StreamOptions {
  url: string;
  headers: () => Record<string, string>;
  onEvent: (name: string, data: unknown) => void;
}

const MIN_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Keep one event stream open until `close()`: reconnect with backoff after errors, and slowly
 * after a 401/403 (the user may enter a new token; headers are re-read on every attempt).
 */
export function openEventStream(opts: StreamOptions): { close(): void } {
  const abort = new AbortController();
  const { signal } = abort;

  void (async () => {
    let delay = MIN_DELAY_MS;
    let lastId = '';
    while (!signal.aborted) {
      const parser = new SseParser((frame) => {
        lastId = frame.id;
        const event = frameToEvent(frame);
        if (event) opts.onEvent(event.name, event.data);
      });
      try {
        const headers: Record<string, string> = { ...opts.headers(), Accept: 'text/event-stream' };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const res = await fetch(opts.url, { headers, signal, cache: 'no-store' });
        if (res.status === 401 || res.status === 403) delay = MAX_DELAY_MS;
        else if (res.ok && res.body) {
          delay = MIN_DELAY_MS;
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            parser.push(value);
          }
        }
      } catch {
        // network error or abort: fall through to the backoff
      }
      if (signal.aborted) return;
      await sleep(parser.retryMs ?? delay, signal);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  })();

  return { close: () => abort.abort() };
}
