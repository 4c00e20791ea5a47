import pino from 'pino';
import { createCore } from '../electron/core/app';
import type { Input } from '../shared/api/table';
import { percentile } from './util';

/**
 * Filtered `messages.list` pages (50 rows) over the seeded database, through the core's call
 * path (validation, query, recipients of the page): the query cost without HTTP around it.
 */
export async function messagesListBench(dataDir: string, rounds = 40) {
  const core = await createCore({ dataDir, dispatch: false, logger: pino({ level: 'warn' }) });
  const ctx = { workspaceId: core.defaultWorkspaceId, scopes: ['read' as const] };
  const mailboxes = (await core.services.mailboxes.list(ctx.workspaceId)).map((m) => m.id);
  const day = (d: number) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString();
  const combos: Input<'messages.list'>[] = [
    {},
    { status: 'failed' },
    { mailboxId: mailboxes[1] },
    { kind: 'warmup' },
    { kind: 'warmup', placement: 'spam' },
    { placement: 'spam' },
    { status: 'failed', mailboxId: mailboxes[0] },
    { from: day(3), to: day(4) },
    { status: 'failed', from: day(5), to: day(6) },
    { q: 'r1234@dest.test' },
    { q: 'r12' },
    { q: 'Seeded 99' },
  ];
  const latencies: number[] = [];
  let errors = 0;
  for (let round = 0; round < rounds; round++) {
    for (const input of combos) {
      let cursor: string | undefined;
      // The first page and the next one (keyset), as a scrolling list asks for them.
      for (let page = 0; page < 2; page++) {
        const t0 = performance.now();
        const r = await core.call('messages.list', { ...input, limit: 50, cursor }, ctx);
        latencies.push(performance.now() - t0);
        if (!r.ok) errors++;
        cursor = r.ok ? ((r.data as { nextCursor: string | null }).nextCursor ?? undefined) : undefined;
        if (!cursor) break;
      }
    }
  }
  // Not in the p95: a subject fragment that matches nothing reads every row (no index serves LIKE '%q%').
  const m0 = performance.now();
  await core.call('messages.list', { q: 'no-such-fragment', limit: 50 }, ctx);
  const textMissMs = performance.now() - m0;
  await core.close();
  latencies.sort((a, b) => a - b);
  return { textMissMs, queries: latencies.length, combos: combos.length, errors, p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.at(-1)! };
}
