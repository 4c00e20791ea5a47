// The `send` stage talks SMTP itself on the session nodemailer authenticated: this reads the replies.
import type net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { errorWithCode } from './sockets';

/** Reads complete SMTP replies ("250-..." continuation lines joined with "\n") from a socket it took over. */
export class ReplyReader {
  private buffer = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly lines: string[] = [];
  private readonly replies: string[] = [];
  private waiter: { resolve: (reply: string) => void; reject: (err: unknown) => void } | undefined;
  private failure: unknown;

  constructor(private readonly socket: net.Socket) {
    socket.on('data', this.onData);
    socket.once('close', this.onClose);
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.lines.push(line);
      if (!/^\d{3}-/.test(line)) this.replies.push(this.lines.splice(0).join('\n'));
    }
    this.settle();
  };

  private readonly onClose = (): void => {
    this.failure = errorWithCode('Connection closed unexpectedly', 'ECONNECTION', { command: 'CONN' });
    this.settle();
  };

  private settle(): void {
    const w = this.waiter;
    if (!w) return;
    const reply = this.replies.shift();
    if (reply !== undefined) {
      this.waiter = undefined;
      w.resolve(reply);
    } else if (this.failure !== undefined) {
      this.waiter = undefined;
      w.reject(this.failure);
    }
  }

  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.write(`${line}\r\n`);
      this.settle();
    });
  }

  detach(): void {
    this.socket.removeListener('data', this.onData);
    this.socket.removeListener('close', this.onClose);
  }
}

export function smtpReplyError(message: string, code: string, command: string, response: string): Error {
  return errorWithCode(`${message}: ${response}`, code, { command, response, responseCode: Number(response.slice(0, 3)) || undefined });
}
