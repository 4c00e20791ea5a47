// "Test connection" for a mailbox: runs the SMTP stages dns -> connect -> tls -> auth -> send and the IMAP stages
// dns -> connect -> tls -> auth -> select, and reports the first failing stage with a coded, password-free message.
//
// DNS and the TCP connect are done here (so the stage is exact and an injected resolver can stand in for DNS). SMTP
// then runs over that very socket: for implicit TLS the handshake is done here too and the TLS socket is handed to
// nodemailer's SMTPConnection (`connection` + `secured`); for STARTTLS nodemailer upgrades it itself (`requireTLS`),
// so TLS and AUTH behave exactly as when Kiln sends. The `send` stage issues MAIL FROM and RSET on the authenticated
// session (SMTPConnection has no API for an envelope without a message) and never sends DATA.
//
// IMAP: after the TCP probe (and, for implicit TLS, a handshake probe) ImapFlow connects to the address that answered
// (servername = the configured host, so no second DNS query), does STARTTLS/auth itself, then opens INBOX read-only.
//
// Certificates are always verified; `ca` adds trusted roots (for self-signed test servers) to Node's bundled ones.
// One deadline (timeoutMs) bounds the whole test; every socket is closed on every path.
//
// Each stage ends passed, failed, not used (TLS on security "none") or not reached, with a verdict resting on what
// the stage asked and what answered (verdicts.ts).
//
// Layout: deadline.ts (the run: stage, deadline, cleanups), sockets.ts (DNS/TCP/TLS probes), stages.ts (the dns and
// connect stages), verdicts.ts (the evidence and each stage's verdict), smtp.ts with reply-reader.ts, and imap.ts.
export { DEFAULT_TEST_TIMEOUT_MS, type StageListener } from './deadline';
export { testSmtp, type SmtpTestResult } from './smtp';
export { testImap, type ImapTestResult } from './imap';
export type { ConnectOptions, ServerParams } from './types';
