// Drawing primitives for the plain report PDF (pdfkit, its built-in Helvetica): headings,
// paragraphs, tables that break across pages with their head repeated, and simple bars.
import type PDFDocument from 'pdfkit';
import type { VerdictState } from '../../../shared/domain/verdict';

type Doc = InstanceType<typeof PDFDocument>;

/** A table cell: plain text, or text drawn in the colour of a verdict state. */
export type Cell = string | { text: string; state: VerdictState };

const STATE_COLOR: Record<VerdictState, string> = { good: '#15803d', warning: '#b45309', bad: '#b91c1c', unknown: '#6b7280', na: '#6b7280' };
const INK = '#111827';
const MUTED = '#6b7280';
const RULE = '#d1d5db';

// The standard fonts only encode WinAnsi: anything else would print as garbage, so it shows as '?'.
export const plain = (s: string): string => s.replace(/→/g, '->').replace(/[^\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, '?');

export class Layout {
  constructor(readonly doc: Doc) {}

  get left() {
    return this.doc.page.margins.left;
  }
  get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  private get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `h` points still fit on this one. */
  need(h: number) {
    if (this.doc.y + h > this.bottom) this.doc.addPage();
  }

  /** A section title, on a new page unless `keep` points of what follows fit under it. */
  heading(text: string, keep = 60) {
    this.need(keep + 24);
    this.doc.moveDown(0.6).font('Helvetica-Bold').fontSize(13).fillColor(INK).text(plain(text), this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  para(text: string, opts: { muted?: boolean; size?: number; bold?: boolean } = {}) {
    this.doc
      .font(opts.bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(opts.size ?? 9.5)
      .fillColor(opts.muted ? MUTED : INK)
      .text(plain(text), this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  /** Columns get `widths` shares of the page width; an empty table says `empty` instead. */
  table(head: string[], rows: Cell[][], widths: number[], empty: string) {
    if (rows.length === 0) return this.para(empty, { muted: true });
    const total = widths.reduce((a, b) => a + b, 0);
    const cols = widths.map((w) => (w / total) * this.width);
    const pad = 3;
    const size = 8.5;
    // Smaller heads: long part labels ("Authentication") fit a narrow column without a mid-word break.
    const headSize = 7.5;
    const heightOf = (cells: Cell[], bold: boolean) => {
      this.doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? headSize : size);
      return Math.max(...cells.map((c, i) => this.doc.heightOfString(plain(typeof c === 'string' ? c : c.text), { width: cols[i]! - 2 * pad }))) + 2 * pad;
    };
    const drawRow = (cells: Cell[], bold: boolean) => {
      const h = heightOf(cells, bold);
      const y = this.doc.y;
      let x = this.left;
      cells.forEach((c, i) => {
        const text = typeof c === 'string' ? c : c.text;
        const color = typeof c === 'string' ? (text === 'unknown' ? STATE_COLOR.unknown : INK) : STATE_COLOR[c.state];
        this.doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? headSize : size).fillColor(color).text(plain(text), x + pad, y + pad, { width: cols[i]! - 2 * pad });
        x += cols[i]!;
      });
      this.doc.moveTo(this.left, y + h).lineTo(this.left + this.width, y + h).lineWidth(0.5).strokeColor(RULE).stroke();
      this.doc.y = y + h;
      this.doc.x = this.left;
    };
    this.need(heightOf(head, true) + heightOf(rows[0]!, false));
    drawRow(head, true);
    for (const r of rows) {
      if (this.doc.y + heightOf(r, false) > this.bottom) {
        this.doc.addPage();
        drawRow(head, true);
      }
      drawRow(r, false);
    }
    this.doc.moveDown(0.4);
  }

  /** One bar per label, `values` against a `target` tick, both on one scale, with a legend. */
  bars(labels: string[], values: number[], targets: number[], legend: { value: string; target: string }) {
    const h = 110;
    this.need(h + 30);
    const top = this.doc.y;
    // An even top keeps the middle gridline on a whole number.
    const max = Math.max(2, Math.ceil(Math.max(...values, ...targets) / 2) * 2);
    const axis = 24;
    const slot = (this.width - axis) / labels.length;
    const base = top + h;
    this.doc.font('Helvetica').fontSize(7).fillColor(MUTED);
    for (const v of [0, max / 2, max]) {
      const y = base - (v / max) * h;
      this.doc.moveTo(this.left + axis, y).lineTo(this.left + this.width, y).lineWidth(0.4).strokeColor(RULE).stroke();
      this.doc.text(String(Math.round(v)), this.left, y - 3, { width: axis - 4, align: 'right', lineBreak: false });
    }
    labels.forEach((l, i) => {
      const x = this.left + axis + i * slot;
      const bh = (values[i]! / max) * h;
      this.doc.rect(x + slot * 0.2, base - bh, slot * 0.6, bh).fill('#2563eb');
      const ty = base - (targets[i]! / max) * h;
      this.doc.moveTo(x + slot * 0.1, ty).lineTo(x + slot * 0.9, ty).lineWidth(1.5).strokeColor('#ea580c').stroke();
      this.doc.fillColor(MUTED).text(l, x, base + 3, { width: slot, align: 'center', lineBreak: false });
    });
    const ly = base + 14;
    this.doc.rect(this.left + axis, ly, 8, 8).fill('#2563eb');
    this.doc.fillColor(INK).fontSize(8).text(plain(legend.value), this.left + axis + 12, ly, { lineBreak: false });
    this.doc.rect(this.left + axis + 130, ly + 3, 10, 2).fill('#ea580c');
    this.doc.fillColor(INK).text(plain(legend.target), this.left + axis + 144, ly, { lineBreak: false });
    this.doc.x = this.left;
    this.doc.y = ly + 16;
  }
}
