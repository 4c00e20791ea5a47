import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// The database schema as a TypeScript interface. Times are integer milliseconds since the epoch
// (cheap to compare and index); the API layer turns them into ISO strings.

export interface WorkspacesTable {
  id: string;
  slug: string;
  name: string;
  created_at: number;
}

export interface ApiTokensTable {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  /** sha256 of the full token, hex; the token itself is never stored. */
  hash: string;
  /** Comma-separated scopes. */
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface MailboxesTable {
  id: string;
  workspace_id: string;
  email: string;
  display_name: string | null;
  provider: string;
  smtp_host: string;
  smtp_port: number;
  smtp_security: string;
  smtp_user: string;
  /** Opaque reference into the secret store; the password never sits here. */
  smtp_secret_ref: string;
  imap_host: string | null;
  imap_port: number | null;
  imap_security: string | null;
  imap_user: string | null;
  imap_secret_ref: string | null;
  allow_insecure: number;
  status: string;
  /** JSON MailboxError or null. */
  last_error: string | null;
  time_zone: string;
  daily_limit: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  /** 'password' (smtp/imap_secret_ref hold the passwords) or 'oauth2' (oauth_secret_ref holds the refresh token). */
  auth_kind: Generated<string>;
  oauth_provider: string | null;
  oauth_app_id: string | null;
  oauth_secret_ref: string | null;
  /** JSON array of granted scopes. */
  oauth_scopes: string | null;
}

/** A workspace's own OAuth app registration; the client secret lives in the secret store. */
export interface OAuthAppsTable {
  id: string;
  workspace_id: string;
  provider: string;
  label: string;
  client_id: string;
  client_secret_ref: string | null;
  tenant: string | null;
  issuer: string | null;
  authorization_endpoint: string | null;
  token_endpoint: string | null;
  /** JSON array, or null for the provider's defaults. */
  scopes: string | null;
  created_at: number;
  updated_at: number;
}

export interface MessagesTable {
  id: string;
  workspace_id: string;
  mailbox_id: string;
  kind: string;
  status: string;
  /** RFC 5322 Message-ID with angle brackets, fixed at enqueue so retries reuse it. */
  message_id: string;
  from_addr: string;
  subject: string;
  idempotency_key: string | null;
  /** sha256 of the request that created the message, to detect key reuse with another body. */
  request_hash: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number | null;
  /** JSON SendError or null. */
  last_error: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  /** Neutral token sent in the X-Entity-Ref-ID header: how the feedback loop recognises Kiln mail. */
  ref: string | null;
  in_reply_to: string | null;
  references: string | null;
  /** Local plan day (YYYY-MM-DD) of warmup mail; NULL for other mail. */
  plan_day: ColumnType<string | null, string | null | undefined, string | null>;
  /** The template and version the content was rendered from (null: content given directly). */
  template_id: ColumnType<string | null, string | null | undefined, string | null>;
  template_version: ColumnType<number | null, number | null | undefined, number | null>;
  /** Reply-To address given to messages.send (migration 021). */
  reply_to: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON object of allow-listed extra headers (see messages/send-options.ts). */
  extra_headers: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of tags; message_tags holds the same for the list's filter. */
  tags: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MessageTagsTable {
  message_id: string;
  tag: string;
}

export interface MessageContentsTable {
  message_id: string;
  text_body: string | null;
  html_body: string | null;
}

export interface MessageRecipientsTable {
  message_id: string;
  kind: string;
  address: string;
  status: string;
  response_code: number | null;
  enhanced_status: string | null;
  response: string | null;
  /** After the handoff: delivered | deferred | bounced | complained (null: no news yet). */
  outcome: string | null;
  outcome_status: string | null;
  outcome_diagnostic: string | null;
  outcome_at: number | null;
}

export interface MessageEventsTable {
  id: Generated<number>;
  message_id: string;
  workspace_id: string;
  at: number;
  type: string;
  /** JSON object. */
  data: string;
}

export interface SuppressionsTable {
  id: string;
  workspace_id: string;
  address: string;
  reason: string;
  detail: string | null;
  message_id: string | null;
  created_at: number;
}

export interface MessagePlacementsTable {
  message_id: string;
  recipient: string;
  workspace_id: string;
  mailbox_id: string;
  placement: string;
  folder: string | null;
  uidvalidity: string | null;
  uid: number | null;
  seen_at: number | null;
  rescued_at: number | null;
  opened_at: number | null;
  flagged_at: number | null;
  replied_at: number | null;
  filed_at: number | null;
  plan: string | null;
  /** When the remaining engagement steps are due; NULL once all are done. */
  engage_after: number | null;
  removed_at: number | null;
  updated_at: number;
}

export interface ImapFolderStateTable {
  mailbox_id: string;
  folder: string;
  role: string;
  /** Decimal string: UIDVALIDITY is a 32-bit unsigned value and imapflow reports it as a bigint. */
  uidvalidity: string;
  last_uid: number;
  highest_modseq: string | null;
  updated_at: number;
}

export interface WarmupSettingsTable {
  mailbox_id: string;
  workspace_id: string;
  enabled: number;
  pool: number;
  /** JSON Ramp. */
  ramp: string;
  /** JSON LoopSettings. */
  loop: string;
  /** Sending days the ramp has advanced. */
  progress: number;
  paused_at: number | null;
  resumed_at: number | null;
  state: string;
  state_code: string | null;
  state_reason: string | null;
  state_until: number | null;
  updated_at: number;
}

export interface WarmupDaysTable {
  mailbox_id: string;
  day: string;
  workspace_id: string;
  sending_day: number | null;
  target: number;
  volume: number;
  state: string;
  reason: string | null;
  advanced: number;
  /** Planned warmup mail dropped instead of sent, and the latest reason why. */
  dropped: Generated<number>;
  dropped_reason: string | null;
  planned_at: number;
  updated_at: number;
}

export interface PoolRecipientsTable {
  id: string;
  workspace_id: string;
  address: string;
  name: string | null;
  provider: string;
  daily_cap: number | null;
  created_at: number;
}

export interface WorkspaceSettingsTable {
  workspace_id: string;
  key: string;
  /** JSON. */
  value: string;
  updated_at: number;
}

export interface RecipientsTable {
  id: string;
  workspace_id: string;
  /** seed | contact */
  kind: string;
  /** Lower-cased. */
  address: string;
  name: string | null;
  provider: string;
  created_at: number;
}

export interface AlertsTable {
  id: string;
  workspace_id: string;
  kind: string;
  severity: string;
  key: string;
  title: string;
  detail: string;
  mailbox_id: string | null;
  domain: string | null;
  ip: string | null;
  state: 'open' | 'resolved';
  raised_at: number;
  resolved_at: number | null;
  acknowledged_at: number | null;
}

export interface WebhooksTable {
  id: string;
  workspace_id: string;
  url: string;
  description: string;
  /** Comma-separated event types. */
  events: string;
  enabled: number;
  /** The signing secret's ref in the secret store (never the secret). */
  secret_ref: string;
  previous_secret_ref: string | null;
  previous_secret_until: number | null;
  consecutive_failures: number;
  failing_since: number | null;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  workspace_id: string;
  webhook_id: string;
  event_type: string;
  body: string;
  /** pending | delivered | failed */
  status: string;
  /** Attempts in the current round (since creation or the last redelivery): it picks the next backoff. */
  attempts: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  /** JSON array of attempts. */
  attempt_log: string;
  created_at: number;
  updated_at: number;
  /** Deliveries with the same key go one after another (webhook + message, webhook + warmup mailbox); null for alerts. */
  order_key: ColumnType<string | null, string | null | undefined, string | null>;
  delivered_at: number | null;
}

export interface DkimKeysTable {
  id: string;
  workspace_id: string;
  domain: string;
  selector: string;
  bits: number;
  /** base64 SPKI DER: the `p=` of the DNS record. */
  public_key: string;
  secret_ref: string;
  created_at: number;
  /** pending: its TXT record has not been seen with this key, so it does not sign; active: it signs. */
  status: ColumnType<string, string | undefined, string>;
  activated_at: number | null;
  checked_at: number | null;
  /** JSON DkimCheckRecord: what the latest DNS check asked and what answered. */
  last_check: string | null;
}

export interface BlocklistSettingsTable {
  workspace_id: string;
  /** JSON StoredBlocklistConfig (zones on/off, custom zones, extra and excluded targets). */
  config: string;
  /** Ref of the Spamhaus DQS key in the secret store; the key itself never sits here. */
  dqs_secret_ref: string | null;
  updated_at: number;
}

export interface BlocklistResultsTable {
  workspace_id: string;
  /** An IP address or a domain. */
  target: string;
  /** The zone's public name (also when asked through DQS). */
  zone: string;
  target_kind: string;
  /** JSON array of target sources. */
  sources: string;
  /** listed | clear | error */
  status: string;
  /** JSON array of { code, meaning, policy }. */
  codes: string;
  error_code: string | null;
  error_message: string | null;
  /** The name asked, DQS key masked. */
  query: string;
  checked_at: number;
  changed_at: number;
  listed_since: number | null;
  /** listed | clear | null: the last verdict that was not an error. */
  last_verdict: string | null;
  /** Consecutive scans that ended in an error. */
  error_streak: ColumnType<number, number | undefined, number>;
  scan_id: string;
}

export interface BlocklistScansTable {
  id: string;
  workspace_id: string;
  /** manual | schedule */
  trigger: string;
  started_at: number;
  finished_at: number;
  targets: number;
  queries: number;
  listed: number;
  clear: number;
  errors: number;
  changes: number;
  dqs: number;
}

export interface BlocklistChangesTable {
  id: Generated<number>;
  scan_id: string;
  workspace_id: string;
  target: string;
  zone: string;
  from_status: string | null;
  to_status: string;
  codes: string;
  at: number;
}

export interface DmarcReportsTable {
  id: string;
  workspace_id: string;
  org_name: string;
  org_email: string | null;
  /** The reporter's own id: unique per (workspace, org_name). */
  report_id: string;
  policy_domain: string;
  begin_at: number;
  end_at: number;
  /** JSON DmarcPolicy. */
  policy: string;
  /** JSON string[]. */
  errors: string;
  generator: string | null;
  /** rfc7489 | rfc9990 */
  schema_version: string;
  record_count: number;
  message_count: number;
  pass_count: number;
  /** imap | upload */
  source: string;
  /** Message-ID of the mail or the uploaded file's name. */
  source_ref: string | null;
  received_at: number;
}

export interface DmarcRecordsTable {
  id: Generated<number>;
  report_id: string;
  workspace_id: string;
  begin_at: number;
  source_ip: string;
  count: number;
  disposition: string;
  dkim: string;
  spf: string;
  dkim_aligned: number;
  spf_aligned: number;
  dmarc_pass: number;
  header_from: string;
  envelope_from: string | null;
  envelope_to: string | null;
  /** JSON arrays. */
  reasons: string;
  auth_dkim: string;
  auth_spf: string;
}

export interface DmarcSettingsTable {
  workspace_id: string;
  mailbox_id: string | null;
  folder: string;
  processed_folder: string;
  failed_folder: string;
  schedule: number;
  interval_minutes: number;
  next_run_at: number | null;
  last_run_at: number | null;
  /** JSON DmarcIngestResult. */
  last_result: string | null;
  uidvalidity: string | null;
  last_uid: ColumnType<number, number | undefined, number>;
  updated_at: number;
}

export interface PlacementTestsTable {
  id: string;
  workspace_id: string;
  mailbox_id: string;
  from_addr: string;
  subject: string;
  trigger: 'manual' | 'schedule';
  created_at: number;
  deadline_at: number;
  completed_at: number | null;
}

export interface PlacementTestSeedsTable {
  test_id: string;
  address: string;
  provider: string;
  readable: number;
  message_id: string | null;
  error: string | null;
  /** JSON CopyAuth of the received copy. */
  auth: string | null;
}

export interface AuthChecksTable {
  workspace_id: string;
  domain: string;
  status: string;
  ip: string | null;
  checked_at: number;
  /** JSON AuthReport (shared/domain/auth-check.ts). */
  report: string;
}

export interface AuthCheckHistoryTable {
  id: Generated<number>;
  workspace_id: string;
  domain: string;
  checked_at: number;
  status: string;
  /** JSON status per check. */
  checks: string;
}

export interface AuthFactsTable {
  workspace_id: string;
  domain: string;
  /** selector | dkim_domain | envelope_domain | ip */
  kind: string;
  value: string;
  /** '' when not tied to a mailbox. */
  mailbox_id: ColumnType<string, string | undefined, string>;
  source: string;
  first_seen_at: number;
  last_seen_at: number;
}

export interface HealthScoresTable {
  mailbox_id: string;
  workspace_id: string;
  /** The mailbox's local date, YYYY-MM-DD. */
  day: string;
  score: number | null;
  /** JSON HealthComponent[]. */
  components: string;
  computed_at: number;
}

export interface TemplatesTable {
  id: string;
  workspace_id: string;
  name: string;
  latest_version: number;
  created_at: number;
  updated_at: number;
}

export interface TemplateVersionsTable {
  template_id: string;
  version: number;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  /** JSON TemplateVariable[]. */
  variables: string;
  created_at: number;
}

export interface Database {
  workspaces: WorkspacesTable;
  api_tokens: ApiTokensTable;
  mailboxes: MailboxesTable;
  oauth_apps: OAuthAppsTable;
  messages: MessagesTable;
  message_contents: MessageContentsTable;
  message_tags: MessageTagsTable;
  message_recipients: MessageRecipientsTable;
  message_events: MessageEventsTable;
  suppressions: SuppressionsTable;
  message_placements: MessagePlacementsTable;
  imap_folder_state: ImapFolderStateTable;
  warmup_settings: WarmupSettingsTable;
  warmup_days: WarmupDaysTable;
  pool_recipients: PoolRecipientsTable;
  workspace_settings: WorkspaceSettingsTable;
  recipients: RecipientsTable;
  alerts: AlertsTable;
  auth_checks: AuthChecksTable;
  auth_check_history: AuthCheckHistoryTable;
  auth_facts: AuthFactsTable;
  dmarc_reports: DmarcReportsTable;
  dmarc_records: DmarcRecordsTable;
  dmarc_settings: DmarcSettingsTable;
  blocklist_settings: BlocklistSettingsTable;
  blocklist_results: BlocklistResultsTable;
  blocklist_scans: BlocklistScansTable;
  blocklist_changes: BlocklistChangesTable;
  dkim_keys: DkimKeysTable;
  placement_tests: PlacementTestsTable;
  placement_test_seeds: PlacementTestSeedsTable;
  health_scores: HealthScoresTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  templates: TemplatesTable;
  template_versions: TemplateVersionsTable;
}

export type WorkspaceRow = Selectable<WorkspacesTable>;
export type OAuthAppRow = Selectable<OAuthAppsTable>;
export type AlertRow = Selectable<AlertsTable>;
export type DmarcReportRow = Selectable<DmarcReportsTable>;
export type DmarcRecordRow = Selectable<DmarcRecordsTable>;
export type DmarcSettingsRow = Selectable<DmarcSettingsTable>;
export type BlocklistResultRow = Selectable<BlocklistResultsTable>;
export type BlocklistScanRow = Selectable<BlocklistScansTable>;
export type DkimKeyRow = Selectable<DkimKeysTable>;
export type PlacementTestRow = Selectable<PlacementTestsTable>;
export type WebhookRow = Selectable<WebhooksTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type MailboxRow = Selectable<MailboxesTable>;
export type NewMailboxRow = Insertable<MailboxesTable>;
export type MailboxUpdate = Updateable<MailboxesTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessageRow = Insertable<MessagesTable>;
export type RecipientRow = Selectable<MessageRecipientsTable>;
export type ContentRow = Selectable<MessageContentsTable>;
export type EventRow = Selectable<MessageEventsTable>;
export type SuppressionRow = Selectable<SuppressionsTable>;
export type PlacementRow = Selectable<MessagePlacementsTable>;
export type FolderStateRow = Selectable<ImapFolderStateTable>;
export type WarmupSettingsRow = Selectable<WarmupSettingsTable>;
export type WarmupDayRow = Selectable<WarmupDaysTable>;
export type PoolRecipientRow = Selectable<PoolRecipientsTable>;
