#!/usr/bin/env node
// `kiln` command: runs the bundled headless entry under plain Node (no Electron needed).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../out/main/headless.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('kiln: the build is missing (out/main/headless.js). Run "npm install" or "npm run build" in the Kiln folder.\n');
  process.exit(1);
}
await import(entry);
