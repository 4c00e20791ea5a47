// Alerts raised by the checks, and their acknowledgement.
import { z } from 'zod';
import { method } from '../define';
import { alert } from '../../domain/alert';
import { id, cursorPage, limit } from './common';

export const alertsMethods = {
  'alerts.list': method({
    http: { method: 'GET', path: '/alerts' },
    scope: 'read',
    summary: 'Alerts, newest first: open ones by default (a condition raised once, resolved once)',
    input: z.object({ state: z.enum(['open', 'resolved', 'all']).default('open'), limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(alert),
  }),
  'alerts.acknowledge': method({
    http: { method: 'POST', path: '/alerts/{id}/acknowledge' },
    scope: 'admin',
    summary: 'Mark an alert as seen (it stays open until its condition ends)',
    input: id,
    output: alert,
  }),
};
