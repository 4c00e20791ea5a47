import type { Scope } from '../../../shared/api/define';

/** Who is calling: every handler runs inside exactly one workspace. */
export interface CallContext {
  workspaceId: string;
  scopes: readonly Scope[];
  /** The API token used, for audit; absent for local callers (CLI, desktop IPC). */
  tokenId?: string;
  /** The machine's owner (desktop IPC, CLI): may call `owner` methods. Never set for a token. */
  owner?: boolean;
}
