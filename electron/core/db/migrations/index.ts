import type { Migration } from 'kysely';
import { initial } from './2026-11-23-001-initial';
import { feedback } from './2026-11-23-002-feedback';
import { warmup } from './2026-11-23-003-warmup';
import { recipients } from './2026-11-23-004-recipients';
import { alerts } from './2026-11-23-005-alerts';
import { dmarcReports } from './2026-11-23-006-dmarc-reports';
import { authChecks } from './2026-11-23-007-auth-checks';
import { blocklists } from './2026-11-23-008-blocklists';
import { webhooks } from './2026-11-23-009-webhooks';
import { dkimKeys } from './2026-11-23-010-dkim-keys';
import { placementTests } from './2026-11-23-011-placement-tests';
import { healthScores } from './2026-11-23-012-health-scores';
import { recipientOutcomes } from './2026-12-04-013-recipient-outcomes';
import { dkimKeyStatus } from './2026-12-04-014-dkim-key-status';
import { warmupDropped } from './2026-12-04-015-warmup-dropped';
import { oauth } from './2026-12-04-016-oauth';
import { messageFilters } from './2026-12-04-017-message-filters';
import { softBounceSuppressions } from './2026-12-04-018-soft-bounce-suppressions';
import { webhookOrder } from './2026-12-04-019-webhook-order';
import { templates } from './2026-12-04-020-templates';
import { sendOptions } from './2026-12-04-021-send-options';

// Static registry: migrations ship inside the bundle (no directory scanning at run time).
// Names sort by date; append new entries, never rename or edit shipped ones.
export const migrations: Record<string, Migration> = {
  '2026-11-23-001-initial': initial,
  '2026-11-23-002-feedback': feedback,
  '2026-11-23-003-warmup': warmup,
  '2026-11-23-004-recipients': recipients,
  '2026-11-23-005-alerts': alerts,
  '2026-11-23-006-dmarc-reports': dmarcReports,
  '2026-11-23-007-auth-checks': authChecks,
  '2026-11-23-008-blocklists': blocklists,
  '2026-11-23-009-webhooks': webhooks,
  '2026-11-23-010-dkim-keys': dkimKeys,
  '2026-11-23-011-placement-tests': placementTests,
  '2026-11-23-012-health-scores': healthScores,
  '2026-12-04-013-recipient-outcomes': recipientOutcomes,
  '2026-12-04-014-dkim-key-status': dkimKeyStatus,
  '2026-12-04-015-warmup-dropped': warmupDropped,
  '2026-12-04-016-oauth': oauth,
  '2026-12-04-017-message-filters': messageFilters,
  '2026-12-04-018-soft-bounce-suppressions': softBounceSuppressions,
  '2026-12-04-019-webhook-order': webhookOrder,
  '2026-12-04-020-templates': templates,
  '2026-12-04-021-send-options': sendOptions,
};
