import type { ChatMessage } from './chat-message';
import type { GenerateOptions, ResolvedGenerateOptions } from './generate-options';
import { KitError } from './kit-error';
import {
  array,
  boolean,
  custom,
  discriminated,
  literal,
  number,
  optional,
  record,
  strictObject,
  string,
  type Schema,
} from './schema';
import { parseOrThrow } from './validate';

const mediaSource = discriminated('type', {
  base64: strictObject({ type: literal('base64'), mediaType: string({ min: 1 }), data: string({ min: 1 }) }),
  url: strictObject({ type: literal('url'), url: string({ min: 1 }), mediaType: optional(string()) }),
});

const contentPart = discriminated('type', {
  text: strictObject({ type: literal('text'), text: string() }),
  image: strictObject({ type: literal('image'), source: mediaSource }),
  document: strictObject({ type: literal('document'), source: mediaSource, title: optional(string()) }),
  audio: strictObject({ type: literal('audio'), source: mediaSource }),
  reasoning: strictObject({ type: literal('reasoning'), text: string(), signature: optional(string()) }),
});

const toolCall = strictObject({ id: string({ min: 1 }), name: string({ min: 1 }), arguments: string() });

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

const contentParts = array(contentPart);

/** A string, or an array of content parts (whose own issues are reported field by field). */
const content = custom<string | unknown[]>(
  (input) => typeof input === 'string' || Array.isArray(input),
  'must be a string or an array of content parts',
  (input, path, issues) => {
    if (Array.isArray(input)) contentParts.check(input, path, issues);
  },
);

const message = strictObject({
  role: literal('system', 'user', 'assistant', 'tool'),
  content,
  toolCalls: optional(array(toolCall)),
  toolCallId: optional(string({ min: 1 })),
  name: optional(string()),
});

const tool = strictObject({
  name: string({ pattern: /^[A-Za-z0-9_.:-]{1,128}$/, format: 'tool name' }),
  description: optional(string()),
  parameters: custom<Record<string, unknown>>(isObject, 'must be a JSON Schema object'),
});

const responseFormat = discriminated('type', {
  text: strictObject({ type: literal('text') }),
  json: strictObject({ type: literal('json') }),
  'json-schema': strictObject({
    type: literal('json-schema'),
    schema: custom<Record<string, unknown>>(isObject, 'must be a JSON Schema object'),
    name: optional(string({ min: 1 })),
    strict: optional(boolean()),
  }),
});

const generateOptionsSchema = strictObject({
  model: optional(string({ min: 1 })),
  messages: optional(array(message)),
  prompt: optional(string()),
  system: optional(string()),
  tools: optional(array(tool)),
  toolChoice: optional(
    custom(
      (input) => ['auto', 'none', 'required'].includes(input as string) || (isObject(input) && Object.keys(input as object).join() === 'name' && typeof (input as { name: unknown }).name === 'string'),
      'must be "auto", "none", "required" or { name }',
    ),
  ),
  maxTokens: optional(number({ int: true, positive: true })),
  temperature: optional(number({ min: 0, max: 2 })),
  topP: optional(number({ min: 0, max: 1 })),
  stop: optional(array(string())),
  seed: optional(number({ int: true })),
  responseFormat: optional(responseFormat),
  stream: optional(boolean()),
  signal: optional(custom<AbortSignal>((value) => isObject(value) && typeof (value as AbortSignal).aborted === 'boolean', 'must be an AbortSignal')),
  headers: optional(record(string())),
  timeoutMs: optional(number({ int: true, positive: true })),
  deadlineMs: optional(number({ int: true, positive: true })),
  maxRetries: optional(number({ int: true, min: 0, max: 10 })),
  metadata: optional(custom<Record<string, unknown>>(isObject, 'must be an object')),
  providerOptions: optional(record(custom<Record<string, unknown>>(isObject, 'must be an object'))),
}) as Schema<GenerateOptions>;

/**
 * Validates call options (unknown keys and bad values → `invalid_request` naming the field) and resolves them:
 * `system` prepended, `prompt` used when `messages` is empty, the model chosen, `stream` defaulted.
 */
export function resolveGenerateOptions(
  options: GenerateOptions,
  context: { provider: string; defaultModel: string; defaultStream: boolean },
): ResolvedGenerateOptions {
  const valid = parseOrThrow(generateOptionsSchema, options, 'invalid_request', { what: 'invalid options', provider: context.provider });
  const messages: ChatMessage[] = valid.messages && valid.messages.length > 0 ? [...valid.messages] : [];
  if (messages.length === 0 && valid.prompt !== undefined && valid.prompt !== '') messages.push({ role: 'user', content: valid.prompt });
  if (messages.length === 0) {
    throw new KitError('invalid_request', 'messages: provide `messages` or `prompt` (both are empty)', { provider: context.provider });
  }
  messages.forEach((item, index) => {
    if (item.role === 'tool' && !item.toolCallId) {
      throw new KitError('invalid_request', `messages[${index}].toolCallId: is required for a tool message`, { provider: context.provider });
    }
  });
  if (valid.system !== undefined && valid.system !== '') messages.unshift({ role: 'system', content: valid.system });
  const { prompt: _prompt, system: _system, messages: _messages, ...rest } = valid;
  return { ...rest, model: valid.model ?? context.defaultModel, messages, stream: valid.stream ?? context.defaultStream };
}
