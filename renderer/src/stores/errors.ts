import { isKilnError } from '../../../shared/errors';

/** An API failure as the UI shows it: the code for support, the message for people. */
export interface AppError {
  code: string;
  message: string;
  details?: unknown;
}

export function toAppError(err: unknown): AppError {
  if (isKilnError(err)) return { code: err.code, message: err.message, details: err.details };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** A remote value's lifecycle: every screen renders loading, error and ready the same way. */
export type Remote<T> =
  | { status: 'idle'; data: null; error: null }
  | { status: 'loading'; data: T | null; error: null }
  | { status: 'ready'; data: T; error: null }
  | { status: 'error'; data: T | null; error: AppError };

export const idle = <T>(): Remote<T> => ({ status: 'idle', data: null, error: null });
export const loading = <T>(prev: Remote<T>): Remote<T> => ({ status: 'loading', data: prev.data, error: null });
export const ready = <T>(data: T): Remote<T> => ({ status: 'ready', data, error: null });
export const failed = <T>(prev: Remote<T>, err: unknown): Remote<T> => ({ status: 'error', data: prev.data, error: toAppError(err) });

/**
 * Calls `fn` at most once per `ms`, trailing: a burst of push events (a send, its placement, a
 * state change) becomes one refetch instead of dozens.
 */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
}

/**
 * A store's action runner: clears the last action error, runs `fn`, and on failure records the
 * error with the part of the screen (`scope`) that shows it. Resolves true when the action worked.
 */
export function scopedAction<S>(set: (patch: { actionError: { scope: S; error: AppError } | null }) => void) {
  return async (scope: S, fn: () => Promise<unknown>): Promise<boolean> => {
    set({ actionError: null });
    try {
      await fn();
      return true;
    } catch (err) {
      set({ actionError: { scope, error: toAppError(err) } });
      return false;
    }
  };
}
