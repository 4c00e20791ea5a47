import pino, { type Logger } from 'pino';

export type { Logger };

// Secrets never reach the log: Kiln never logs them on purpose, and these paths catch accidents.
const redact = {
  paths: ['password', '*.password', '*.*.password', 'pass', '*.pass', 'auth.pass', '*.auth.pass', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization'],
  censor: '[redacted]',
};

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino({ level: opts.level ?? process.env.KILN_LOG_LEVEL ?? 'info', redact, base: { app: 'kiln' } }, (opts.destination ?? pino.destination(2)) as pino.DestinationStream);
}
