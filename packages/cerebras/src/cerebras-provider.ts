import type { Provider } from '@kit/core';
import { createChatProvider, parseOrThrow, providerSettingsShape, type ProviderDefinition } from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider, type OpenAIChatBody } from '@kit/openai-compatible';
import * as z from 'zod/mini';
import { CEREBRAS_DEFAULT_MODEL, cerebrasFallbackModels } from './cerebras-models';
import { cerebrasRateLimitHeaders, refineCerebrasError } from './cerebras-rate-limits';

/** Strict: an unknown key is an `invalid_config` error naming it. (A pure IIFE: unused, it is shaken out.) */
export const cerebrasSettingsSchema = /* @__PURE__ */ (() => z.strictObject(providerSettingsShape))();

/** Settings of `createCerebras`: the common provider settings. */
export type CerebrasSettings = z.infer<typeof cerebrasSettingsSchema>;

// Cerebras documents string content for text: a text-only part list of any role (system, user, assistant, tool)
// is sent as one string, its parts joined by one rule, a newline (never glued words).
function flattenTextContent(body: OpenAIChatBody): OpenAIChatBody {
  for (const message of body.messages) {
    const content = (message as { content: unknown }).content;
    if (Array.isArray(content) && content.every((part: { type?: string }) => part.type === 'text')) {
      (message as { content: unknown }).content = content.map((part: { text: string }) => part.text).join('\n');
    }
  }
  return body;
}

/** Cerebras' wire definition. No system prompt is ever added: the messages go out as given. */
export function defineCerebrasProvider(): ProviderDefinition {
  return defineOpenAICompatibleProvider({
    type: 'cerebras',
    defaultBaseURL: 'https://api.cerebras.ai/v1',
    defaultModel: CEREBRAS_DEFAULT_MODEL,
    apiKeyEnvVar: 'CEREBRAS_API_KEY',
    capabilities: { vision: false, reasoning: true },
    fallbackModels: cerebrasFallbackModels,
    rateLimitHeaders: cerebrasRateLimitHeaders,
    maxTokensField: 'max_completion_tokens',
    transformRequestBody: flattenTextContent,
    refineError: refineCerebrasError,
  });
}

/**
 * The Cerebras provider (`https://api.cerebras.ai/v1`, OpenAI wire format). Reasoning models stream their
 * thinking in `reasoning`, surfaced as `reasoning-delta` events. Key from `CEREBRAS_API_KEY` unless
 * `apiKey` or `credentials` is given.
 */
export function createCerebras(settings: CerebrasSettings = {}): Provider {
  const valid = parseOrThrow(cerebrasSettingsSchema, settings ?? {}, 'invalid_config', { what: 'invalid cerebras settings', provider: 'cerebras' });
  return createChatProvider(defineCerebrasProvider(), valid);
}
