import { compact } from '@kit/core/provider-utils';
import type { ResolvedGenerateOptions } from '@kit/core/provider-utils';
import { convertToOpenAIMessages, type OpenAIMessage, type ReasoningReplay } from './convert-to-openai-messages';
import { functionOf, invalidRequest } from './wire';

/** The body of `POST /chat/completions`. Fields beyond the typed ones come from `providerOptions` or a thin layer. */
export interface OpenAIChatBody {
  model: string;
  messages: OpenAIMessage[];
  [field: string]: unknown;
}

/** The body field that carries `maxTokens`: the same for every model of a provider, never guessed from a model name. */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/** What a dialect instance adds to the generic request mapping. */
export interface OpenAIChatRequestConfig {
  /** The provider type: `providerOptions[type]` is merged into the body. */
  type: string;
  /** Which field carries `maxTokens` (default `max_tokens`). */
  maxTokensField?: MaxTokensField;
  /** How assistant reasoning parts are sent back (default `'drop'`). */
  reasoningReplay?: ReasoningReplay;
  /** Lets a thin layer add or change fields; runs before `providerOptions` are merged. */
  transformRequestBody?: (body: OpenAIChatBody, options: ResolvedGenerateOptions) => OpenAIChatBody;
}

/**
 * Checks the `providerOptions` of an OpenAI-dialect provider: a plain object of extra body fields
 * (`reasoning_effort`, `parallel_tool_calls`, `user`, …) that may not replace the fields core owns
 * (`model`, `messages`, `stream`) nor ask for more than one choice (`n`).
 */
export function validateOpenAIProviderOptions(options: unknown, provider: string, key: string): Record<string, unknown> {
  const field = `providerOptions.${key}`;
  const fields = options as Record<string, unknown>;
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return invalidRequest(provider, field, 'must be an object');
  // `model`, `messages` and `stream` are core's to set, and so is `n`: one choice per call.
  for (const name in fields) {
    if (/^(model|messages|stream)$/.test(name) || (name === 'n' && (fields.n ?? 1) !== 1)) invalidRequest(provider, `${field}.${name}`, 'is set by @kit');
  }
  return fields;
}

/** Maps resolved options (validated by core) to an OpenAI chat request body. Unset knobs are not sent. */
export function buildOpenAIChatBody(options: ResolvedGenerateOptions, config: OpenAIChatRequestConfig, provider: string): OpenAIChatBody {
  const { model, toolChoice, responseFormat: format } = options;
  if (!model) invalidRequest(provider, 'model', 'is required (pass model, or set defaultModel)');
  const maxTokensField = config.maxTokensField ?? 'max_tokens';
  // `compact` leaves out what is unset, empty tool and stop lists included. (Fixed keys: a computed key or a spread
  // in this literal makes every call build it the slow way.)
  let body: OpenAIChatBody = compact({
    model,
    messages: convertToOpenAIMessages(options.messages, provider, { reasoningReplay: config.reasoningReplay }),
    tools: options.tools?.map((tool) => functionOf(compact({ ...tool }))),
    tool_choice: typeof toolChoice === 'object' ? functionOf({ name: toolChoice.name }) : toolChoice,
    temperature: options.temperature,
    top_p: options.topP,
    stop: options.stop,
    seed: options.seed,
    max_tokens: maxTokensField === 'max_tokens' ? options.maxTokens : undefined,
    max_completion_tokens: maxTokensField === 'max_completion_tokens' ? options.maxTokens : undefined,
    response_format:
      format?.type === 'json'
        ? { type: 'json_object' }
        : format?.type === 'json-schema'
          ? { type: 'json_schema', json_schema: compact({ name: format.name ?? 'response', schema: format.schema, strict: format.strict }) }
          : undefined,
    // Streams ask for the usage chunk, sent after the finish reason.
    stream: options.stream || undefined,
    stream_options: options.stream ? { include_usage: true } : undefined,
  });
  if (config.transformRequestBody) body = config.transformRequestBody(body, options);
  // `providerOptions[type]` goes last, so it wins; an instance name (`groq`, `my-vllm`) works as the key too.
  const { providerOptions } = options;
  if (providerOptions) {
    for (const key of config.type === provider ? [provider] : [config.type, provider]) {
      const extras = providerOptions[key];
      if (extras !== undefined) Object.assign(body, validateOpenAIProviderOptions(extras, provider, key));
    }
  }
  return body;
}
