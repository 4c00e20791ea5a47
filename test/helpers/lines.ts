import type net from 'node:net';

/** Calls onLine for each CRLF/LF-terminated line a scripted test server receives. */
export function onLines(socket: net.Socket, onLine: (line: string) => void): void {
  let buf = '';
  socket.on('data', (chunk) => {
    buf += chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      onLine(line);
    }
  });
}
