import { KitError, type ResolvedGenerateOptions, type ToolChoice, type ToolDefinition } from '@kit/core';
import { convertToOpenAIMessages, type OpenAIMessage } from './convert-to-openai-messages';

/** The body of `POST /chat/completions`. Fields beyond the typed ones come from `providerOptions` or a thin layer. */
export interface OpenAIChatBody {
  model: string;
  messages: OpenAIMessage[];
  [field: string]: unknown;
}

export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/** What a dialect instance adds to the generic request mapping. */
export interface OpenAIChatRequestConfig {
  /** The provider type: `providerOptions[type]` is merged into the body. */
  type: string;
  /** Which field carries `maxTokens` for a model (default `max_tokens`). */
  maxTokensField?: (model: string) => MaxTokensField;
  /** Lets a thin layer add or change fields; runs before `providerOptions` are merged. */
  transformRequestBody?: (body: OpenAIChatBody, options: ResolvedGenerateOptions) => OpenAIChatBody;
}

// Fields core owns: the model is chosen by core, the framing by `stream`, the history by `messages`.
const reservedFields = new Set(['model', 'messages', 'stream']);

function invalid(provider: string, field: string, problem: string): never {
  throw new KitError('invalid_request', `${provider}: ${field}: ${problem}`, { provider });
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the `providerOptions` of an OpenAI-dialect provider: a plain object of extra body fields
 * (`reasoning_effort`, `parallel_tool_calls`, `user`, …) that may not replace the fields core owns.
 */
export function validateOpenAIProviderOptions(options: unknown, provider: string, key: string): Record<string, unknown> {
  const field = `providerOptions.${key}`;
  if (!isPlainObject(options)) return invalid(provider, field, 'must be an object of extra request fields');
  for (const name of Object.keys(options)) {
    if (reservedFields.has(name)) invalid(provider, `${field}.${name}`, `is set by @kit (use the "${name}" option)`);
  }
  if (options.n !== undefined && options.n !== 1) invalid(provider, `${field}.n`, 'only one choice (n: 1) is supported');
  return options;
}

const convertTools = (tools: readonly ToolDefinition[]) =>
  tools.map(({ name, description, parameters }) => ({
    type: 'function' as const,
    function: description ? { name, description, parameters } : { name, parameters },
  }));

const convertToolChoice = (choice: ToolChoice) => (typeof choice === 'string' ? choice : { type: 'function' as const, function: { name: choice.name } });

/** Maps resolved options (validated by core) to an OpenAI chat request body. Unset knobs are not sent. */
export function buildOpenAIChatBody(options: ResolvedGenerateOptions, config: OpenAIChatRequestConfig, provider: string): OpenAIChatBody {
  let body: OpenAIChatBody = { model: options.model, messages: convertToOpenAIMessages(options.messages, provider) };
  if (options.tools && options.tools.length > 0) body.tools = convertTools(options.tools);
  if (options.toolChoice !== undefined) body.tool_choice = convertToolChoice(options.toolChoice);
  if (options.temperature != null) body.temperature = options.temperature;
  if (options.topP != null) body.top_p = options.topP;
  if (options.stop && options.stop.length > 0) body.stop = options.stop;
  if (options.seed != null) body.seed = options.seed;
  if (options.maxTokens != null) body[config.maxTokensField?.(options.model) ?? 'max_tokens'] = options.maxTokens;
  const format = options.responseFormat;
  if (format?.type === 'json') body.response_format = { type: 'json_object' };
  else if (format?.type === 'json-schema') {
    const jsonSchema: Record<string, unknown> = { name: format.name ?? 'response', schema: format.schema };
    if (format.strict !== undefined) jsonSchema.strict = format.strict;
    body.response_format = { type: 'json_schema', json_schema: jsonSchema };
  }
  if (options.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (config.transformRequestBody) body = config.transformRequestBody(body, options);
  const extras = options.providerOptions?.[config.type];
  if (extras !== undefined) Object.assign(body, validateOpenAIProviderOptions(extras, provider, config.type));
  // An instance name (`groq`, `my-vllm`) also works as the key, so presets read naturally.
  if (provider !== config.type) {
    const byName = options.providerOptions?.[provider];
    if (byName !== undefined) Object.assign(body, validateOpenAIProviderOptions(byName, provider, provider));
  }
  return body;
}
