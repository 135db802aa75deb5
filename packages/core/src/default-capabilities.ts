import type { ProviderCapabilities } from './provider';

/**
 * What a provider built by `createChatProvider` reports for each capability its definition leaves out: streaming on
 * (core streams every provider: a non-streaming answer is replayed as events), everything else off until declared.
 */
export const DEFAULT_PROVIDER_CAPABILITIES: Readonly<ProviderCapabilities> = {
  streaming: true,
  tools: false,
  vision: false,
  documents: false,
  audio: false,
  reasoning: false,
  json: false,
};
