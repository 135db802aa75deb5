import type { ModelInfo, Provider } from '@kit/core';
import {
  createChatProvider,
  httpURLSchema,
  nonEmptyStringSchema,
  parseOrThrow,
  providerSettingsShape,
  type ProviderDefinition,
} from '@kit/core/provider-utils';
import { defineOpenAICompatibleProvider } from '@kit/openai-compatible';
import * as z from 'zod/mini';
import { refineOpenRouterError } from './openrouter-errors';
import { parseOpenRouterModels } from './openrouter-models';
import { validateOpenRouterProviderOptions } from './openrouter-provider-options';
import { addReasoningDetails } from './openrouter-reasoning-details';
import { createOpenRouterStreamMapper, parseOpenRouterChatResponse } from './openrouter-stream-mapper';
import { readOpenRouterKeyHealth } from './openrouter-key-health';

/** OpenRouter's API. */
export const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';
/** The environment variable read for the key when neither `apiKey` nor `credentials` is given. */
export const OPENROUTER_API_KEY_ENV_VAR = 'OPENROUTER_API_KEY';
/** OpenRouter's Auto Router: it picks a model for each prompt. Pass `defaultModel` or a per-call `model` to choose. */
export const OPENROUTER_DEFAULT_MODEL = 'openrouter/auto';

/** Strict: an unknown key is an `invalid_config` error naming it. (A pure IIFE: unused, it is shaken out.) */
export const openRouterSettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /** Your app's URL, sent as `HTTP-Referer`: OpenRouter attributes the requests to it (rankings, activity). Default: none. */
    siteUrl: z.optional(httpURLSchema()),
    /** Your app's name, sent as `X-Title`. Default: none. */
    appName: z.optional(nonEmptyStringSchema().check(z.regex(/^[^\r\n]*$/, { error: 'must be one line' }))),
  }))();

/** Settings of `createOpenRouter`: the common ones plus the app attribution (`siteUrl`, `appName`). */
export type OpenRouterSettings = z.infer<typeof openRouterSettingsSchema>;

const capabilities = { streaming: true, tools: true, vision: true, reasoning: true, json: true };

/** Served by `getModels()` when `GET /models` cannot be reached. */
export const openRouterFallbackModels: readonly ModelInfo[] = [{ id: OPENROUTER_DEFAULT_MODEL, name: 'Auto Router', provider: 'openrouter', capabilities }];

/** Options of `defineOpenRouterProvider` (`createOpenRouter` takes them from its settings). */
export interface OpenRouterDefinitionOptions {
  /** Sent as `HTTP-Referer`. */
  siteUrl?: string;
  /** Sent as `X-Title`. */
  appName?: string;
  /** Instance name (the `provider` of the fallback models and the listed ones); default `openrouter`. */
  name?: string;
}

/**
 * OpenRouter's wire definition: the OpenAI dialect at `https://openrouter.ai/api/v1` plus OpenRouter's additions —
 * the attribution headers, `providerOptions.openrouter` checked strictly, `reasoning_details` both ways, the reported
 * cost in `usage.cost`, mid-stream errors (`finish_reason: "error"`), its error metadata, its model list with
 * pricing, and `GET /key` as the health check (never sent before a request).
 */
export function defineOpenRouterProvider(options: OpenRouterDefinitionOptions = {}): ProviderDefinition {
  const headers: Record<string, string> = {};
  if (options.siteUrl) headers['http-referer'] = options.siteUrl;
  if (options.appName) headers['x-title'] = options.appName;
  const definition = defineOpenAICompatibleProvider({
    type: 'openrouter',
    name: options.name,
    defaultBaseURL: OPENROUTER_BASE_URL,
    defaultModel: OPENROUTER_DEFAULT_MODEL,
    apiKeyEnvVar: OPENROUTER_API_KEY_ENV_VAR,
    capabilities: { vision: true, documents: true, audio: true, reasoning: true },
    fallbackModels: openRouterFallbackModels.map((model) => ({ ...model, provider: options.name ?? model.provider })),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    transformRequestBody: (body, resolved) => addReasoningDetails(body, resolved.messages),
    refineError: refineOpenRouterError,
  });
  return {
    ...definition,
    chat: { ...definition.chat, createStreamMapper: createOpenRouterStreamMapper, parseResponse: parseOpenRouterChatResponse },
    models: { request: { path: '/models', method: 'GET' }, parse: parseOpenRouterModels },
    healthCheckRequest: { path: '/key', method: 'GET' },
    readHealth: readOpenRouterKeyHealth,
    validateProviderOptions: (providerOptions) => {
      validateOpenRouterProviderOptions(providerOptions, options.name ?? 'openrouter');
    },
  };
}

/**
 * The OpenRouter provider (`https://openrouter.ai/api/v1`, OpenAI wire format): one key for hundreds of models.
 * Key from `OPENROUTER_API_KEY` unless `apiKey` or `credentials` (e.g. a `KeyManager`) is given; `siteUrl` /
 * `appName` attribute the requests to your app. Per call, `providerOptions.openrouter` takes `models` (server-side
 * fallback), `provider` (routing), `reasoning` and `usage`.
 *
 * @example
 * const openrouter = createOpenRouter({ appName: 'My App', defaultModel: 'anthropic/claude-sonnet-4.5' });
 * const answer = await openrouter.complete({
 *   prompt: 'Why is the sky blue?',
 *   providerOptions: { openrouter: { models: ['openai/gpt-5-mini'], reasoning: { effort: 'low' } } },
 * });
 * console.log(answer.text, answer.usage.cost);
 */
export function createOpenRouter(settings: OpenRouterSettings = {}): Provider {
  const { siteUrl, appName, ...common } = parseOrThrow(openRouterSettingsSchema, settings ?? {}, 'invalid_config', {
    what: 'invalid openrouter settings',
    provider: 'openrouter',
  });
  return createChatProvider(defineOpenRouterProvider({ siteUrl, appName, name: common.name }), common);
}
