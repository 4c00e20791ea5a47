import { describe, expect, it } from 'vitest';
import { providerOf } from '../../electron/core/providers';
import { delimiterOf, neutralise, parseRecipientsCsv, readRecipientsCsv, toCsv, unneutralise } from '../../electron/core/recipients/csv';
import { alertsOf, warmupView } from '../../electron/core/fleet/derive';
import type { FleetSourceRow } from '../../electron/core/fleet/store';
import { fleetStateOf, type FleetRow } from '../../shared/domain/fleet';
import { KilnError } from '../../shared/errors';

// The pure pieces behind recipients and the fleet: provider inference, CSV reading and writing,
// the one fleet state, and the alerts.

function errorOf(fn: () => unknown): KilnError {
  try {
    fn();
  } catch (e) {
    return e as KilnError;
  }
  throw new Error('expected a throw');
}

describe('providerOf', () => {
  it('recognises the big consumer providers by domain', () => {
    expect(providerOf('a@gmail.com')).toBe('gmail');
    expect(providerOf('a@GoogleMail.com')).toBe('gmail');
    expect(providerOf('a@outlook.com')).toBe('outlook');
    expect(providerOf('a@hotmail.co.uk')).toBe('outlook');
    expect(providerOf('a@live.fr')).toBe('outlook');
    expect(providerOf('a@msn.com')).toBe('outlook');
    expect(providerOf('a@yahoo.co.jp')).toBe('yahoo');
    expect(providerOf('a@ymail.com')).toBe('yahoo');
    expect(providerOf('a@aol.com')).toBe('yahoo');
    expect(providerOf('a@zoho.eu')).toBe('zoho');
    expect(providerOf('a@zohomail.com')).toBe('zoho');
  });

  it('reads anything else as custom, look-alike domains included', () => {
    expect(providerOf('a@example.com')).toBe('custom');
    expect(providerOf('a@gmail.com.evil.test')).toBe('custom');
    expect(providerOf('a@mail.yahoo.com')).toBe('custom');
    expect(providerOf('a@notgmail.com')).toBe('custom');
  });
});

