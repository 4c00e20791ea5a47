import type { z } from 'zod';

export const scopes = ['read', 'send', 'admin'] as const;
export type Scope = (typeof scopes)[number];

/** admin ⊇ send ⊇ read: a token with a higher scope may call every lower one. */
export const scopeRank: Record<Scope, number> = { read: 0, send: 1, admin: 2 };

/**
 * What a method needs: a token scope, or `owner` — the person who owns this Kiln (the desktop app
 * and the CLI on its data folder). No token ever holds `owner`: workspace tokens cannot list or
 * create other workspaces.
 */
export type MethodScope = Scope | 'owner';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Path under /api/v1; `{name}` segments are merged into the input. */
  http: { method: HttpMethod; path: string; status?: number };
  scope: MethodScope;
  summary: string;
  input: I;
  output: O;
}

/** Identity helper that keeps the exact schema types of each entry. */
export function method<I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>): MethodDef<I, O> {
  return def;
}
