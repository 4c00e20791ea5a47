import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// What became of a message for each recipient after the SMTP handoff: delivered (seen in a watched
// mailbox), deferred (soft bounce), bounced (hard or policy DSN) or complained, with the enhanced
// status, the remote server's words and when Kiln learned it. Earlier reports are read back from
// the event log; a message is bounced exactly when every recipient was refused or bounced.

export const recipientOutcomes: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`ALTER TABLE message_recipients ADD COLUMN outcome TEXT`.execute(db);
    await sql`ALTER TABLE message_recipients ADD COLUMN outcome_status TEXT`.execute(db);
    await sql`ALTER TABLE message_recipients ADD COLUMN outcome_diagnostic TEXT`.execute(db);
    await sql`ALTER TABLE message_recipients ADD COLUMN outcome_at INTEGER`.execute(db);

    // Lowest rank first, so a stronger outcome recorded later overwrites a weaker one.
    const fromEvents = [
      ['deferred', `'soft_bounce'`],
      ['bounced', `'bounced', 'sender_rejected'`],
      ['complained', `'complained'`],
    ] as const;
    for (const [outcome, types] of fromEvents) {
      await sql
        .raw(
          `UPDATE message_recipients AS r SET outcome = '${outcome}',
             outcome_status = json_extract(e.data, '$.status'), outcome_diagnostic = json_extract(e.data, '$.diagnostic'), outcome_at = e.at
           FROM (SELECT message_id, data, at, lower(json_extract(data, '$.recipient')) AS recipient FROM message_events
                  WHERE type IN (${types}) AND json_extract(data, '$.recipient') IS NOT NULL) AS e
          WHERE e.message_id = r.message_id AND e.recipient = lower(r.address)`,
        )
        .execute(db);
    }
    await sql`UPDATE message_recipients AS r SET outcome = 'delivered', outcome_at = p.seen_at
      FROM message_placements AS p
     WHERE p.message_id = r.message_id AND p.recipient = lower(r.address) AND p.placement != 'missing' AND p.seen_at IS NOT NULL
       AND (r.outcome IS NULL OR r.outcome = 'deferred')`.execute(db);
    await sql`UPDATE messages SET status = 'bounced'
     WHERE status = 'sent'
       AND EXISTS (SELECT 1 FROM message_recipients r WHERE r.message_id = messages.id AND r.outcome = 'bounced')
       AND NOT EXISTS (SELECT 1 FROM message_recipients r WHERE r.message_id = messages.id AND r.status != 'rejected' AND r.outcome IS NOT 'bounced')`.execute(db);
    // Bounced before this rule by one recipient's report while another still got it: sent.
    await sql`UPDATE messages SET status = 'sent'
     WHERE status = 'bounced'
       AND EXISTS (SELECT 1 FROM message_recipients r WHERE r.message_id = messages.id AND r.outcome = 'bounced')
       AND EXISTS (SELECT 1 FROM message_recipients r WHERE r.message_id = messages.id AND r.status = 'accepted' AND r.outcome IS NOT 'bounced')`.execute(db);
  },
};
