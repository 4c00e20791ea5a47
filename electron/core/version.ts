// Injected by the bundler from package.json (electron.vite.config.ts `define`); unbundled runs (tests via tsx) say 'dev'.
declare const __KILN_VERSION__: string | undefined;
export const version: string = typeof __KILN_VERSION__ === 'string' ? __KILN_VERSION__ : 'dev';
