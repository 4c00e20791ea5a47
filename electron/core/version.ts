// Injected by the bundler from package.json; plain-Node runs (tests via tsx) fall back to 'dev'.
declare const __KILN_VERSION__: string | undefined;
export const version: string = typeof __KILN_VERSION__ === 'string' ? __KILN_VERSION__ : 'dev';
