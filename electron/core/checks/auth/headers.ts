// Raw RFC 5322 header blocks (as fetched over IMAP or pasted by a user): unfolded fields, in order.

export interface HeaderField {
  /** Lower-cased field name. */
  name: string;
  /** The whole field as it appeared ("Name: value", unfolded). */
  line: string;
  /** The value after the colon, unfolded and trimmed. */
  value: string;
}

/** Every field of the header block (parsing stops at the first empty line: the body is ignored). */
export function headerFields(raw: string): HeaderField[] {
  const fields: HeaderField[] = [];
  const lines = raw.split(/\r?\n/);
  let current: string | null = null;
  const flush = () => {
    if (current === null) return;
    const colon = current.indexOf(':');
    if (colon > 0) {
      const name = current.slice(0, colon).trim().toLowerCase();
      if (/^[\x21-\x39\x3b-\x7e]+$/.test(name)) fields.push({ name, line: current, value: current.slice(colon + 1).trim() });
    }
    current = null;
  };
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && current !== null) current += ` ${line.trim()}`;
    else {
      flush();
      current = line;
    }
  }
  flush();
  return fields;
}

export const fieldsNamed = (raw: string, name: string): HeaderField[] => headerFields(raw).filter((f) => f.name === name.toLowerCase());

/** The domain of the first address in a From / Return-Path value (`"A" <a@b.example>` → b.example). */
export function addressDomain(value: string): string | null {
  const angle = /<([^<>]*)>/.exec(value);
  const addr = (angle ? angle[1]! : value).trim();
  const at = addr.lastIndexOf('@');
  if (at < 0) return null;
  const domain = addr.slice(at + 1).replace(/[>\s].*$/, '').replace(/\.$/, '').toLowerCase();
  return /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain) ? domain : null;
}
