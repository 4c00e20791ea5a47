export type { Content, ContentProvider, ContentRequest } from './types';
export { builtInCorpus, corpusProvider, type Corpus, type CorpusTopic } from './corpus';
export { openAiProvider, type OpenAiOptions } from './openai';
export { checkContent } from './guard';
export { withFallback, type FallbackOptions } from './fallback';
export { firstName } from './names';
