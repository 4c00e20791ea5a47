// The page a browser lands on after the provider sends it back to Kiln: self-contained (no script,
// style or request of its own), and never carrying the code, state or a token.
export interface CallbackAnswer {
  status: number;
  html: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${esc(title)}</title></head>` +
    `<body><h1>${esc(title)}</h1>${body}</body></html>`;
}

export function signedInPage(account: string | null): CallbackAnswer {
  const who = account ? ` as <strong>${esc(account)}</strong>` : '';
  return { status: 200, html: page('Signed in', `<p id="result" data-status="signedIn">Kiln is signed in${who}. You can close this tab and return to Kiln.</p>`) };
}

export function refusedPage(status: number, code: string, message: string): CallbackAnswer {
  return {
    status,
    html: page('Sign-in not completed', `<p id="result" data-status="failed" data-code="${esc(code)}"><code>${esc(code)}</code>: ${esc(message)}</p><p>Return to Kiln and start the sign-in again.</p>`),
  };
}
