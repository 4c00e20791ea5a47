// DNS blocklist scans and their settings.
import { z } from 'zod';
import { method } from '../define';
import { blocklistHistoryItem, blocklistOverview, blocklistSettings, blocklistSettingsPatch } from '../../domain/blocklist';
import { cursorPage, limit } from './common';

export const blocklistsMethods = {
  'blocklists.get': method({
    http: { method: 'GET', path: '/blocklists' },
    scope: 'read',
    summary: 'DNS blocklist state: the latest result per target (sending IP or domain) and zone, with summary counts',
    input: z.object({}),
    output: blocklistOverview,
  }),
  'blocklists.scan': method({
    http: { method: 'POST', path: '/blocklists/scan' },
    scope: 'admin',
    summary: 'Check every target against every enabled zone now (joins a scan already running) and return the results',
    input: z.object({}),
    output: blocklistOverview,
  }),
  'blocklists.history': method({
    http: { method: 'GET', path: '/blocklists/history' },
    scope: 'read',
    summary: 'Blocklist scans, newest first, each with its status changes (listed, delisted, errors)',
    input: z.object({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(blocklistHistoryItem),
  }),
  'blocklists.settings.get': method({
    http: { method: 'GET', path: '/blocklists/settings' },
    scope: 'read',
    summary: 'Blocklist zones (built-in and custom, on or off), extra and excluded targets, whether a Spamhaus DQS key is set',
    input: z.object({}),
    output: blocklistSettings,
  }),
  'blocklists.settings.update': method({
    http: { method: 'PATCH', path: '/blocklists/settings' },
    scope: 'admin',
    summary: 'Turn zones on or off, replace custom zones or extra/excluded targets, set or remove the Spamhaus DQS key (write-only: it goes to the secret store)',
    input: blocklistSettingsPatch,
    output: blocklistSettings,
  }),
};
