// Client reports: the data (data.ts), the page (html.ts), CSV (csv.ts), the PDF through the
// printer the process injects (Electron's printToPDF on the desktop; headless: Chromium, else a
// plain PDF laid out from the data), the settings and the weekly mail.
import type { ParsedInput } from '../../../shared/api/table';
import type { Report } from '../../../shared/domain/report';
import { KilnError } from '../../../shared/errors';
import type { Logger } from '../log';
import type { MessageService } from '../messages/service';
import { reportData, type ReportDataNeeds } from './data';
import type { PrintPdf } from './print';
import { reportHtml } from './html';
import { reportCsv } from './csv';
import { reportSettingsStore } from './settings';
import { currentSlot, WeeklyReports } from './weekly';

export type { PrintPdf } from './print';

export interface ReportServiceNeeds extends ReportDataNeeds {
  log: Logger;
  messages: Pick<MessageService, 'enqueue'>;
  /** Absent: this process cannot print (PDF_UNAVAILABLE). */
  printPdf?: PrintPdf;
}

type Range = ParsedInput<'reports.get'>;

export function reportService(deps: ReportServiceNeeds) {
  const settings = reportSettingsStore(deps.db.sqlite, () => deps.clock.now());
  const build = reportData(deps);
  const get = (workspaceId: string, range: Range): Promise<Report> => build(workspaceId, range, settings.get(workspaceId));
  const base = (r: Report) => `kiln-report-${r.workspace.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workspace'}-${r.from}-${r.to}`;

  const weekly = new WeeklyReports({
    clock: deps.clock,
    log: deps.log,
    settings,
    messages: deps.messages,
    async render(workspaceId, range) {
      const r = await get(workspaceId, range);
      const h = r.headline;
      const text = `Deliverability report for ${r.workspace.name}, ${r.from} to ${r.to}: ${h.outcomes.sent} sent, ${h.outcomes.delivered} delivered, ${h.outcomes.bounced} bounced, ${h.outcomes.complained} complaints. The report is in the HTML part of this mail.`;
      return { subject: `${r.workspace.name}: deliverability report ${r.from} to ${r.to}`, html: reportHtml(r), text };
    },
  });

  return {
    get,
    async html(workspaceId: string, range: Range) {
      const r = await get(workspaceId, range);
      return { filename: `${base(r)}.html`, html: reportHtml(r) };
    },
    async pdf(workspaceId: string, range: Range) {
      if (!deps.printPdf) throw new KilnError('PDF_UNAVAILABLE', 'This Kiln process cannot print PDFs: use the HTML report');
      const r = await get(workspaceId, range);
      const pdf = await deps.printPdf({ html: reportHtml(r), report: r });
      return { filename: `${base(r)}.pdf`, pdf: pdf.toString('base64') };
    },
    async csv(workspaceId: string, range: Range) {
      return reportCsv(await get(workspaceId, range));
    },
    settings: (workspaceId: string) => settings.get(workspaceId),
    setSettings(workspaceId: string, patch: ParsedInput<'reports.settings.set'>) {
      const was = settings.get(workspaceId).weekly.enabled;
      const next = settings.set(workspaceId, patch);
      // Turning the mail on starts with the next slot, not one already past this week.
      if (!was && next.weekly.enabled) {
        settings.markSent(workspaceId, currentSlot(next.weekly, next.timeZone, deps.clock.now()));
        return settings.get(workspaceId);
      }
      return next;
    },
    weekly,
  };
}
export type ReportService = ReturnType<typeof reportService>;
