import { PROVIDER_SPECIFICATION_VERSION, type ModelCapabilities, type ModelInfo, type ProviderCapabilities } from '@kit/core';
import {
  DEFAULT_PROVIDER_CAPABILITIES,
  sseFraming,
  openAIRateLimitHeaders,
  readRateLimitHeaders,
  type ErrorRefiner,
  type ProviderDefinition,
  type RateLimitHeaderNames,
  type ResolvedGenerateOptions,
} from '@kit/core/provider-utils';
import { buildOpenAIChatBody, validateOpenAIProviderOptions, type MaxTokensField, type OpenAIChatBody } from './openai-chat-request';
import type { ReasoningReplay } from './convert-to-openai-messages';
import { parseOpenAIChatResponse } from './openai-chat-response';
import { refineOpenAIError } from './openai-errors';
import { parseOpenAIModels } from './openai-models';
import { createOpenAIStreamMapper } from './openai-stream-mapper';

/** What makes one OpenAI-dialect provider different from another. */
export interface OpenAICompatibleConfig {
  /** Provider type (`'openai'`, `'cerebras'`, `'openai-compatible'`); also the `providerOptions` key. */
  type: string;
  /** Instance name, written into the fallback models' `provider` (default `type`). */
  name?: string;
  defaultBaseURL: string;
  defaultModel: string;
  /** Environment variable read for the key when none is configured. */
  apiKeyEnvVar?: string;
  /** Local servers: send no `Authorization` header when no key is configured. */
  apiKeyOptional?: boolean;
  /** Merged over the defaults: streaming, tools and JSON on; vision, documents, audio, reasoning off. */
  capabilities?: Partial<ProviderCapabilities>;
  /** Served by `getModels()` when the live list fails; default: the default model alone. */
  fallbackModels?: readonly ModelInfo[];
  /** Sent on every request. */
  headers?: Record<string, string>;
  /** Rate-limit header names; default OpenAI's `x-ratelimit-*`. */
  rateLimitHeaders?: RateLimitHeaderNames;
  /** Adds or changes request fields (a thin layer's extras); runs before `providerOptions` are merged. */
  transformRequestBody?: (body: OpenAIChatBody, options: ResolvedGenerateOptions) => OpenAIChatBody;
  /** Which field carries `maxTokens` for every model; default `max_tokens`. */
  maxTokensField?: MaxTokensField;
  /** How assistant reasoning parts are sent back; default `'drop'` (see `ReasoningReplay`). */
  reasoningReplay?: ReasoningReplay;
  /** Provider-specific error refinement; what it leaves unset falls back to the OpenAI-generic refinement. */
  refineError?: ErrorRefiner;
  /** Keeps only chat models in the live model list. */
  includeModel?: (id: string) => boolean;
  /** Capabilities of a listed model that `fallbackModels` does not describe; default the provider's. */
  capabilitiesFor?: (id: string) => ModelCapabilities;
}

/** A provider's capabilities as a model's (all but `documents` and `audio`). */
export function modelCapabilities({ documents, audio, ...capabilities }: ProviderCapabilities): ModelCapabilities {
  return capabilities;
}

/**
 * The one OpenAI chat-completions dialect, as a `ProviderDefinition` for core's `createChatProvider`:
 * `POST /chat/completions` (SSE with `stream_options.include_usage`), `GET /models`, Bearer auth,
 * `x-ratelimit-*` headers. Thin layers (`@kit/openai`, `@kit/cerebras`, presets) only change the config.
 */
export function defineOpenAICompatibleProvider(config: OpenAICompatibleConfig): ProviderDefinition {
  const { type, defaultModel, refineError, rateLimitHeaders = openAIRateLimitHeaders } = config;
  // Streaming, tools and JSON on; vision, documents, audio, reasoning off unless the config says so.
  const capabilities: ProviderCapabilities = { ...DEFAULT_PROVIDER_CAPABILITIES, tools: true, json: true, ...config.capabilities };
  const defaultModelCapabilities = modelCapabilities(capabilities);
  // With no default model (a server whose calls each name one) the fallback list is empty.
  const fallbackModels =
    config.fallbackModels ?? (defaultModel ? [{ id: defaultModel, provider: config.name ?? type, capabilities: defaultModelCapabilities }] : []);
  return {
    specificationVersion: PROVIDER_SPECIFICATION_VERSION,
    // The config's own fields (type, base URL, default model, key variable, `apiKeyOptional`, headers) as given.
    ...config,
    capabilities,
    fallbackModels,
    authHeaders: (lease) => ({ authorization: `Bearer ${lease.secret}` }),
    chat: {
      framing: sseFraming,
      buildRequest: (options, context) => ({ path: '/chat/completions', body: buildOpenAIChatBody(options, config, context.provider) }),
      createStreamMapper: createOpenAIStreamMapper,
      parseResponse: parseOpenAIChatResponse,
    },
    models: {
      request: { path: '/models', method: 'GET' },
      parse: (body, provider) =>
        parseOpenAIModels(body, provider, {
          knownModels: fallbackModels,
          defaultCapabilities: config.capabilitiesFor ?? defaultModelCapabilities,
          include: config.includeModel,
        }),
    },
    // What the provider's own refinement leaves unset falls back to the OpenAI-generic one (retry waits).
    refineError: refineError ? (response) => ({ ...refineOpenAIError(response), ...refineError(response) }) : refineOpenAIError,
    rateLimits: (headers, now) => readRateLimitHeaders(headers, rateLimitHeaders, now),
    validateProviderOptions: (options) => {
      validateOpenAIProviderOptions(options, type, type);
    },
  };
}
