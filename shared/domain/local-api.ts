import { z } from 'zod';
import { verdict, verdictOf, type Verdict } from './verdict';

/** The desktop's local REST API listens here and nowhere else. */
export const LOCAL_API_HOST = '127.0.0.1';
export const DEFAULT_LOCAL_API_PORT = 7421;

/**
 * The desktop app's local REST API and web UI (the same server `kiln serve` runs, bound to
 * loopback): off, starting, on (its URL), or refused (why). `available` is false where no desktop
 * app runs: `kiln serve` is the API itself.
 */
export const localApiStatus = z.object({
  available: z.boolean(),
  state: z.enum(['off', 'starting', 'on', 'error']),
  host: z.literal(LOCAL_API_HOST),
  port: z.number().int().nullable(),
  url: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** When the state last changed (ISO 8601). */
  at: z.string().nullable(),
  verdict,
});
export type LocalApiStatus = z.infer<typeof localApiStatus>;

type Fields = Omit<LocalApiStatus, 'verdict' | 'host' | 'available'>;

/** A status with its verdict: on is good (it answered a listen), a refusal bad, off not applicable. */
export function localApiStatusOf(f: Fields): LocalApiStatus {
  const asked = `listen on ${LOCAL_API_HOST}:${f.port ?? '?'}`;
  const v: Verdict =
    f.state === 'on'
      ? verdictOf('good', 'On', `Serving the API and web UI at ${f.url} (this machine only).`, [{ asked, answered: 'listening', at: f.at }])
      : f.state === 'error'
        ? verdictOf('bad', 'Not serving', f.error?.message ?? 'The local API could not start.', [{ asked, answered: f.error?.code ?? 'refused', at: f.at }])
        : f.state === 'starting'
          ? verdictOf('unknown', 'Starting', 'The local API is starting.')
          : verdictOf('na', 'Off', 'The local API is off.');
  return { available: true, host: LOCAL_API_HOST, ...f, verdict: v };
}

/** Where no desktop app runs (kiln serve, the CLI). */
export const noLocalApi: LocalApiStatus = {
  available: false,
  state: 'off',
  host: LOCAL_API_HOST,
  port: null,
  url: null,
  error: null,
  at: null,
  verdict: verdictOf('na', 'Not the desktop app', 'Only the desktop app has a local API switch; this server is the API.'),
};
