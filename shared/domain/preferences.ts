import { z } from 'zod';
import { DEFAULT_LOCAL_API_PORT } from './local-api';

/** The desktop's local REST API: off by default; always on 127.0.0.1, only the port is chosen. */
export const localApiPreference = z
  .object({
    enabled: z.boolean().default(false),
    port: z.number().int().min(1024).max(65535).default(DEFAULT_LOCAL_API_PORT),
  })
  .default({ enabled: false, port: DEFAULT_LOCAL_API_PORT });

/**
 * General defaults of a workspace, and the desktop shell's behaviour. The core only stores them;
 * the Electron shell applies the desktop ones (login item, staying in the tray) when they change.
 */
export const preferences = z.object({
  /** Preset a new mailbox's warmup starts from. */
  defaultPreset: z.enum(['gentle', 'standard', 'aggressive']).default('standard'),
  /** Time zone given to new mailboxes when none is chosen (IANA name); null: the machine's. */
  defaultTimeZone: z.string().max(64).nullable().default(null),
  desktop: z
    .object({
      startAtLogin: z.boolean().default(false),
      /** Keep warming in the tray when the window is closed. */
      runInBackground: z.boolean().default(true),
      notifications: z.boolean().default(true),
      localApi: localApiPreference,
    })
    .default({ startAtLogin: false, runInBackground: true, notifications: true, localApi: { enabled: false, port: DEFAULT_LOCAL_API_PORT } }),
  /**
   * What the pool's mailboxes do with Kiln mail they receive. Warmup mail (and the replies in its
   * threads) is always engaged with; other Kiln mail (API sends, placement tests) only has its
   * placement recorded unless `otherKilnMail` is on: a real message must never be read, flagged,
   * moved or answered by Kiln behind its sender's back.
   */
  engagement: z.object({ otherKilnMail: z.boolean().default(false) }).default({ otherKilnMail: false }),
});
export type Preferences = z.infer<typeof preferences>;
