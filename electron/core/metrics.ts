import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { messageStatuses } from '../../shared/domain/message';

export interface MetricsSources {
  countByStatus(): { status: string; n: number }[];
  queueDepth(): number;
}

/** Prometheus metrics on a registry of Kiln's own (no global state shared between cores in tests). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kiln_' });
  let sources: MetricsSources | null = null;

  new Gauge({
    name: 'kiln_messages',
    help: 'Messages by lifecycle status',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      if (!sources) return;
      const counts = new Map(sources.countByStatus().map((r) => [r.status, r.n]));
      for (const s of messageStatuses) this.set({ status: s }, counts.get(s) ?? 0);
    },
  });
  new Gauge({
    name: 'kiln_queue_depth',
    help: 'Messages waiting to be sent (queued or scheduled for retry)',
    registers: [registry],
    collect() {
      if (sources) this.set(sources.queueDepth());
    },
  });
  const sendDuration = new Histogram({
    name: 'kiln_send_duration_seconds',
    help: 'Time to hand one message to SMTP, by outcome',
    labelNames: ['outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const sendAttempts = new Counter({
    name: 'kiln_send_attempts_total',
    help: 'SMTP send attempts by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  // Each finished look for due work: lets a test (or an operator) see the dispatcher had its chance.
  const dispatchScans = new Counter({
    name: 'kiln_dispatch_scans_total',
    help: 'Completed dispatcher scans for due messages',
    registers: [registry],
  });

  return {
    registry,
    setSources(s: MetricsSources) {
      sources = s;
    },
    observeSend(ms: number, outcome: 'sent' | 'error') {
      sendDuration.observe({ outcome }, ms / 1000);
      sendAttempts.inc({ outcome });
    },
    dispatchScanned() {
      dispatchScans.inc();
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
