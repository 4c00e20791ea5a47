import type { Provider } from '../../../../shared/domain/mailbox';
import type { FeedbackLoop } from './types';
import { generic } from './generic';
import { gmail } from './gmail';
import { outlook } from './outlook';
import { yahoo } from './yahoo';
import { zoho } from './zoho';

export type { FeedbackLoop } from './types';

/** One line per provider: adding a provider is one file and one line here. */
const registry: Record<Provider, FeedbackLoop> = {
  custom: generic,
  gmail,
  outlook,
  yahoo,
  zoho,
};

export function feedbackLoopFor(provider: string): FeedbackLoop {
  return registry[provider as Provider] ?? generic;
}
