// The DNS-rebinding guard of `kiln serve` as a client meets it over raw sockets: names given with
// --allowed-host pass, a request with no Host at all does not, IPv6 literals are read by their
// brackets, and a 0.0.0.0 bind never makes "0.0.0.0" an accepted name. Every connection goes to 127.0.0.1.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiln, type KilnProcess } from '../helpers/kiln';

let proxied: KilnProcess;
let wildcard: KilnProcess;

beforeAll(async () => {
  [proxied, wildcard] = await Promise.all([
    startKiln({ args: ['--no-feedback', '--allowed-host', 'kiln.proxy.test', 'ops.proxy.test'] }),
    startKiln({ args: ['--no-feedback', '--host', '0.0.0.0'] }),
  ]);
});
afterAll(async () => {
  await Promise.all([proxied?.stop(), wildcard?.stop()]);
});

/** One raw request to 127.0.0.1:port: exactly the head given (no Host unless listed); resolves with the status. */
function rawStatus(port: number, head: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write([...head, 'Connection: close', '', ''].join('\r\n')));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (text += d));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}
const get = (port: number, host: string) => rawStatus(port, ['GET /health HTTP/1.1', `Host: ${host}`]);
const refusedAsHost = (r: { status: number; body: string }) => r.status === 421 && r.body.includes('HOST_NOT_ALLOWED');

describe('Host check (DNS rebinding guard)', () => {
  it('accepts the names given with --allowed-host, in any case, and still refuses others', async () => {
    const port = proxied.port;
    expect((await get(port, `kiln.proxy.test:${port}`)).status).toBe(200);
    expect((await get(port, 'KILN.Proxy.Test')).status).toBe(200);
    expect((await get(port, 'ops.proxy.test:443')).status).toBe(200);
    expect(refusedAsHost(await get(port, `evil.proxy.test:${port}`))).toBe(true);
    expect(refusedAsHost(await get(port, `proxy.test:${port}`))).toBe(true);
  });

  it('refuses a request without a Host header', async () => {
    // HTTP/1.0 may omit Host, so the request reaches the guard, which must refuse it.
    expect(refusedAsHost(await rawStatus(proxied.port, ['GET /health HTTP/1.0']))).toBe(true);
    // HTTP/1.1 without Host is malformed: refused before any route either way.
    const r = await rawStatus(proxied.port, ['GET /health HTTP/1.1']);
    expect(r.status).toBeGreaterThanOrEqual(400);
  });

  it('reads IPv6 literals by their brackets: [::1] is this machine, any other address is not', async () => {
    const port = proxied.port;
    expect((await get(port, `[::1]:${port}`)).status).toBe(200);
    expect((await get(port, '[::1]')).status).toBe(200);
    expect(refusedAsHost(await get(port, `[::2]:${port}`))).toBe(true);
    expect(refusedAsHost(await get(port, `[2001:db8::1]:${port}`))).toBe(true);
  });

  it('bound to 0.0.0.0: loopback names pass, "0.0.0.0" and foreign names do not', async () => {
    const port = wildcard.port;
    expect((await get(port, `127.0.0.1:${port}`)).status).toBe(200);
    expect((await get(port, `localhost:${port}`)).status).toBe(200);
    expect(refusedAsHost(await get(port, `0.0.0.0:${port}`))).toBe(true);
    expect(refusedAsHost(await get(port, `attacker.example:${port}`))).toBe(true);
    // --allowed-host was not given to this one.
    expect(refusedAsHost(await get(port, `kiln.proxy.test:${port}`))).toBe(true);
  });
});
