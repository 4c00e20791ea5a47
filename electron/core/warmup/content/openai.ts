// Content from any OpenAI-compatible chat-completions endpoint (OpenAI, a local Ollama / llama.cpp /
// vLLM server...). Every failure is an UPSTREAM_FAILED KilnError, so withFallback can fall back to the
// corpus; the API key never reaches a message, a detail or a log line.
import { KilnError } from '../../../../shared/errors';
import { seededRandom } from '../../../../shared/warmup/random';
import { builtInCorpus } from './corpus';
import { ownText } from './guard';
import { firstName } from './names';
import { replySubject, withQuote } from './thread';
import type { Content, ContentProvider, ContentRequest } from './types';
import { calendarVars } from './vars';

export interface OpenAiOptions {
  /** Base URL up to the API version, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  url: string;
  model: string;
  apiKey: string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const SYSTEM = [
  'You write short, natural emails between colleagues who know each other.',
  'Plain text only. Never include links, web addresses, domain names, email addresses, phone numbers, images, HTML or markdown.',
  'No prices, offers, sales or marketing language, no urgency, no exclamation marks in a row, no words in capitals.',
  'Answer with only a JSON object: {"subject": "...", "body": "..."}.',
  'The body starts with a short greeting, has 40 to 120 words, and ends with a sign-off followed by the sender\'s first name when it is given.',
].join(' ');

function prompt(req: ContentRequest): string {
  const sender = firstName(req.from.name, req.from.address);
  const recipient = firstName(req.to.name, req.to.address);
  const cal = calendarVars(req.at, req.timeZone);
  const who = `From: ${sender ?? 'the sender (no name: sign off without one)'}. To: ${recipient ?? 'a colleague whose name you do not know (greet without a name)'}.`;
  const when = `It is ${cal.weekday} ${cal.timeOfDay} in ${cal.month}.`;
  if (req.kind === 'reply' && req.original) {
    const original = ownText(req.original.text).slice(0, 2000);
    return `${who} ${when} Write a short reply (one to three sentences between the greeting and the sign-off) to this email. Do not quote it; the subject is ignored.\n\nSubject: ${req.original.subject}\n\n${original}`;
  }
  // A topic drawn from the seed keeps a batch of messages from all being about the same thing.
  const topic = builtInCorpus.topics[Math.floor(seededRandom(`llm-topic\u0000${req.seed}`)() * builtInCorpus.topics.length)]!.name;
  return `${who} ${when} Write a new email about an everyday work matter, loosely around: ${topic}. Keep it specific but harmless.`;
}

/** The {subject, body} object in a model's answer, tolerating code fences and chatter around it. */
export function parseEmailJson(content: string): { subject: string; body: string } | null {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const v = JSON.parse(content.slice(start, end + 1)) as { subject?: unknown; body?: unknown };
    if (typeof v.subject !== 'string' || typeof v.body !== 'string' || !v.body.trim()) return null;
    return { subject: v.subject.replace(/\s+/g, ' ').trim(), body: v.body };
  } catch {
    return null;
  }
}

const tidyBody = (body: string) => `${body.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;

export function openAiProvider(opts: OpenAiOptions): ContentProvider {
  const endpoint = `${opts.url.replace(/\/+$/, '')}/chat/completions`;
  // Shown in errors without credentials or query (some gateways take the key as a URL parameter).
  const shown = (() => {
    try {
      const u = new URL(endpoint);
      return `${u.origin}${u.pathname}`;
    } catch {
      return 'the content endpoint';
    }
  })();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const doFetch = opts.fetch ?? fetch;
  const scrub = (s: string) => {
    const out = s.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
    return opts.apiKey ? out.split(opts.apiKey).join('[redacted]') : out;
  };
  const fail = (reason: string, message: string, extra: Record<string, unknown> = {}) =>
    new KilnError('UPSTREAM_FAILED', scrub(message), { provider: 'openai', reason, ...extra });

  return {
    name: 'openai',
    async generate(req, signal) {
      if (req.kind === 'reply' && !req.original) throw new KilnError('VALIDATION_FAILED', 'A reply needs the original message.');
      const timeout = AbortSignal.timeout(timeoutMs);
      const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
      const body = JSON.stringify({
        model: opts.model,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: prompt(req) },
        ],
        temperature: 0.8,
      });
      let text: string;
      let status: number;
      try {
        const res = await doFetch(endpoint, { method: 'POST', headers, body, signal: both });
        status = res.status;
        text = await res.text();
      } catch (e) {
        if (timeout.aborted) throw fail('timeout', `${shown} did not answer within ${timeoutMs} ms`);
        if (signal?.aborted) throw fail('aborted', `Request to ${shown} was cancelled`);
        const cause = (e as { cause?: { code?: unknown } }).cause?.code;
        throw fail('network', `Could not reach ${shown}${typeof cause === 'string' ? ` (${cause})` : ''}`);
      }
      if (status < 200 || status > 299) {
        // A short excerpt helps ("model not found"); scrubbed in case a gateway echoes the request.
        const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 200);
        throw fail('status', `${shown} answered HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`, { status });
      }
      let content: unknown;
      try {
        content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
      } catch {
        throw fail('bad_json', `${shown} answered with something other than JSON`);
      }
      if (typeof content !== 'string') throw fail('bad_json', `${shown} answered without a chat completion`);
      const email = parseEmailJson(content);
      if (!email) throw fail('bad_json', `${shown} did not return an email as {"subject", "body"} JSON`);
      return req.kind === 'reply' && req.original
        ? { subject: replySubject(req.original.subject), text: withQuote(tidyBody(email.body), req.original, req.timeZone) }
        : ({ subject: email.subject, text: tidyBody(email.body) } satisfies Content);
    },
  };
}
