// Templates: the list, the one open (any of its versions), saving a draft as a new template or a
// new version, delete, and the preview of a version with sample values.
import { create } from 'zustand';
import type { Output } from '../../../../shared/api/table';
import type { RenderedTemplate, Template, TemplateVariable } from '../../../../shared/domain/template';
import { client } from '../../api/index';
import { failed, idle, loading, ready, toAppError, type AppError, type Remote } from '../../stores/errors';

type List = Output<'templates.list'>;

export interface Draft {
  name: string;
  subject: string;
  text: string;
  html: string;
  variables: TemplateVariable[];
}

export const emptyDraft = (): Draft => ({ name: '', subject: '', text: '', html: '', variables: [] });

export function draftOf(t: Template): Draft {
  return { name: t.name, subject: t.current.subject, text: t.current.text ?? '', html: t.current.html ?? '', variables: t.current.variables };
}

export interface TemplatesStore {
  list: Remote<List>;
  open: Remote<Template>;
  preview: Remote<RenderedTemplate>;
  actionError: AppError | null;
  load(): Promise<void>;
  show(id: string, version?: number): Promise<void>;
  close(): void;
  /** Create (no id) or save a new version; the saved template is opened. */
  save(id: string | null, d: Draft): Promise<Template | null>;
  remove(id: string): Promise<boolean>;
  runPreview(id: string, version: number, variables: Record<string, string>): Promise<void>;
}

let generation = 0;

export const useTemplates = create<TemplatesStore>()((set, get) => ({
  list: idle(),
  open: idle(),
  preview: idle(),
  actionError: null,

  async load() {
    set({ list: loading(get().list) });
    try {
      set({ list: ready(await client.call('templates.list', {})) });
    } catch (err) {
      set({ list: failed(get().list, err) });
    }
  },

  async show(id, version) {
    const mine = ++generation;
    set({ open: loading(get().open), preview: idle(), actionError: null });
    try {
      const t = await client.call('templates.get', { id, version });
      if (mine === generation) set({ open: ready(t) });
    } catch (err) {
      if (mine === generation) set({ open: failed(get().open, err) });
    }
  },

  close() {
    ++generation;
    set({ open: idle(), preview: idle(), actionError: null });
  },

  async save(id, d) {
    set({ actionError: null });
    // An empty text box means "no text part of its own": Kiln makes it from the HTML.
    const text = d.text.trim() === '' ? undefined : d.text;
    const html = d.html.trim() === '' ? undefined : d.html;
    try {
      const t = id
        ? await client.call('templates.update', { id, name: d.name, subject: d.subject, text: text ?? null, html: html ?? null, variables: d.variables })
        : await client.call('templates.create', { name: d.name, subject: d.subject, text, html, variables: d.variables });
      ++generation;
      set({ open: ready(t), preview: idle() });
      void get().load();
      return t;
    } catch (err) {
      set({ actionError: toAppError(err) });
      return null;
    }
  },

  async remove(id) {
    set({ actionError: null });
    try {
      await client.call('templates.delete', { id });
      get().close();
      void get().load();
      return true;
    } catch (err) {
      set({ actionError: toAppError(err) });
      return false;
    }
  },

  async runPreview(id, version, variables) {
    set({ preview: loading(get().preview) });
    // Blank boxes fall back to the declared samples.
    const given = Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== ''));
    try {
      set({ preview: ready(await client.call('templates.preview', { id, version, variables: given })) });
    } catch (err) {
      set({ preview: failed(get().preview, err) });
    }
  },
}));
