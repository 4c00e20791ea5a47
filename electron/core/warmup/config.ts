import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import { contentSettings, warmupLimits, type WarmupLimits, type WarmupSettings } from '../../../shared/domain/warmup';
import type { z } from 'zod';
import { parseJson } from '../util/json';
import { corpusProvider, openAiProvider, withFallback, type ContentProvider } from './content';

type ContentSettings = z.infer<typeof contentSettings>;

const LIMITS_KEY = 'warmup.limits';
const CONTENT_KEY = 'warmup.content';
/** The endpoint's API key lives in the secret store under this ref, never in SQLite. */
export const contentKeyRef = (workspaceId: string) => `workspace/${workspaceId}/content-api-key`;

/** What the warmup settings use. */
export interface WarmupConfigNeeds {
  db: Db;
  clock: Clock;
  log: Logger;
  secrets: SecretStore;
}

/**
 * Per-workspace warmup settings (limits, content provider), cached: the scheduler reads them for
 * every message it releases. A change clears the cache.
 */
export class WarmupConfig {
  private readonly limitsCache = new Map<string, WarmupLimits>();
  private readonly contentCache = new Map<string, Promise<ContentProvider>>();
  private readonly get;
  private readonly put;
  private readonly suppressions;
  private readonly builtIn = corpusProvider();

  constructor(
    private readonly deps: WarmupConfigNeeds,
    /** A warmup status changed (loop decision, settings): tell live clients. */
    readonly changed: (mailboxId: string) => void,
    /** Replaces every workspace's provider (tests, benchmarks). */
    private readonly contentOverride?: ContentProvider,
  ) {
    const sqlite = deps.db.sqlite;
    this.get = sqlite.prepare('SELECT value FROM workspace_settings WHERE workspace_id = ? AND key = ?').pluck();
    this.put = sqlite.prepare(
      `INSERT INTO workspace_settings (workspace_id, key, value, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.suppressions = sqlite.prepare('SELECT workspace_id, address FROM suppressions');
  }

  limits(workspaceId: string): WarmupLimits {
    let l = this.limitsCache.get(workspaceId);
    if (!l) {
      const stored = parseJson<Partial<WarmupLimits>>(this.get.get(workspaceId, LIMITS_KEY) as string | undefined ?? null) ?? {};
      l = warmupLimits.parse(stored);
      this.limitsCache.set(workspaceId, l);
    }
    return l;
  }

  contentSettings(workspaceId: string): ContentSettings {
    const stored = parseJson<unknown>((this.get.get(workspaceId, CONTENT_KEY) as string | undefined) ?? null);
    const parsed = contentSettings.safeParse(stored ?? { provider: 'builtin' });
    return parsed.success ? parsed.data : { provider: 'builtin' };
  }

  /** The workspace's content provider: the built-in corpus, or an endpoint that falls back to it. */
  content(workspaceId: string): Promise<ContentProvider> {
    if (this.contentOverride) return Promise.resolve(this.contentOverride);
    let p = this.contentCache.get(workspaceId);
    if (!p) {
      p = this.buildContent(workspaceId);
      this.contentCache.set(workspaceId, p);
    }
    return p;
  }

  private async buildContent(workspaceId: string): Promise<ContentProvider> {
    const c = this.contentSettings(workspaceId);
    if (c.provider === 'builtin') return this.builtIn;
    const apiKey = await this.deps.secrets.get(contentKeyRef(workspaceId));
    const log = this.deps.log;
    return withFallback(openAiProvider({ url: c.url, model: c.model, apiKey, timeoutMs: c.timeoutMs }), this.builtIn, {
      timeoutMs: c.timeoutMs,
      onFallback: (reason) => log.warn({ workspaceId, reason }, 'content endpoint failed; used the built-in corpus'),
    });
  }

  async settings(workspaceId: string): Promise<WarmupSettings> {
    return {
      content: this.contentSettings(workspaceId),
      contentKeySet: (await this.deps.secrets.get(contentKeyRef(workspaceId))) !== null,
      limits: this.limits(workspaceId),
    };
  }

  async update(workspaceId: string, patch: { content?: ContentSettings; contentApiKey?: string | null; limits?: Partial<WarmupLimits> }): Promise<WarmupSettings> {
    const now = this.deps.clock.now();
    if (patch.contentApiKey === null) await this.deps.secrets.delete(contentKeyRef(workspaceId));
    else if (patch.contentApiKey !== undefined) await this.deps.secrets.set(contentKeyRef(workspaceId), patch.contentApiKey);
    if (patch.content) this.put.run(workspaceId, CONTENT_KEY, JSON.stringify(patch.content), now);
    if (patch.limits) this.put.run(workspaceId, LIMITS_KEY, JSON.stringify({ ...this.limits(workspaceId), ...patch.limits }), now);
    this.limitsCache.delete(workspaceId);
    this.contentCache.delete(workspaceId);
    return this.settings(workspaceId);
  }

  /** Every `workspace|address` suppression: the planner never plans mail to them. */
  suppressedAll(): Set<string> {
    const out = new Set<string>();
    for (const r of this.suppressions.iterate() as Iterable<{ workspace_id: string; address: string }>) out.add(`${r.workspace_id}|${r.address}`);
    return out;
  }
}
