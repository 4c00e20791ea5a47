import type { Provider } from '../../../shared/domain/mailbox';
import { providerRecords, type Endpoint } from '../providers';

export type { Endpoint } from '../providers';
export interface Preset {
  provider: Provider;
  label: string;
  smtp: Endpoint | null;
  imap: Endpoint | null;
  note: string;
}

/** The settings half of each provider record (providers.list, and the defaults a new mailbox gets). */
export const presets = Object.fromEntries(
  Object.values(providerRecords).map((r) => [r.id, { provider: r.id, label: r.label, smtp: r.smtp, imap: r.imap, note: r.note }]),
) as Record<Provider, Preset>;
