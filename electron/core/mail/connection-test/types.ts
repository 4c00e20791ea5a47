// The connection test's inputs, apart from index.ts so the stage files need not import the barrel.
import type { Security } from '../../../../shared/domain/mailbox';
import type { StageListener } from './deadline';
import type { TokenProbe } from '../credential';

export interface ConnectOptions {
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. Verification is never disabled. */
  ca?: string[];
  /** Bound on the whole test. Default 20 s. */
  timeoutMs?: number;
  /** Injectable DNS: host -> addresses. Default: node:dns lookup (getaddrinfo, reads /etc/hosts). */
  lookup?: (host: string) => Promise<string[]>;
  /** Address for the SMTP MAIL FROM probe; default `user`. */
  mailFrom?: string;
  /** Progress as the test moves from stage to stage (the UI ticks them off live). */
  onStage?: StageListener;
  /** The clock that dates each stage's evidence. Default: the system clock. */
  now?: () => number;
}

export interface ServerParams {
  host: string;
  port: number;
  security: Security;
  user: string;
  /** A password mailbox's password. */
  password?: string;
  /** An OAuth mailbox's token side: the test then begins with the `oauth` stage and signs in with its token. */
  oauth?: TokenProbe;
}
