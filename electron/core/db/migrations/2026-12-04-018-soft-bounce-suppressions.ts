import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// Suppressions made by repeated soft bounces were stored as 'hard_bounce' with the detail
// "N soft bounces within D days"; they get their own reason, 'soft_bounces'.

export const softBounceSuppressions: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`UPDATE suppressions SET reason = 'soft_bounces'
               WHERE reason = 'hard_bounce' AND detail GLOB '[0-9]* soft bounce* within [0-9]* day*'`.execute(db);
  },
};
