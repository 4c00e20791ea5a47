import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../core/types';
import type { CallContext } from '../core/api/context';

const HEARTBEAT_MS = 15_000;

/** Server-sent events of one workspace. Returns a closer so shutdown can end open streams. */
export function openEventStream(core: Core, ctx: CallContext, req: FastifyRequest, reply: FastifyReply): () => void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': connected\n\n');
  const unsubscribe = core.subscribe((e) => {
    if (e.workspaceId !== ctx.workspaceId) return;
    res.write(`event: ${e.name}\ndata: ${JSON.stringify(e.data)}\n\n`);
  });
  const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  beat.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(beat);
    unsubscribe();
    res.end();
  };
  req.raw.on('close', close);
  return close;
}
