// The headless printer's edges: which Chromium it picks, and a Chromium that hangs is killed and
// answered with PDF_UNAVAILABLE (a stand-in binary: a shell script that never prints).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumPrinter, findChromium } from '../../electron/headless/print-pdf';
import { isKilnError } from '../../shared/errors';
import type { Report } from '../../shared/domain/report';

// Chromium prints the page only; the report data is for the plain printer.
const page = { html: '<p>hi</p>', report: {} as Report };

describe('headless PDF printer', () => {
  it('uses KILN_CHROMIUM when it exists, and none when it does not', () => {
    expect(findChromium({ KILN_CHROMIUM: '/bin/sh' })).toBe('/bin/sh');
    expect(findChromium({ KILN_CHROMIUM: '/nonexistent/chromium' })).toBeNull();
  });

  it('kills a Chromium that does not finish and answers PDF_UNAVAILABLE, leaving no temp files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-fake-chromium-'));
    const bin = path.join(dir, 'chromium');
    const pidFile = path.join(dir, 'pid');
    fs.writeFileSync(bin, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 60\n`, { mode: 0o755 });
    const work = path.join(dir, 'work');
    fs.mkdirSync(work);
    const err = await chromiumPrinter(bin, 300, work)(page).catch((e: unknown) => e);
    expect(isKilnError(err) && err.code).toBe('PDF_UNAVAILABLE');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
    expect(fs.readdirSync(work)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a Chromium that exits without a PDF is PDF_UNAVAILABLE with its last words', async () => {
    const err = await chromiumPrinter('/bin/false', 10_000)(page).catch((e: unknown) => e);
    expect(isKilnError(err) && err.code).toBe('PDF_UNAVAILABLE');
  });
});
