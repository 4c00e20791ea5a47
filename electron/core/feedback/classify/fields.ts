// RFC 5322-style field blocks: the syntax shared by message headers, RFC 3464 delivery-status bodies (one per-message
// block, then one block per recipient, separated by blank lines) and RFC 5965 feedback-report bodies. mailparser
// parses MIME structure but hands these bodies over as opaque attachments, so this is the one small reader for them.

export type Field = readonly [name: string, value: string];
export type FieldBlock = readonly Field[];

/** Upper bound on how much of a body is read as fields: reports are tiny, a huge one is junk. */
const MAX_FIELD_TEXT = 256 * 1024;

/**
 * Splits text into blocks of fields. Continuation lines (leading space/tab) are unfolded into the previous field;
 * field names are lower-cased; lines that are not fields are skipped (truncated or damaged reports still yield what
 * is readable).
 */
export function parseFieldBlocks(text: string): FieldBlock[] {
  const blocks: Field[][] = [];
  let block: Field[] = [];
  let name: string | undefined;
  let value = '';
  const flush = (): void => {
    if (name !== undefined) block.push([name, value.replace(/\s+/g, ' ').trim()]);
    name = undefined;
    value = '';
  };
  for (const line of text.slice(0, MAX_FIELD_TEXT).split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && line.trim() !== '') {
      if (name !== undefined) value += ` ${line.trim()}`;
      continue;
    }
    flush();
    if (line.trim() === '') {
      if (block.length > 0) blocks.push(block);
      block = [];
      continue;
    }
    const m = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (m) {
      name = (m[1] as string).toLowerCase();
      value = m[2] as string;
    }
  }
  flush();
  if (block.length > 0) blocks.push(block);
  return blocks;
}

/** The header block at the top of a raw message (up to the first empty line), as fields. */
export function parseHeaderBlock(raw: string): FieldBlock {
  const text = raw.slice(0, MAX_FIELD_TEXT).replace(/^(?:[ \t]*\r?\n)+/, '');
  const end = /\r?\n[ \t]*\r?\n/.exec(text);
  return parseFieldBlocks(end ? text.slice(0, end.index) : text)[0] ?? [];
}

/** The first value of a field, or undefined. */
export function field(block: FieldBlock, name: string): string | undefined {
  return block.find(([n]) => n === name)?.[1];
}

/** Every value of a field, in order. */
export function fieldValues(block: FieldBlock, name: string): string[] {
  return block.filter(([n]) => n === name).map(([, v]) => v);
}

/** Strips an RFC 3464 type prefix: "rfc822; a@b" -> "a@b", "dns; mx.example.net" -> "mx.example.net", "smtp; 550 ..." -> "550 ...". */
export function stripType(value: string): string {
  return value.replace(/^[A-Za-z0-9-]+[ \t]*;[ \t]*/, '').trim();
}

/** RFC 3461 xtext: "+2B" stands for "+". Used for Original-Recipient. */
function decodeXtext(value: string): string {
  return value.replace(/\+([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The address of an RFC 3464/5965 address field ("rfc822; <a@b>", "<a@b>", "a@b"), or null when there is none. */
export function addressOf(value: string | undefined, opts: { xtext?: boolean } = {}): string | null {
  if (value === undefined) return null;
  let v = stripType(value);
  if (opts.xtext) v = decodeXtext(v);
  // Bounded (RFC 5321: 64 + 255): an unanchored unbounded pattern is quadratic on a long junk token.
  const m = /<([^<>\s@]{1,64}@[^<>\s@]{1,255})>/.exec(v) ?? /([^\s<>"(),;:@]{1,64}@[^\s<>"(),;:@]{0,254}[^\s<>"(),;:@.])/.exec(v);
  return m ? (m[1] as string) : null;
}

/** A Message-ID with its angle brackets (added when the value lacks them), or undefined when the value is none. */
export function messageIdOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bracketed = /<[^<>\s]+>/.exec(value);
  if (bracketed) return bracketed[0];
  const bare = value.trim();
  return /^[^\s<>]+@[^\s<>]+$/.test(bare) ? `<${bare}>` : undefined;
}

/** Collapses whitespace and caps a free-text value (diagnostics can be long; the output is for people and logs). */
export function tidy(value: string | undefined, max = 1000): string | null {
  if (value === undefined) return null;
  const v = value.replace(/\s+/g, ' ').trim();
  if (v === '') return null;
  return v.length > max ? `${v.slice(0, max - 1)}…` : v;
}
