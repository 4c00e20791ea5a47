// The built-in content provider: mail assembled from resources/content/corpus.json. Deterministic per
// seed, so a message re-rendered after a crash or a retry reads exactly the same.
import Handlebars from 'handlebars';
import corpusData from '../../../../resources/content/corpus.json';
import { KilnError } from '../../../../shared/errors';
import { seededRandom } from '../../../../shared/warmup/random';
import { firstName } from './names';
import { replySubject, withQuote } from './thread';
import type { Content, ContentProvider, ContentRequest } from './types';
import { calendarVars, type TemplateVars } from './vars';

export interface CorpusTopic {
  name: string;
  subjects: string[];
  /** Order-independent sentences: a message uses 2–4 of them, shuffled. */
  sentences: string[];
  /** Answers that fit a message on this topic. */
  replies: string[];
}

export interface Corpus {
  subjects: string[];
  /** `named` uses {{recipientFirstName}}; `unnamed` is for when no first name can be trusted. */
  greetings: { named: string; unnamed: string }[];
  openings: string[];
  topics: CorpusTopic[];
  closings: string[];
  signOffs: string[];
  replies: string[];
}

export const builtInCorpus: Corpus = corpusData;

// A private Handlebars environment: nobody else's helpers or partials leak into mail text.
const hbs = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate<TemplateVars>>();

/** Plain text (noEscape) and strict, so a misspelt variable fails loudly instead of rendering "". */
export function render(template: string, vars: TemplateVars): string {
  let t = compiled.get(template);
  if (!t) {
    t = hbs.compile<TemplateVars>(template, { noEscape: true, strict: true });
    compiled.set(template, t);
  }
  return t(vars);
}

type Random = () => number;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function shuffled<T>(r: Random, xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** "Thanks," → /\bthank/, so it matches "thank you" and "thanks" alike. */
const leadWords = new Map<string, RegExp>();
function leadWord(signOff: string): RegExp {
  let re = leadWords.get(signOff);
  if (!re) {
    re = new RegExp(`\\b${signOff.split(/[\s,.]/)[0]!.toLowerCase().replace(/s$/, '').replace(/[^a-z]/g, '')}`);
    leadWords.set(signOff, re);
  }
  return re;
}

/** The topic a message came from, found by its sentences' fixed text (our own warmup mail, quoted back). */
function topicIndex(corpus: Corpus): (text: string) => CorpusTopic | null {
  const keys = corpus.topics.flatMap((topic) =>
    topic.sentences.map((s) => ({ topic, key: s.split('{{')[0]!.trim() })).filter((k) => k.key.length >= 20),
  );
  return (text) => keys.find((k) => text.includes(k.key))?.topic ?? null;
}

function signature(r: Random, c: Corpus, vars: TemplateVars, avoid: string | null): string {
  // "Understood, thanks." followed by "Thanks," reads like a template.
  const said = avoid?.toLowerCase() ?? '';
  const options = c.signOffs.filter((s) => !leadWord(s).test(said));
  const signOff = render(pick(r, options.length > 0 ? options : c.signOffs), vars);
  return vars.senderFirstName ? `${signOff}\n${vars.senderFirstName}` : signOff;
}

function greeting(r: Random, c: Corpus, vars: TemplateVars): string {
  const g = pick(r, c.greetings);
  return render(vars.recipientFirstName ? g.named : g.unnamed, vars);
}

function warmup(r: Random, c: Corpus, vars: TemplateVars): Content {
  const topic = pick(r, c.topics);
  const subject = render(r() < 0.6 ? pick(r, topic.subjects) : pick(r, c.subjects), vars);
  const hello = greeting(r, c, vars);
  // A greeting that is already a sentence ("Hi, hope all is well.") stands in for the opening line.
  const opening = !hello.endsWith('.') && r() < 0.75 ? render(pick(r, c.openings), vars) : null;
  const count = 2 + Math.floor(r() * 3);
  const sentences = shuffled(r, topic.sentences).slice(0, count).map((s) => render(s, vars));
  const paragraphs: string[] = [];
  if (sentences.length >= 3 && r() < 0.4) {
    const cut = 1 + Math.floor(r() * (sentences.length - 1));
    paragraphs.push(sentences.slice(0, cut).join(' '), sentences.slice(cut).join(' '));
  } else paragraphs.push(sentences.join(' '));
  if (opening) {
    if (r() < 0.5) paragraphs.unshift(opening);
    else paragraphs[0] = `${opening} ${paragraphs[0]}`;
  }
  const closing = r() < 0.85 ? render(pick(r, c.closings), vars) : null;
  const parts = [hello, ...paragraphs, ...(closing ? [closing] : []), signature(r, c, vars, closing)];
  return { subject, text: `${parts.join('\n\n')}\n` };
}

function reply(r: Random, c: Corpus, vars: TemplateVars, req: ContentRequest, topicOf: (text: string) => CorpusTopic | null): Content {
  const original = req.original;
  if (!original) throw new KilnError('VALIDATION_FAILED', 'A reply needs the original message.');
  const topic = topicOf(original.text);
  const answer = render(topic && r() < 0.6 ? pick(r, topic.replies) : pick(r, c.replies), vars);
  const parts = [...(r() < 0.5 ? [greeting(r, c, vars)] : []), answer, signature(r, c, vars, answer)];
  return { subject: replySubject(original.subject), text: withQuote(parts.join('\n\n'), original, req.timeZone) };
}

export function templateVars(req: ContentRequest): TemplateVars {
  return {
    recipientFirstName: firstName(req.to.name, req.to.address) ?? '',
    senderFirstName: firstName(req.from.name, req.from.address) ?? '',
    ...calendarVars(req.at, req.timeZone),
  };
}

export function corpusProvider(corpus: Corpus = builtInCorpus): ContentProvider {
  const topicOf = topicIndex(corpus);
  return {
    name: 'corpus',
    generate(req) {
      try {
        // Salted so other users of the same seed (scheduling jitter) draw independent numbers.
        const r = seededRandom(`content\u0000${req.kind}\u0000${req.seed}`);
        const vars = templateVars(req);
        return Promise.resolve(req.kind === 'reply' ? reply(r, corpus, vars, req, topicOf) : warmup(r, corpus, vars));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}