describe('CSV formula neutralisation', () => {
  it('prefixes every cell a spreadsheet would run as a formula', () => {
    expect(neutralise('=HYPERLINK("http://evil.test","x")')).toBe(`'=HYPERLINK("http://evil.test","x")`);
    for (const c of ['+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(c)).toBe(`'${c}`);
    for (const c of ['Ada', '', "'=already", 'a=b', '1+1']) expect(neutralise(c)).toBe(c);
  });

  it('undoes exactly its own prefix on the way back in', () => {
    for (const c of ['=x', '+1', '-2', '@a', 'Ada', "'quoted", "''=x"]) expect(unneutralise(neutralise(c))).toBe(c);
  });

  it('writes a header and neutralised, quoted cells', () => {
    const csv = toCsv([['a@x.test', '=1+1', 'seed', 'custom', '2026-11-23T10:00:00.000Z'], ['b@x.test', 'Doe, Jane', 'seed', 'custom', 'z']]);
    expect(csv).toBe(`email,name,kind,provider,added\na@x.test,'=1+1,seed,custom,2026-11-23T10:00:00.000Z\nb@x.test,"Doe, Jane",seed,custom,z\n`);
  });
});

describe('parseRecipientsCsv', () => {
  it('reads the email and name columns with the line each row starts on', () => {
    const rows = parseRecipientsCsv('\uFEFFName,E-Mail\nAda,ada@x.test\n\n"Multi\nline",b@x.test\n,,\nNo Address,\n');
    expect(rows).toEqual([
      { line: 2, email: 'ada@x.test', name: 'Ada' },
      { line: 4, email: 'b@x.test', name: 'Multi\nline' },
      { line: 7, email: '', name: 'No Address' },
    ]);
  });

  it('detects ; from the header and accepts an address column without a name', () => {
    expect(delimiterOf('email;name\n')).toBe(';');
    expect(delimiterOf('email,name;x\n')).toBe(',');
    expect(parseRecipientsCsv('Address;Ignored\na@x.test;1,5\n')).toEqual([{ line: 2, email: 'a@x.test', name: null }]);
  });

  it('refuses an unclosed quote with the line it opens on', () => {
    const e = errorOf(() => parseRecipientsCsv('email,name\na@x.test,A\n\n"b@x.test,B\nc@x.test,C\n'));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/^Line 4: a quoted field is never closed/);
  });

  it('refuses a file without an email column, or without anything', () => {
    const e = errorOf(() => parseRecipientsCsv('name,phone\nAda,1\n'));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toBe('Line 1: the header has no email column (found: name, phone)');
    expect(errorOf(() => parseRecipientsCsv('\n\n')).code).toBe('VALIDATION_FAILED');
  });
});

const source = (over: Partial<FleetSourceRow>): FleetSourceRow => ({
  id: 'mbx_1',
  email: 'a@x.test',
  display_name: null,
  provider: 'custom',
  status: 'active',
  last_error: null,
  readable: 1,
  time_zone: 'UTC',
  enabled: 1,
  ramp_tz: 'UTC',
  progress: 3,
  state: 'warming',
  state_code: null,
  state_reason: null,
  state_until: null,
  paused_at: null,
  ...over,
});

describe('readRecipientsCsv: name columns', () => {
  it('builds the name from first_name and last_name, and lists the columns it ignores', () => {
    const { rows, columns } = readRecipientsCsv('email,first_name,last_name,company,phone\nana@x.test,Ana,Lima,Acme,123\nbo@x.test,Bo,,Acme,\ncy@x.test,,Cruz,,\nno@x.test,,,,\n');
    expect(rows.map((r) => r.name)).toEqual(['Ana Lima', 'Bo', 'Cruz', null]);
    expect(columns).toEqual({ email: 'email', name: ['first_name', 'last_name'], ignored: ['company', 'phone'] });
  });

  it('reads the usual spellings of first and last names, in any case and with spaces or dashes', () => {
    for (const [first, last] of [['FirstName', 'LastName'], ['given_name', 'family_name'], ['Given Name', 'Surname'], ['first-name', 'last-name'], ['Forename', 'Family Name']]) {
      const { rows, columns } = readRecipientsCsv(`Email Address;${first};${last}\nana@x.test;Ana;Lima\n`);
      expect(rows[0]!.name, `${first} / ${last}`).toBe('Ana Lima');
      expect(columns.ignored).toEqual([]);
    }
  });

  it('prefers a full-name column, falling back to first and last names on rows without one', () => {
    const { rows, columns } = readRecipientsCsv('full_name,first_name,last_name,email\nDr. Ana Lima,Ana,Lima,ana@x.test\n,Bo,Berg,bo@x.test\n');
    expect(rows.map((r) => r.name)).toEqual(['Dr. Ana Lima', 'Bo Berg']);
    expect(columns).toEqual({ email: 'email', name: ['full_name', 'first_name', 'last_name'], ignored: [] });
  });

  it("lists Kiln's own export columns it does not read back, and no unnamed column", () => {
    expect(readRecipientsCsv('email,name,kind,provider,added,\na@x.test,A,seed,custom,z,\n').columns).toEqual({ email: 'email', name: ['name'], ignored: ['kind', 'provider', 'added'] });
  });
});

describe('fleetStateOf', () => {
  const w = (state: 'warming' | 'holding' | 'throttled' | 'paused', enabled = true) => ({ enabled, state });
  it('puts an error first, then pauses, then off, then the loop state', () => {
    expect(fleetStateOf('error', w('paused'))).toBe('error');
    expect(fleetStateOf('paused', w('warming'))).toBe('paused');
    expect(fleetStateOf('active', w('paused'))).toBe('paused');
    expect(fleetStateOf('active', w('throttled', false))).toBe('off');
    expect(fleetStateOf('active', w('throttled'))).toBe('throttled');
    expect(fleetStateOf('active', w('holding'))).toBe('holding');
    expect(fleetStateOf('active', w('warming'))).toBe('warming');
  });
});

describe('fleet derivation', () => {
  it('shows a pause or resume before the loop has recorded it', () => {
    const paused = warmupView(source({ paused_at: Date.UTC(2026, 10, 23, 9, 30) }));
    expect(paused).toMatchObject({ state: 'paused', reasonCode: 'MANUAL_PAUSE', reason: 'Warmup was paused by hand on 2026-11-23 09:30 UTC.' });
    const resumed = warmupView(source({ state: 'paused', state_code: 'MANUAL_PAUSE', state_reason: 'x' }));
    expect(resumed).toMatchObject({ state: 'warming', reasonCode: null, reason: null });
    // The loop's own pause stays until the loop lifts it.
    expect(warmupView(source({ state: 'paused', state_code: 'BOUNCE_RATE' })).state).toBe('paused');
    expect(warmupView(source({ enabled: null, state: null, progress: null }))).toMatchObject({ enabled: false, state: 'warming', progress: 0 });
  });

  it('lists alerts most severe first, and none for a pause by hand', () => {
    const row = (id: string, over: Partial<FleetRow>): FleetRow =>
      ({ id, email: `${id}@x.test`, status: 'active', lastError: null, warmup: { enabled: true, state: 'warming', reason: null, reasonCode: null, until: null, progress: 0 }, ...over }) as FleetRow;
    const warm = (state: FleetRow['warmup']['state'], reasonCode: string | null) => ({ enabled: true, state, reason: `${state}!`, reasonCode, until: null, progress: 0 });
    const alerts = alertsOf([
      row('hold', { warmup: warm('holding', 'RAMP_FROZEN') }),
      row('thr', { warmup: warm('throttled', 'SPAM_PLACEMENT') }),
      row('hand', { warmup: warm('paused', 'MANUAL_PAUSE') }),
      row('off', { warmup: { ...warm('throttled', 'SPAM_PLACEMENT'), enabled: false } }),
      row('err', { status: 'error', lastError: { protocol: 'smtp', stage: 'auth', code: 'AUTH_FAILED', message: '535 bad credentials', at: '2026-11-23T09:00:00.000Z' } }),
      row('bounce', { warmup: warm('paused', 'BOUNCE_RATE') }),
    ]);
    expect(alerts.map((a) => [a.mailboxId, a.severity, a.code])).toEqual([
      ['err', 'critical', 'AUTH_FAILED'],
      ['bounce', 'critical', 'BOUNCE_RATE'],
      ['thr', 'warning', 'SPAM_PLACEMENT'],
      ['hold', 'info', 'RAMP_FROZEN'],
    ]);
    expect(alerts[0]).toMatchObject({ reason: 'SMTP auth failed: 535 bad credentials', since: '2026-11-23T09:00:00.000Z' });
  });
});
