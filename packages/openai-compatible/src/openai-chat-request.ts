import { compact, isSet } from '@kit/core/provider-utils';
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
  // Unset knobs are not sent: each field is set by its own line when it has a value (a literal of every field
  // passed through `compact` cost a generic copy, key by key, on every call).
  let body: OpenAIChatBody = { model, messages: convertToOpenAIMessages(options.messages, provider, { reasoningReplay: config.reasoningReplay }) };
  const tools = options.tools?.map((tool) => functionOf(compact({ ...tool })));
  if (isSet(tools)) body.tools = tools;
  if (isSet(toolChoice)) body.tool_choice = typeof toolChoice === 'object' ? functionOf({ name: toolChoice.name }) : toolChoice;
  if (isSet(options.temperature)) body.temperature = options.temperature;
  if (isSet(options.topP)) body.top_p = options.topP;
  if (isSet(options.stop)) body.stop = options.stop;
  if (isSet(options.seed)) body.seed = options.seed;
  if (isSet(options.maxTokens)) body[maxTokensField] = options.maxTokens;
  if (format?.type === 'json') body.response_format = { type: 'json_object' };
  else if (format?.type === 'json-schema') {
    body.response_format = { type: 'json_schema', json_schema: compact({ name: format.name ?? 'response', schema: format.schema, strict: format.strict }) };
  }
  if (options.stream) {
    body.stream = true;
    // Streams ask for the usage chunk, sent after the finish reason.
    body.stream_options = { include_usage: true };
  }
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
