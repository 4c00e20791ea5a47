// The shell's own calls into the core (tray, notifications, preferences): the same API table and
// the same local context as the IPC bridge, but with errors thrown as KilnError so callers can
// simply await the data.
import type { Input, MethodName, Output } from '../../shared/api/table';
import { KilnError } from '../../shared/errors';
import type { CallContext } from '../core/api/context';
import type { Core } from '../core/types';

type CoreLike = Pick<Core, 'call' | 'defaultWorkspaceId'>;

/** The desktop user owns the machine: admin and owner, no token (as in ipc.ts). The tray and
 *  notifications watch the default workspace. */
export function localContext(core: CoreLike, workspaceId = core.defaultWorkspaceId): CallContext {
  return { workspaceId, scopes: ['admin'], owner: true };
}

export async function callCore<M extends MethodName>(core: CoreLike, method: M, input: Input<M>): Promise<Output<M>> {
  const res = await core.call(method, input, localContext(core));
  if (!res.ok) throw new KilnError(res.error.code, res.error.message, res.error.details);
  return res.data as Output<M>;
}
