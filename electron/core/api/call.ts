import { api, type MethodName } from '../../../shared/api/table';
import { allows } from '../../../shared/api/access';
import { fieldErrors, humanError } from '../../../shared/api/issues';
import { KilnError, isKilnError, type Envelope } from '../../../shared/errors';
import type { Logger } from '../log';
import type { CallContext } from './context';
import type { Handlers } from './handlers';


export const allowed = (ctx: CallContext, method: MethodName): boolean => allows(ctx, method);

/** The single entry for REST, IPC and CLI: authorise, validate, run, wrap in the envelope. */
export function createCall(handlers: Handlers, log: Logger, isClosing: () => boolean) {
  return async function call(method: MethodName, input: unknown, ctx: CallContext): Promise<Envelope<unknown>> {
    try {
      const def = api[method];
      if (!def) throw new KilnError('NOT_FOUND', `Unknown method ${String(method)}`);
      if (isClosing()) throw new KilnError('SHUTTING_DOWN', 'Kiln is shutting down');
      if (!allowed(ctx, method)) {
        throw new KilnError('FORBIDDEN', `${method} needs the "${def.scope}" scope`, { required: def.scope });
      }
      const parsed = def.input.safeParse(input ?? {}, { error: humanError });
      if (!parsed.success) {
        throw new KilnError('VALIDATION_FAILED', 'The request is not valid', { fields: fieldErrors(parsed.error) });
      }
      const handler = handlers[method] as (i: unknown, c: CallContext) => Promise<unknown>;
      return { ok: true, data: await handler(parsed.data, ctx) };
    } catch (e) {
      if (isKilnError(e)) return { ok: false, error: e.toBody() };
      // Unexpected errors may carry anything (SQL, library internals): log them, return a bare code.
      log.error({ err: e, method }, 'unhandled error in handler');
      return { ok: false, error: { code: 'INTERNAL', message: 'Internal error; see the Kiln log' } };
    }
  };
}
