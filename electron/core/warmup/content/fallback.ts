// An endpoint we do not control must never stall or poison warmup: whatever goes wrong with the
// primary (error, slowness, unfit text), the message still goes out with corpus content.
import { checkContent } from './guard';
import type { Content, ContentProvider } from './types';

export interface FallbackOptions {
  timeoutMs: number;
  onFallback?: (reason: string) => void;
}

type Outcome = { ok: true; content: Content } | { ok: false; reason: string };

export function withFallback(primary: ContentProvider, fallback: ContentProvider, opts: FallbackOptions): ContentProvider {
  return {
    name: `${primary.name}+${fallback.name}`,
    async generate(req, signal) {
      const abort = new AbortController();
      const cancel = () => abort.abort(signal?.reason);
      signal?.addEventListener('abort', cancel, { once: true });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<Outcome>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, reason: `${primary.name} took longer than ${opts.timeoutMs} ms` }), opts.timeoutMs);
      });
      // The primary's own promise is raced, never awaited after a timeout: a slow endpoint costs nothing more.
      const attempt = primary.generate(req, abort.signal).then(
        (content): Outcome => {
          const unfit = checkContent(content);
          return unfit ? { ok: false, reason: `${primary.name} content rejected: ${unfit}` } : { ok: true, content };
        },
        (e: unknown): Outcome => ({ ok: false, reason: `${primary.name} failed: ${e instanceof Error ? e.message : String(e)}` }),
      );
      let outcome: Outcome;
      try {
        outcome = await Promise.race([attempt, timedOut]);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', cancel);
      }
      if (outcome.ok) return outcome.content;
      abort.abort(); // stop a primary still running (the timeout case)
      signal?.throwIfAborted(); // the caller gave up: do not produce content for nobody
      opts.onFallback?.(outcome.reason);
      return fallback.generate(req, signal);
    },
  };
}
