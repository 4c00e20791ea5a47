// Public surface of the classifier: what the IMAP watcher and `kiln inspect` import.
export { classifyMessage } from './classify';
export {
  DEFAULT_MAX_BYTES,
  type BounceInfo,
  type BounceType,
  type Classification,
  type ClassificationKind,
  type ClassifyOptions,
  type ComplaintInfo,
} from './types';
