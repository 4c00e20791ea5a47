// Preferences and the system status.
import { z } from 'zod';
import { method } from '../define';
import { preferences } from '../../domain/preferences';
import { localApiStatus } from '../../domain/local-api';
import { timeZone } from './common';

export const systemMethods = {
  'preferences.get': method({
    http: { method: 'GET', path: '/preferences' },
    scope: 'read',
    summary: 'General defaults, desktop behaviour (start at login, tray, notifications) and engagement consent',
    input: z.object({}),
    output: preferences,
  }),
  'preferences.update': method({
    http: { method: 'PATCH', path: '/preferences' },
    scope: 'admin',
    summary: 'Change general defaults, desktop behaviour, or whether the pool engages with non-warmup Kiln mail',
    input: z.object({
      defaultPreset: preferences.shape.defaultPreset.unwrap().optional(),
      defaultTimeZone: timeZone.nullable().optional(),
      desktop: z
        .object({
          startAtLogin: z.boolean(),
          runInBackground: z.boolean(),
          notifications: z.boolean(),
          localApi: z.object({ enabled: z.boolean(), port: z.number().int().min(1024).max(65535) }).partial(),
        })
        .partial()
        .optional(),
      engagement: z.object({ otherKilnMail: z.boolean() }).partial().optional(),
    }),
    output: preferences,
  }),
  'system.localApi': method({
    http: { method: 'GET', path: '/system/local-api' },
    scope: 'read',
    summary: "The desktop app's local REST API and web UI on 127.0.0.1: off, starting, on (its URL) or refused (why)",
    input: z.object({}),
    output: localApiStatus,
  }),
  'system.status': method({
    http: { method: 'GET', path: '/system/status' },
    scope: 'read',
    summary: 'Version, secret store backend and queue depth',
    input: z.object({}),
    output: z.object({
      version: z.string(),
      secretStore: z.object({ backend: z.string(), location: z.string(), ok: z.boolean(), detail: z.string().optional() }),
      queue: z.object({ queued: z.number(), retryScheduled: z.number(), sending: z.number() }),
    }),
  }),
};
