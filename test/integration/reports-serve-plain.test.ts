// The built `kiln serve`, as a real process on a machine without Chromium (KILN_CHROMIUM names a
// missing file): GET /reports/pdf answers a plain PDF (pdfkit, loaded from the bundle on first
// use) that pdftotext reads back, instead of PDF_UNAVAILABLE.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createToken, startKiln, tempDataDir, type KilnProcess } from '../helpers/kiln';

let kiln: KilnProcess;
let token: string;

beforeAll(async () => {
  const dataDir = tempDataDir('kiln-reports-plain');
  kiln = await startKiln({ dataDir, env: { KILN_CHROMIUM: '/nonexistent/chromium' } });
  token = await createToken(dataDir);
}, 60_000);
afterAll(async () => {
  await kiln?.stop();
});

describe('kiln serve without Chromium', () => {
  it('GET /reports/pdf answers a plain PDF of the report', async () => {
    const api = apiClient(kiln.url, token);
    const res = await api.get('/api/v1/reports/pdf?from=2026-11-09&to=2026-11-15');
    expect(res.status).toBe(200);
    const file = path.join('/tmp', `kiln-serve-plain-${process.pid}.pdf`);
    fs.writeFileSync(file, Buffer.from(res.body.data.pdf, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Deliverability report:');
    expect(text).toContain('2026-11-09 to 2026-11-15');
    expect(text).toContain('Charts need Chromium');
    expect(text).toMatch(/Mailboxes\s+0\n/);
  });
});
