import type { ToolChoice } from '@kit/core';
import {
  atLeast,
  compact,
  integerSchema,
  isRecord,
  nonEmptyStringSchema,
  parseOrThrow,
  type ResolvedGenerateOptions,
  type WireRequest,
} from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import { defaultMaxTokens } from './anthropic-models';
import { convertToAnthropicMessages, type AnthropicCacheControl, type AnthropicMessage, type AnthropicPrompt } from './convert-to-anthropic-messages';

/**
 * `providerOptions.anthropic`. The named options are checked; any other field is sent as a Messages API body field
 * as it is (`metadata`, `service_tier`, `output_config`, …), so that new API features need no new release.
 */
function createProviderOptionsSchema() {
  const ttl = z.optional(z.enum(['5m', '1h']));
  const setByKit = z.optional(z.never({ error: 'is set by @kit' }));
  return z.looseObject({
    /** Extended or adaptive thinking, as the API takes it: `{ type: 'enabled', budget_tokens: 4000 }`, `{ type: 'adaptive' }`. */
    thinking: z.optional(
      z.custom<{ type: string; [field: string]: unknown }>((value) => isRecord(value) && typeof value.type === 'string', {
        error: 'must be an object with a string "type"',
      }),
    ),
    /** Beta features for this call (`anthropic-beta`), joined with the provider's `beta` setting. */
    beta: z.optional(z.array(nonEmptyStringSchema())),
    /** Only sample from the top K options for each token. */
    topK: z.optional(integerSchema().check(atLeast(0, true))),
    /**
     * Prompt-caching breakpoints (`cache_control`): `{ message, part?, ttl? }` (a message's last block, or one part;
     * `message` counts the messages as sent, `system` first when given; negative counts from the end, `-1` the last)
     * or `{ tools: true, ttl? }` (the last tool definition).
     */
    cacheControl: z.optional(
      z.array(
        z.union(
          [
            z.strictObject({ tools: z.literal(true), ttl }),
            z.strictObject({ message: integerSchema(), part: z.optional(integerSchema().check(atLeast(0))), ttl }),
          ],
          {
            error: 'must be { message, part?, ttl? } or { tools: true, ttl? }',
          },
        ),
      ),
    ),
    /** At most one tool call per answer. */
    disableParallelToolUse: z.optional(z.boolean()),
    // Core's to set.
    model: setByKit,
    messages: setByKit,
    system: setByKit,
    stream: setByKit,
  });
}

/** `providerOptions.anthropic`: Anthropic's own knobs; any other field goes into the request body as it is. */
export type AnthropicProviderOptions = z.infer<ReturnType<typeof createProviderOptionsSchema>>;

/** Where a prompt-caching breakpoint goes: a message (its last block, or one part), or the last tool definition. */
export type AnthropicCacheBreakpoint = NonNullable<AnthropicProviderOptions['cacheControl']>[number];

/** Built on first use, so that an app which never passes `providerOptions.anthropic` does not pay for it. */
let providerOptionsSchema: ReturnType<typeof createProviderOptionsSchema> | undefined;

/** Checks `providerOptions.anthropic`; a bad field is an `invalid_request` error naming it. */
export function validateAnthropicProviderOptions(options: unknown, provider = 'anthropic'): AnthropicProviderOptions {
  providerOptionsSchema ??= createProviderOptionsSchema();
  return parseOrThrow(providerOptionsSchema, options, 'invalid_request', {
    what: `${provider}: invalid options`,
    provider,
    prefix: 'providerOptions.anthropic',
  });
}

export interface AnthropicToolDefinition {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  cache_control?: AnthropicCacheControl;
}

/** The body of `POST /messages`. Fields beyond the typed ones come from `providerOptions.anthropic`. */
export interface AnthropicMessagesBody extends AnthropicPrompt {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  [field: string]: unknown;
}

function wireToolChoice(choice: ToolChoice | undefined, disableParallelToolUse: boolean | undefined) {
  const type = typeof choice === 'object' ? 'tool' : choice === 'required' ? 'any' : (choice ?? 'auto');
  return compact({ type, name: typeof choice === 'object' ? choice.name : undefined, disable_parallel_tool_use: disableParallelToolUse });
}

/**
 * Maps resolved options (validated by core) to a `POST /messages` request. Unset knobs are not sent, except
 * `max_tokens`, which the API requires: the model's output limit, else 4096. `seed` has no Anthropic equivalent
 * and is not sent; `responseFormat: json-schema` becomes the native `output_config.format`.
 */
export function buildAnthropicRequest(options: ResolvedGenerateOptions, provider: string, settingsBeta: readonly string[] = []): WireRequest {
  const { model, tools, responseFormat: format } = options;
  const {
    thinking,
    beta = [],
    topK,
    cacheControl = [],
    disableParallelToolUse,
    ...extra
  } = (options.providerOptions?.anthropic ?? {}) as AnthropicProviderOptions;
  const count = options.messages.length;
  const breakpoint = (match: (point: AnthropicCacheBreakpoint) => boolean): AnthropicCacheControl | undefined => {
    const point = cacheControl.find(match);
    return point && compact({ type: 'ephemeral' as const, ttl: point.ttl });
  };
  const prompt = convertToAnthropicMessages(options.messages, provider, (message, part) =>
    breakpoint((point) => 'message' in point && (point.message < 0 ? count + point.message : point.message) === message && point.part === part),
  );
  const toolsCache = breakpoint((point) => 'tools' in point);
  const outputConfig = extra.output_config as Record<string, unknown> | undefined;
  const body: AnthropicMessagesBody = compact({
    model,
    max_tokens: options.maxTokens ?? defaultMaxTokens(model),
    ...prompt,
    tools: tools?.map(
      ({ name, description, parameters }, index): AnthropicToolDefinition =>
        compact({ name, description, input_schema: parameters, cache_control: index === tools.length - 1 ? toolsCache : undefined }),
    ),
    tool_choice: tools?.length ? wireToolChoice(options.toolChoice, disableParallelToolUse) : undefined,
    temperature: options.temperature,
    top_p: options.topP,
    top_k: topK,
    stop_sequences: options.stop,
    thinking,
    ...extra,
    // Native structured output: constrained decoding, works with thinking and streams as text. `json` without a
    // schema has no Anthropic equivalent and is not sent (no instruction is ever added to the prompt).
    output_config: format?.type === 'json-schema' ? { ...outputConfig, format: { type: 'json_schema', schema: format.schema } } : outputConfig,
    stream: options.stream || undefined,
  });
  const betas = [...new Set([...settingsBeta, ...beta])];
  return { path: '/messages', body, ...(betas.length > 0 && { headers: { 'anthropic-beta': betas.join(',') } }) };
}
