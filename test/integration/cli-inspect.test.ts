import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../electron/core/feedback/classify';
import { kilnCli } from '../helpers/kiln';

// `kiln inspect` as built (out/main/headless.js under plain Node): one JSON object on stdout, the same answer as the
// classifier the watcher uses, and no data folder touched.

const fixtures = path.resolve(import.meta.dirname, '../fixtures/mail');
const fixture = (name: string): string => path.join(fixtures, name);

/** An environment whose data folder and home do not exist yet, so any attempt to create one shows. */
function isolatedEnv(): { env: NodeJS.ProcessEnv; dataDir: string; home: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-inspect-'));
  const dataDir = path.join(root, 'data');
  const home = path.join(root, 'home');
  return { env: { KILN_DATA: dataDir, HOME: home, XDG_DATA_HOME: path.join(home, '.local/share') }, dataDir, home };
}

describe('kiln inspect', () => {
  it.each([
    ['postfix-dsn-5.1.1.eml', { kind: 'bounce', bounce: { type: 'hard', status: '5.1.1', recipient: 'nobody@warm.test', source: 'dsn' }, originalMessageId: '<a1f3c9e2-5b7d-4e8a-9c61-0d2e4f6a8b10@warm.test>' }],
    ['arf-abuse.eml', { kind: 'complaint', complaint: { feedbackType: 'abuse', recipient: 'liam@example.net' }, originalMessageId: '<4e8c2a61-f3b7-4d09-9a25-71c6e0d8b3f4@warm.test>' }],
    ['exchange-automatic-reply.eml', { kind: 'auto-reply' }],
  ])('prints one JSON object for %s, the same as the core classifier, exit 0', async (file, expected) => {
    const { env, dataDir, home } = isolatedEnv();
    const r = await kilnCli(['inspect', fixture(file)], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    const printed: unknown = JSON.parse(r.stdout); // throws if there is anything but one JSON value
    expect(printed).toMatchObject(expected);
    expect(printed).toEqual(await classifyMessage(fs.readFileSync(fixture(file))));
    // A pure inspection tool: no data folder, no database, nothing under HOME.
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(home)).toBe(false);
  });

  it('reads the message from stdin with -', async () => {
    const r = await kilnCli(['inspect', '-'], { input: fs.readFileSync(fixture('qmail-5.1.1.eml'), 'latin1') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'bounce', bounce: { type: 'hard', status: '5.1.1', recipient: 'henry@example.net', source: 'heuristic' } });
  });

  it('a missing or unreadable file: clear message on stderr, nothing on stdout, exit 2', async () => {
    const { env } = isolatedEnv();
    const missing = path.join(os.tmpdir(), 'kiln-no-such-message.eml');
    const r = await kilnCli(['inspect', missing], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`cannot read ${missing}: no such file`);

    const dir = await kilnCli(['inspect', fixtures], { env });
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain('is a directory');
  });

  it('larger than --max-bytes: reported as other, with a note on stderr', async () => {
    const r = await kilnCli(['inspect', '--max-bytes', '100', fixture('postfix-dsn-5.1.1.eml')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'other' });
    expect(r.stderr).toContain('larger than 100 bytes');
  });
});
