import type { JSONSchema } from '@kit/core';
import { atLeast, atMost, compact, integerSchema, isRecord, parseOrThrow, type ResolvedGenerateOptions } from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import { convertToOllamaMessages, type OllamaMessage } from './convert-to-ollama-messages';
import { keepAliveSchema } from './ollama-settings';

/**
 * Ollama-only knobs, passed as `providerOptions.ollama`. Strict: an unknown key is an `invalid_request` error naming
 * it. The named model options go into the request's `options` under their wire names (`numCtx` → `num_ctx`);
 * `options` passes any other Modelfile parameter as it is.
 */
export const ollamaProviderOptionsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    /** `think`: `true`/`false`, or an effort (`'low' | 'medium' | 'high'`, gpt-oss). Thinking arrives as `reasoning-delta`. */
    think: z.optional(z.union([z.boolean(), z.enum(['low', 'medium', 'high'])])),
    /** `keep_alive` for this request (wins over the `keepAlive` setting). */
    keepAlive: z.optional(keepAliveSchema()),
    /** `options.num_ctx`: the context window to load the model with (Ollama's default is small). */
    numCtx: z.optional(integerSchema().check(atLeast(0, true))),
    /** `options.top_k`. */
    topK: z.optional(integerSchema().check(atLeast(0, true))),
    /** `options.min_p`. */
    minP: z.optional(z.number().check(atLeast(0), atMost(1))),
    /** `options.repeat_penalty`. */
    repeatPenalty: z.optional(z.number()),
    /** `options.repeat_last_n`. */
    repeatLastN: z.optional(integerSchema().check(atLeast(-1))),
    /** `options.presence_penalty`. */
    presencePenalty: z.optional(z.number()),
    /** `options.frequency_penalty`. */
    frequencyPenalty: z.optional(z.number()),
    /** Any other Modelfile parameter (`num_gpu`, `mirostat`, …), sent in `options` as written. */
    options: z.optional(z.custom<Record<string, unknown>>(isRecord, { error: 'must be an object of Ollama model options' })),
  }))();

/** Ollama-only knobs, passed as `providerOptions.ollama`. */
export type OllamaProviderOptions = z.infer<typeof ollamaProviderOptionsSchema>;

/** Checks `providerOptions.ollama`; throws `KitError('invalid_request')` naming the bad field. */
export function validateOllamaProviderOptions(options: unknown, provider = 'ollama'): OllamaProviderOptions {
  return parseOrThrow(ollamaProviderOptionsSchema, options, 'invalid_request', { what: 'invalid options', provider, prefix: 'providerOptions.ollama' });
}

/** A tool as `/api/chat` takes it. */
export interface OllamaTool {
  type: 'function';
  function: { name: string; description?: string; parameters: JSONSchema };
}

/** The body of `POST /api/chat`. */
export interface OllamaChatBody {
  model: string;
  messages: OllamaMessage[];
  /** Always sent: Ollama streams unless told `false`. */
  stream: boolean;
  tools?: OllamaTool[];
  /** `'json'` or a JSON Schema. */
  format?: 'json' | JSONSchema;
  options?: Record<string, unknown>;
  think?: boolean | 'low' | 'medium' | 'high';
  keep_alive?: string | number;
}

/**
 * Maps resolved options to `POST /api/chat`. Unset knobs are not sent; `maxTokens` is `options.num_predict`.
 * Ollama has no `tool_choice`: `'none'` sends no tools, `{ name }` sends only that tool, `'required'` cannot be
 * enforced (the tools are sent as for `'auto'`).
 */
export function buildOllamaRequest(options: ResolvedGenerateOptions, provider: string, defaultKeepAlive?: string | number): OllamaChatBody {
  const own = (options.providerOptions?.ollama ?? {}) as OllamaProviderOptions;
  const { toolChoice, responseFormat: format } = options;
  const chosen = typeof toolChoice === 'object' ? options.tools?.filter((tool) => tool.name === toolChoice.name) : options.tools;
  const tools =
    toolChoice === 'none'
      ? undefined
      : chosen?.map(({ name, description, parameters }): OllamaTool => ({ type: 'function', function: compact({ name, description, parameters }) }));
  const named = compact({
    temperature: options.temperature,
    top_p: options.topP,
    top_k: own.topK,
    min_p: own.minP,
    seed: options.seed,
    stop: options.stop,
    num_predict: options.maxTokens,
    num_ctx: own.numCtx,
    repeat_penalty: own.repeatPenalty,
    repeat_last_n: own.repeatLastN,
    presence_penalty: own.presencePenalty,
    frequency_penalty: own.frequencyPenalty,
  });
  // The named knobs win over the same parameter written in `options`.
  const modelOptions = { ...own.options, ...named };
  return compact({
    model: options.model,
    messages: convertToOllamaMessages(options.messages, provider),
    stream: options.stream,
    tools,
    format: format?.type === 'json' ? ('json' as const) : format?.type === 'json-schema' ? format.schema : undefined,
    options: Object.keys(modelOptions).length > 0 ? modelOptions : undefined,
    think: own.think,
    keep_alive: own.keepAlive ?? defaultKeepAlive,
  });
}
