// Templates: create, edit (every content change is a new immutable version), delete, preview, and
// the render messages.send uses.
import type { ParsedInput } from '../../../shared/api/table';
import type { RenderedTemplate, Template, TemplateValues } from '../../../shared/domain/template';
import { KilnError } from '../../../shared/errors';
import type { Clock } from '../clock';
import type { Db } from '../db/connection';
import { newId } from '../util/ids';
import { iso } from '../util/time';
import { checkSource, checkValues, renderTemplate, type Rendered } from './render';
import { contentOf, templateRepository, type TemplateRow, type VersionContent } from './repository';

function isUniqueViolation(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null ? (e as { code?: string }).code : undefined;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Two saves raced (same name, or the same next version number): the later one is told, not a 500. */
async function orConflict<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isUniqueViolation(e)) throw new KilnError('CONFLICT', `${what} was saved by someone else at the same time; reload and try again`);
    throw e;
  }
}

export interface TemplateServiceNeeds {
  db: Db;
  clock: Clock;
}

/** What a send rendered and which version it used. */
export interface RenderedForSend extends Rendered {
  templateId: string;
  version: number;
}

export function templateService(deps: TemplateServiceNeeds) {
  const db = deps.db.kysely;
  const repo = templateRepository(db);
  const { clock } = deps;

  async function mustGet(workspaceId: string, id: string): Promise<TemplateRow> {
    const row = await repo.get(workspaceId, id);
    if (!row) throw new KilnError('NOT_FOUND', `No template ${id} in this workspace`);
    return row;
  }

  async function mustVersion(row: TemplateRow, version: number | undefined, field: string) {
    const v = await repo.version(row.id, version ?? row.latest_version);
    if (!v) throw new KilnError('VALIDATION_FAILED', `Template ${row.id} has no version ${version}`, { fields: [{ path: field, message: `No such version (latest is ${row.latest_version})` }] });
    return v;
  }

  async function view(row: TemplateRow, version?: number): Promise<Template> {
    const [v, versions] = await Promise.all([mustVersion(row, version, 'version'), repo.versions(row.id)]);
    const c = contentOf(v);
    return {
      id: row.id,
      name: row.name,
      version: row.latest_version,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      current: { version: v.version, subject: c.subject, text: c.text, html: c.html, variables: c.variables, createdAt: iso(v.created_at) },
      versions: versions.map((x) => ({ version: x.version, createdAt: iso(x.created_at) })),
    };
  }

  async function nameFree(workspaceId: string, name: string, except?: string) {
    const other = await repo.byName(workspaceId, name);
    if (other && other.id !== except) throw new KilnError('CONFLICT', `A template named "${name}" already exists`, { fields: [{ path: 'name', message: 'Already used' }] });
  }

  async function render(workspaceId: string, id: string, version: number | undefined, values: TemplateValues, samples: boolean, field: string): Promise<RenderedForSend> {
    const row = await mustGet(workspaceId, id);
    const v = await mustVersion(row, version, field);
    const c = contentOf(v);
    const checked = checkValues(c.variables, values, samples ? (d) => d.sample : undefined);
    return { templateId: row.id, version: v.version, ...renderTemplate(c, checked) };
  }

  return {
    async list(workspaceId: string) {
      const rows = await repo.list(workspaceId);
      return { items: rows.map((r) => ({ id: r.id, name: r.name, version: r.latest_version, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) })) };
    },

    get: async (workspaceId: string, id: string, version?: number) => view(await mustGet(workspaceId, id), version),

    async create(workspaceId: string, input: ParsedInput<'templates.create'>): Promise<Template> {
      const content: VersionContent = { subject: input.subject, text: input.text ?? null, html: input.html ?? null, variables: input.variables };
      checkSource(content);
      await nameFree(workspaceId, input.name);
      const now = clock.now();
      const row = { id: newId('tpl'), workspace_id: workspaceId, name: input.name, latest_version: 1, created_at: now, updated_at: now };
      await orConflict(
        () =>
          db.transaction().execute(async (trx) => {
            await trx.insertInto('templates').values(row).execute();
            await repo.insertVersion(trx, row.id, 1, content, now);
          }),
        `A template named "${input.name}"`,
      );
      return view(row);
    },

    async update(workspaceId: string, input: ParsedInput<'templates.update'>): Promise<Template> {
      const row = await mustGet(workspaceId, input.id);
      const prev = contentOf((await repo.version(row.id, row.latest_version))!);
      const next: VersionContent = {
        subject: input.subject ?? prev.subject,
        text: input.text === undefined ? prev.text : input.text,
        html: input.html === undefined ? prev.html : input.html,
        variables: input.variables ?? prev.variables,
      };
      const changed = JSON.stringify(next) !== JSON.stringify(prev);
      if (changed) {
        if (next.text === null && next.html === null) throw new KilnError('VALIDATION_FAILED', 'A template needs text or html', { fields: [{ path: 'text', message: 'Text or html is required' }] });
        checkSource(next);
      }
      if (input.name !== undefined && input.name !== row.name) await nameFree(workspaceId, input.name, row.id);
      const now = clock.now();
      const updated = { ...row, name: input.name ?? row.name, latest_version: changed ? row.latest_version + 1 : row.latest_version, updated_at: now };
      await orConflict(
        () =>
          db.transaction().execute(async (trx) => {
            // The version number only moves forward from the row's own: a concurrent edit loses on the primary key.
            if (changed) await repo.insertVersion(trx, row.id, updated.latest_version, next, now);
            await trx.updateTable('templates').set({ name: updated.name, latest_version: updated.latest_version, updated_at: now }).where('id', '=', row.id).execute();
          }),
        `Template ${row.id}`,
      );
      return view(updated);
    },

    /** Refused while an unsent message was rendered from it, so what is waiting keeps its record. */
    async delete(workspaceId: string, id: string) {
      const row = await mustGet(workspaceId, id);
      const waiting = await repo.waitingMessages(row.id);
      if (waiting > 0) throw new KilnError('CONFLICT', `${waiting} unsent message(s) use template ${row.id}; delete it once they are sent or failed`, { waiting });
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('template_versions').where('template_id', '=', row.id).execute();
        await trx.deleteFrom('templates').where('id', '=', row.id).execute();
      });
      return { id: row.id, deleted: true as const };
    },

    async preview(workspaceId: string, input: ParsedInput<'templates.preview'>): Promise<RenderedTemplate> {
      const r = await render(workspaceId, input.id, input.version, input.variables ?? {}, true, 'version');
      return { templateId: r.templateId, version: r.version, subject: r.subject, text: r.text, html: r.html, textGenerated: r.textGenerated };
    },

    /** The content a send stores: only the declared variables, every required one given. */
    renderForSend: (workspaceId: string, id: string, version: number | undefined, values: TemplateValues) => render(workspaceId, id, version, values, false, 'templateVersion'),
  };
}
export type TemplateService = ReturnType<typeof templateService>;
