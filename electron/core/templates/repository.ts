// The templates and their immutable versions.
import type { Kysely, Selectable } from 'kysely';
import type { Database, TemplatesTable, TemplateVersionsTable } from '../db/schema';
import type { TemplateVariable } from '../../../shared/domain/template';

export type TemplateRow = Selectable<TemplatesTable>;
export type TemplateVersionRow = Selectable<TemplateVersionsTable>;
type Q = Kysely<Database>;

/** Statuses of a message that has not been sent yet (and may still be). */
export const WAITING_STATUSES = ['planned', 'queued', 'retry_scheduled', 'sending'];

export interface VersionContent {
  subject: string;
  text: string | null;
  html: string | null;
  variables: TemplateVariable[];
}

export function templateRepository(db: Q) {
  return {
    list: (workspaceId: string) => db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute(),

    get: (workspaceId: string, id: string) => db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst(),

    byName: (workspaceId: string, name: string) => db.selectFrom('templates').select('id').where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst(),

    version: (templateId: string, version: number) =>
      db.selectFrom('template_versions').selectAll().where('template_id', '=', templateId).where('version', '=', version).executeTakeFirst(),

    versions: (templateId: string) =>
      db.selectFrom('template_versions').select(['version', 'created_at']).where('template_id', '=', templateId).orderBy('version', 'desc').execute(),

    async insertVersion(trx: Q, templateId: string, version: number, c: VersionContent, at: number): Promise<void> {
      await trx
        .insertInto('template_versions')
        .values({ template_id: templateId, version, subject: c.subject, text_body: c.text, html_body: c.html, variables: JSON.stringify(c.variables), created_at: at })
        .execute();
    },

    /** How many unsent messages were rendered from this template. */
    async waitingMessages(templateId: string): Promise<number> {
      const r = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('template_id', '=', templateId)
        .where('status', 'in', WAITING_STATUSES)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
export type TemplateRepository = ReturnType<typeof templateRepository>;

export function contentOf(v: TemplateVersionRow): VersionContent {
  return { subject: v.subject, text: v.text_body, html: v.html_body, variables: JSON.parse(v.variables) as TemplateVariable[] };
}
