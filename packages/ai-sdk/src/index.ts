/**
 * `kitLanguageModel`: any \@kit provider as a Vercel AI SDK language model.
 *
 * @module @kit/ai-sdk
 */
// @kit/ai-sdk: any @kit provider as a Vercel AI SDK language model (specification v4, `ai` 7).
export { createKitProvider, kitLanguageModel, type KitChatProvider, type KitLanguageModelSettings } from './kit-language-model';
export { convertToKitMessages, type ConvertedPrompt } from './convert-to-kit-messages';
export { mapKitError, type KitErrorContext } from './map-kit-error';
export type { KitCallMetadata } from './kit-provider-metadata';
