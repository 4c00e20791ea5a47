#!/usr/bin/env node
// `npm start`: the desktop app where there is a display and an Electron binary, otherwise the
// headless server (`kiln serve`) with the web UI. Arguments (`npm start -- --port 8080 --data DIR`)
// are `kiln serve` options, so they start the server even where the desktop app would open;
// KILN_PORT, KILN_DATA and the other KILN_* variables reach it through the environment.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

function electronBinary() {
  const pathFile = `${root}node_modules/electron/path.txt`;
  if (!existsSync(pathFile)) return null;
  const bin = `${root}node_modules/electron/dist/${readFileSync(pathFile, 'utf8').trim()}`;
  return existsSync(bin) ? bin : null;
}

const serveArgs = process.argv.slice(2);
const electron = hasDisplay && process.env.KILN_HEADLESS !== '1' && serveArgs.length === 0 ? electronBinary() : null;
if (electron) {
  const child = spawn(electron, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (hasDisplay && serveArgs.length === 0 && process.env.KILN_HEADLESS !== '1') {
    process.stderr.write('kiln: no Electron binary installed; starting the headless server and web UI instead\n');
  }
  process.argv = [process.argv[0], process.argv[1], 'serve', ...serveArgs];
  await import('./kiln.js');
}
