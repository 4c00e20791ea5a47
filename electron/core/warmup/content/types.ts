// What a content provider is asked for and what it returns. Providers are interchangeable (the
// built-in corpus, an OpenAI-compatible endpoint, one falling back to the other).

export interface ContentRequest {
  kind: 'warmup' | 'reply';
  /** Stable per message (its id): the same request always yields the same built-in content. */
  seed: string;
  from: { address: string; name: string | null };
  to: { address: string; name: string | null };
  /** Epoch ms the mail is sent at (for weekday/month/time-of-day variables). */
  at: number;
  timeZone: string;
  /** For replies: the message answered. */
  original?: { subject: string; text: string; from: string; sentAt: number };
}

export interface Content {
  subject: string;
  text: string;
}

export interface ContentProvider {
  readonly name: string;
  generate(req: ContentRequest, signal?: AbortSignal): Promise<Content>;
}
