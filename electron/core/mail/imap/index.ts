// The one IMAP module: every ImapFlow Kiln opens gets its options here (options.ts), finds its
// folders here (folders.ts, paths.ts), runs its commands through here (ops.ts) and has its
// failures classified here (errors.ts). The feedback watcher, DMARC ingestion (and so placement
// tests, read by the watcher) and the connection test use it; see docs/ARCHITECTURE.md.
export { hasImapAccess, imapClient, imapOptions, probeImapOptions, type ImapUse, type ProbeTarget } from './options';
export { discoverFolders, pickOther, pickSpam, resolveFolders, type FolderNames, type FolderRole, type SpecialFolders, type WatchedFolder } from './folders';
export { ensureFolder, serverPath, type Namespace } from './paths';
export {
  addFlags,
  deleteMessage,
  fetchHeaderFields,
  fetchSourceUpTo,
  findInFolder,
  locate,
  moveMessages,
  openUidValidity,
  removeFlags,
  searchHeader,
  withFolder,
  type RecordedUid,
} from './ops';
export { classifyImapError, imapFailureCodes, type ImapErrorContext, type ImapFailure, type ImapFailureCode } from './errors';
