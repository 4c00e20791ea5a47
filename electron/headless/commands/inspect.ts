// `kiln inspect FILE.eml`: what Kiln makes of one raw message (bounce, complaint, auto-reply, warmup, other), printed
// as one JSON object. It runs the watcher's own classifier, so consultants can debug an odd bounce with exactly the
// logic that will handle it. A pure inspection tool: it never opens the data folder or the database.
import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { KilnError } from '../../../shared/errors';
import type { Classification } from '../../core/feedback/classify';

/** The classifier's default (25 MB), repeated here so that --help does not have to load the classifier. */
const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

interface InspectOpts {
  maxBytes: string;
}

function parseMaxBytes(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new KilnError('VALIDATION_FAILED', `--max-bytes must be a positive integer (bytes), not "${v}"`);
  }
  return n;
}

/** Reads stdin up to limit + 1 bytes: enough to know it is too large without holding all of it. */
async function readStdin(limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) break;
  }
  return Buffer.concat(chunks);
}

/** The file's bytes, or null when it is larger than the limit (then it is not read at all). */
async function readMessageFile(file: string, limit: number): Promise<Buffer | null> {
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (stat.size > limit) return null;
    return await fs.readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new KilnError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'VALIDATION_FAILED', `cannot read ${file}: ${reason}`);
  }
}

export function inspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('classify one raw message (.eml): bounce, complaint, auto-reply, warmup or other; prints one JSON object')
    .argument('<file>', 'the raw message (RFC 5322 source), or - to read it from stdin')
    .option('--max-bytes <n>', 'larger messages are not parsed (reported as kind "other")', String(DEFAULT_MAX_BYTES))
    .addHelpText('after', '\nExit codes: 0 classified (whatever the kind), 2 the file cannot be read or bad usage.')
    .action(async (file: string, o: InspectOpts) => {
      const maxBytes = parseMaxBytes(o.maxBytes);
      const raw = file === '-' ? await readStdin(maxBytes) : await readMessageFile(file, maxBytes);
      let result: Classification;
      if (raw === null || raw.length > maxBytes) {
        // The classifier's rule for oversized input, applied before reading (or keeping) all of it.
        process.stderr.write(`kiln: ${file === '-' ? 'stdin' : file} is larger than ${maxBytes} bytes; not parsed (see --max-bytes)\n`);
        result = { kind: 'other' };
      } else {
        // Loaded here, not at the top: other commands (and --help) never pay for mailparser.
        const { classifyMessage } = await import('../../core/feedback/classify');
        result = await classifyMessage(raw, { maxBytes });
      }
      // JSON.stringify drops undefined-valued keys; the classifier sets none anyway.
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
}
