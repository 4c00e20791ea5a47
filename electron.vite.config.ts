// Build of all three Electron bundles, checked against electron-vite 6's own config presets
// (node_modules/electron-vite/dist): main/preload are SSR builds that bundle everything except
// `electron`, Node built-ins and what `build.externalizeDeps` names (default: package.json
// `dependencies`, NOT optionalDependencies: hence keytar in `include` below).
//
// out/main/index.js      Electron main (ESM)               electron/main/index.ts
// out/main/headless.js   `node out/main/headless.js` (ESM) electron/headless/index.ts, never imports electron
// out/main/chunks/*.js   code shared by those two entries (the core)
// out/preload/index.cjs  preload, CommonJS so it can run sandboxed
// out/renderer/          the React UI (also served by the headless server as the web UI)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { metaContentSecurityPolicy } from './shared/csp';

const root = fileURLToPath(new URL('.', import.meta.url));
const at = (p: string): string => resolve(root, p);
/** package.json's version, baked into the main bundles (electron/core/version.ts). */
const packageVersion = (JSON.parse(readFileSync(at('package.json'), 'utf8')) as { version: string }).version;

/** Native or optional packages that must stay in node_modules even if not in `dependencies`. */
const alwaysExternal = ['keytar', 'better-sqlite3'];

/**
 * Fail the build if the headless entry (run by plain Node) can reach `electron` through any
 * static or dynamic import: `require('electron')` outside Electron tries to download a binary.
 */
function headlessMustNotImportElectron(): Plugin {
  return {
    name: 'kiln:headless-without-electron',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && c.name === 'headless');
      if (!entry || entry.type !== 'chunk') return;
      const seen = new Set<string>();
      const queue = [entry.fileName];
      while (queue.length > 0) {
        const file = queue.pop() as string;
        if (seen.has(file)) continue;
        seen.add(file);
        const chunk = bundle[file];
        if (!chunk || chunk.type !== 'chunk') continue;
        for (const dep of [...chunk.imports, ...chunk.dynamicImports]) {
          if (dep === 'electron' || dep.startsWith('electron/')) {
            this.error(`out/main/headless.js would import "${dep}" (via ${file}): electron/headless must run under plain Node`);
          }
          queue.push(dep);
        }
      }
    },
  };
}

/**
 * The renderer's CSP as a <meta> tag, where index.html has `<!-- kiln:csp -->` (before any script):
 * that is the policy which applies to a file:// page (see shared/csp.ts).
 */
function cspMeta(): Plugin {
  const marker = '<!-- kiln:csp -->';
  return {
    name: 'kiln:csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(marker)) throw new Error(`renderer/index.html must contain ${marker}`);
        return html.replace(marker, `<meta http-equiv="Content-Security-Policy" content="${metaContentSecurityPolicy}" />`);
      },
    },
  };
}

export default defineConfig({
  main: {
    define: { __KILN_VERSION__: JSON.stringify(packageVersion) },
    build: {
      outDir: at('out/main'),
      // headless.js runs on the Node 20 the project supports, not only Electron's newer Node.
      target: 'node20.19',
      sourcemap: true,
      externalizeDeps: { include: alwaysExternal },
      rolldownOptions: {
        input: {
          index: at('electron/main/index.ts'),
          headless: at('electron/headless/index.ts'),
        },
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
    plugins: [headlessMustNotImportElectron()],
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      sourcemap: true,
      // A sandboxed preload can require only 'electron' (and a few polyfilled built-ins): bundle
      // everything else into the one file, and emit CommonJS (an ES module preload cannot be sandboxed).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('electron/preload/index.ts') },
        output: {
          format: 'cjs',
          entryFileNames: '[name].cjs',
          codeSplitting: false,
        },
      },
    },
  },
  renderer: {
    root: at('renderer'),
    plugins: [react(), cspMeta()],
    build: {
      outDir: at('out/renderer'),
      // Also served to ordinary browsers as the web UI, so not Electron's Chromium-only target,
      // and minified (electron-vite leaves it off by default).
      target: 'es2022',
      minify: true,
      sourcemap: true,
      rolldownOptions: {
        input: { index: at('renderer/index.html') },
      },
    },
  },
});
