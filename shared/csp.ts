// The renderer's Content-Security-Policy, in one place. No `electron` import: electron.vite.config.ts
// reads it too, to put the same policy in renderer/index.html as a <meta> tag.
//
// Why both a header and a <meta>: the desktop window loads the renderer from file://, and Chromium
// runs no webRequest header hooks for file:// (nor for custom protocols), so on the desktop the
// <meta> tag is the policy that actually applies; the header (security.ts) covers anything the
// session loads over http(s) and is what the REST server should send with the web UI
// (`frame-ancestors` only works as a header, browsers ignore it in <meta>).

import { REPORT_CSS_HASH } from './report-style';

const directives: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // The report preview's one inline stylesheet, by hash (shared/report-style.ts).
  ['style-src', `'self' ${REPORT_CSS_HASH}`],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** The full policy, for a `Content-Security-Policy` response header. */
export const contentSecurityPolicy = directives.map(([name, value]) => `${name} ${value}`).join('; ');

/** The same policy without the directives browsers ignore (and warn about) in a <meta> tag. */
export const metaContentSecurityPolicy = directives
  .filter(([name]) => name !== 'frame-ancestors')
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');
