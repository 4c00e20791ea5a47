// Signed webhooks and their deliveries.
import { z } from 'zod';
import { method } from '../define';
import { createdWebhook, defaultWebhookEvents, deliveryStatuses, webhook, webhookDelivery, webhookEventTypes, webhookTestResult } from '../../domain/webhook';
import { id, cursorPage, limit } from './common';

const webhookUrl = z.string().trim().min(1).max(2048);

const webhookEvents = z.array(z.enum(webhookEventTypes)).min(1).max(webhookEventTypes.length);

export const webhooksMethods = {
  // Webhooks: admin only, reads included (a receiver URL often carries a token in its path).
  'webhooks.list': method({
    http: { method: 'GET', path: '/webhooks' },
    scope: 'admin',
    summary: 'Registered webhooks (never their signing secrets)',
    input: z.object({}),
    output: z.array(webhook),
  }),
  'webhooks.create': method({
    http: { method: 'POST', path: '/webhooks', status: 201 },
    scope: 'admin',
    summary: 'Register a webhook (alert events unless `events` asks for message or warmup events too); the signing secret is in the response once and never again',
    input: z.object({
      url: webhookUrl,
      description: z.string().trim().max(500).optional(),
      events: webhookEvents.default(defaultWebhookEvents),
      enabled: z.boolean().default(true),
    }),
    output: createdWebhook,
  }),
  'webhooks.update': method({
    http: { method: 'PATCH', path: '/webhooks/{id}' },
    scope: 'admin',
    summary: 'Change the URL, description, event filter, or turn it on or off (turning on clears an automatic disable)',
    input: id.extend({
      url: webhookUrl.optional(),
      description: z.string().trim().max(500).optional(),
      events: webhookEvents.optional(),
      enabled: z.boolean().optional(),
    }),
    output: webhook,
  }),
  'webhooks.delete': method({
    http: { method: 'DELETE', path: '/webhooks/{id}' },
    scope: 'admin',
    summary: 'Remove a webhook, its deliveries and its secret',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
  'webhooks.rotateSecret': method({
    http: { method: 'POST', path: '/webhooks/{id}/rotate-secret' },
    scope: 'admin',
    summary: 'Replace the signing secret (returned once); deliveries carry both signatures for graceHours (default 24)',
    input: id.extend({ graceHours: z.number().int().min(0).max(168).default(24) }),
    output: createdWebhook,
  }),
  'webhooks.test': method({
    http: { method: 'POST', path: '/webhooks/{id}/test' },
    scope: 'admin',
    summary: 'Send a signed webhook.test ping now (once, no retries) and report the answer',
    input: id,
    output: webhookTestResult,
  }),
  'webhooks.deliveries': method({
    http: { method: 'GET', path: '/webhooks/{id}/deliveries' },
    scope: 'admin',
    summary: "A webhook's recent deliveries, newest first, with every attempt (kept 30 days)",
    input: id.extend({ status: z.enum(deliveryStatuses).optional(), limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(webhookDelivery),
  }),
  'webhooks.deliveryLog': method({
    http: { method: 'GET', path: '/webhooks/deliveries' },
    scope: 'admin',
    summary: "Deliveries across the workspace's webhooks, newest first, with every attempt and the payload (kept 30 days)",
    input: z.object({
      webhookId: z.string().max(100).optional(),
      status: z.enum(deliveryStatuses).optional(),
      type: z.enum(webhookEventTypes).optional(),
      limit,
      cursor: z.string().max(200).optional(),
    }),
    output: cursorPage(webhookDelivery),
  }),
  'webhooks.redeliver': method({
    http: { method: 'POST', path: '/webhooks/deliveries/{id}/redeliver' },
    scope: 'admin',
    summary: 'Queue a delivery again now, with the same webhook-id (receivers that dedupe by it see it once)',
    input: id,
    output: webhookDelivery,
  }),
};
