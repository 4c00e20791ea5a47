// What a process injects to print a report: it gets the page (Chromium and Electron print it) and
// the typed report the page was built from (a printer without a browser lays the same figures out
// from the data instead of parsing HTML).
import type { Report } from '../../../shared/domain/report';

export interface PrintablePage {
  html: string;
  report: Report;
}

export type PrintPdf = (page: PrintablePage) => Promise<Buffer>;
