import * as z from 'zod/mini';
import type { ChatMessage, JSONSchema, ToolInputError } from './chat-message';
import type { GenerateOptions, ResolvedGenerateOptions, ResolvedToolDefinition } from './generate-options';
import { KitError } from './kit-error';
import { atLeast, atMost, durationMsSchema, headersSchema, integerSchema, nonEmptyStringSchema, patternStringSchema, recordSchema } from './setting-schemas';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema';
import { standardSchemaToJSONSchema } from './standard-schema-to-json-schema';
import { isPlainObject, parseOrThrow } from './validate';
import { isRecord } from './is-record';

/** A Standard Schema, or a JSON Schema written as an object literal (a class instance such as a zod 3 schema is none). */
const isSchema = (value: unknown) => isStandardSchema(value) || isPlainObject(value);
const schemaMessage = 'must be a JSON Schema object or a Standard Schema (a zod schema, for example)';

/**
 * The schemas of call options (user input: strict, every unknown key is an error). The types of `GenerateOptions`,
 * `ChatMessage` and their parts are inferred from them. Built by one pure call, so that an app which never calls a
 * provider (one that imports `KitError` only) drops them.
 */
function createCallOptionsSchemas() {
  // Parts, sources and formats are unions of objects told apart by `type`: plain `z.union`s, not
  // `z.discriminatedUnion`s, which would add 0.48 KB min+gzip to every app; `parseOrThrow` names the field and its
  // accepted values the same way (`type: must be one of "text", "image", …`).
  const mediaSource = z.union([
    z.strictObject({ type: z.literal('base64'), mediaType: nonEmptyStringSchema(), data: nonEmptyStringSchema() }),
    z.strictObject({ type: z.literal('url'), url: nonEmptyStringSchema(), mediaType: z.optional(z.string()) }),
  ]);

  const contentPart = z.union([
    z.strictObject({ type: z.literal('text'), text: z.string() }),
    z.strictObject({ type: z.literal('image'), source: mediaSource }),
    z.strictObject({ type: z.literal('document'), source: mediaSource, title: z.optional(z.string()) }),
    z.strictObject({ type: z.literal('audio'), source: mediaSource }),
    /** Assistant replay of a thinking block; `signature` is returned to providers that sign their reasoning. */
    z.strictObject({ type: z.literal('reasoning'), text: z.string(), signature: z.optional(z.string()) }),
  ]);

  const toolCall = z.strictObject({
    id: nonEmptyStringSchema(),
    name: nonEmptyStringSchema(),
    /** The complete JSON text of the arguments, as the model produced it. */
    arguments: z.string(),
    /**
     * The parsed arguments: validated (and typed, transformed) by the tool's schema when its `parameters` is a
     * Standard Schema. When `inputError` is set, the unvalidated parsed value (or nothing, if it was not JSON).
     */
    input: z.optional(z.custom<unknown>()),
    /** Why `arguments` is not valid input: not JSON, not an object, or refused by the tool's schema. */
    inputError: z.optional(
      z.custom<ToolInputError>((value) => isRecord(value) && typeof value.message === 'string', { error: 'must be { message, issues? }' }),
    ),
  });

  const message = z.strictObject({
    role: z.literal(['system', 'user', 'assistant', 'tool']),
    content: z.union([z.string(), z.array(contentPart)], { error: 'must be a string or an array of content parts' }),
    toolCalls: z.optional(z.array(toolCall)),
    /** For `role: 'tool'`: the id of the call this message answers. */
    toolCallId: z.optional(nonEmptyStringSchema()),
    name: z.optional(z.string()),
  });

  const tool = z.strictObject({
    name: patternStringSchema(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be a tool name: 1 to 128 letters, digits, _ . : or -'),
    description: z.optional(z.string()),
    /**
     * What the tool takes: a JSON Schema, or any Standard Schema (zod 4, Valibot, ArkType…) that can describe itself
     * as JSON Schema. With a Standard Schema, `ToolCall.input` is validated by it.
     */
    parameters: z.custom<JSONSchema | StandardSchemaV1>(isSchema, { error: schemaMessage }),
  });

  const toolChoice = z.union([z.literal(['auto', 'none', 'required']), z.strictObject({ name: nonEmptyStringSchema() })], {
    error: 'must be "auto", "none", "required" or { name }',
  });

  const responseFormat = z.union([
    z.strictObject({ type: z.literal('text') }),
    z.strictObject({ type: z.literal('json') }),
    z.strictObject({
      type: z.literal('json-schema'),
      /** The answer's shape: a JSON Schema, or a Standard Schema that validates `ChatCompletion.object`. */
      schema: z.custom<JSONSchema | StandardSchemaV1>(isSchema, { error: schemaMessage }),
      name: z.optional(nonEmptyStringSchema()),
      strict: z.optional(z.boolean()),
    }),
  ]);

  const generateOptions = z.strictObject({
    model: z.optional(nonEmptyStringSchema()),
    messages: z.optional(z.array(message)),
    /** Shortcut for one user message; used only when `messages` is empty. */
    prompt: z.optional(z.string()),
    /** Prepended as a system message. */
    system: z.optional(z.string()),
    tools: z.optional(z.array(tool)),
    toolChoice: z.optional(toolChoice),
    maxTokens: z.optional(integerSchema().check(atLeast(0, true))),
    temperature: z.optional(z.number().check(atLeast(0), atMost(2))),
    topP: z.optional(z.number().check(atLeast(0), atMost(1))),
    stop: z.optional(z.array(z.string())),
    seed: z.optional(integerSchema()),
    /** Plain text, any JSON, or JSON of a schema (`ChatCompletion.object` then holds the parsed answer). */
    responseFormat: z.optional(responseFormat),
    /** SSE on the wire (default `true`); with `false` the single JSON answer is replayed as events. */
    stream: z.optional(z.boolean()),
    signal: z.optional(
      z.custom<AbortSignal>((value) => isRecord(value) && typeof (value as { aborted?: unknown }).aborted === 'boolean', {
        error: 'must be an AbortSignal',
      }),
    ),
    /** Sent with this call only (over the provider's `headers`). */
    headers: z.optional(headersSchema()),
    /** Per-attempt timeout; for streams the first-byte and between-chunk timeout. */
    timeoutMs: z.optional(durationMsSchema()),
    /** Bound of the whole call, retries and waits included. Default `timeoutMs × (maxRetries + 1)`. */
    deadlineMs: z.optional(durationMsSchema()),
    /** Per-call override of the provider's `maxRetries`. */
    maxRetries: z.optional(integerSchema().check(atLeast(0), atMost(10))),
    /**
     * Re-send a non-streaming request that timed out (default `false`): the upstream may still be generating that
     * answer, and a re-sent request is generated — and billed — again.
     */
    resendOnTimeout: z.optional(z.boolean()),
    metadata: z.optional(z.custom<Record<string, unknown>>(isRecord, { error: 'must be an object' })),
    /** Provider-specific extras, keyed by provider type: `{ openai: { ... } }`. Checked by that provider. */
    providerOptions: z.optional(recordSchema(() => true, '', z.custom<Record<string, unknown>>(isRecord, { error: 'must be an object' }))),
  });

  return { mediaSource, contentPart, toolCall, message, tool, toolChoice, responseFormat, generateOptions };
}

/** The call-option schemas (types only outside this file: see `chat-message.ts`, `generate-options.ts`). */
export const callOptionsSchemas = /* @__PURE__ */ createCallOptionsSchemas();

/** Call options that `resolveGenerateOptions` resolves into other fields (or leaves out) rather than copies. */
const resolvedApart = /* @__PURE__ */ new Set(['prompt', 'system', 'messages', 'tools', 'responseFormat', 'model', 'stream']);

/**
 * Validates call options (unknown keys and bad values → `invalid_request` naming the field) and resolves them:
 * `system` prepended, `prompt` used when `messages` is empty, the model chosen, `stream` defaulted. Standard Schemas
 * in `tools[].parameters` and `responseFormat.schema` are converted to JSON Schema here, once (providers receive
 * JSON Schema only); the schemas themselves are kept in `toolInputSchemas` and `outputSchema` to validate the answer.
 */
export function resolveGenerateOptions(
  options: GenerateOptions,
  context: { provider: string; defaultModel: string; defaultStream: boolean },
): ResolvedGenerateOptions {
  const { provider } = context;
  const valid = parseOrThrow(callOptionsSchemas.generateOptions, options, 'invalid_request', { what: 'invalid options', provider });
  const messages: ChatMessage[] = valid.messages && valid.messages.length > 0 ? valid.messages : [];
  if (messages.length === 0 && valid.prompt !== undefined && valid.prompt !== '') messages.push({ role: 'user', content: valid.prompt });
  if (messages.length === 0) {
    throw new KitError('invalid_request', 'messages: provide `messages` or `prompt` (both are empty)', { provider });
  }
  messages.forEach((item, index) => {
    if (item.role === 'tool' && !item.toolCallId) {
      throw new KitError('invalid_request', `messages[${index}].toolCallId: is required for a tool message`, { provider });
    }
  });
  if (valid.system !== undefined && valid.system !== '') messages.unshift({ role: 'system', content: valid.system });
  const { tools, responseFormat } = valid;
  const model = valid.model ?? context.defaultModel;
  // A provider without a default model (an OpenAI-compatible server configured by hand) needs one per call.
  if (!model) throw new KitError('invalid_request', `${provider}: model: is required (pass model, or set defaultModel)`, { provider });
  const resolved: ResolvedGenerateOptions = { model, messages, stream: valid.stream ?? context.defaultStream };
  // The other options as they are: a loop, not `{ prompt, ...rest }` and `{ ...rest }` (two slow copies per call).
  const copied = resolved as unknown as Record<string, unknown>;
  for (const key in valid) if (!resolvedApart.has(key)) copied[key] = valid[key as keyof typeof valid];
  if (tools) {
    const toolInputSchemas = new Map<string, StandardSchemaV1>();
    resolved.tools = tools.map((tool, index): ResolvedToolDefinition => {
      const earlier = tools.findIndex((other) => other.name === tool.name);
      if (earlier !== index)
        throw new KitError('invalid_request', `invalid options: tools[${index}].name: "${tool.name}" is already the name of tools[${earlier}]`, { provider });
      if (!isStandardSchema(tool.parameters)) return { ...tool, parameters: tool.parameters };
      toolInputSchemas.set(tool.name, tool.parameters);
      return { ...tool, parameters: standardSchemaToJSONSchema(tool.parameters, `invalid options: tools[${index}].parameters`, provider) };
    });
    if (toolInputSchemas.size > 0) resolved.toolInputSchemas = toolInputSchemas;
  }
  if (responseFormat?.type === 'json-schema') {
    const { schema } = responseFormat;
    if (isStandardSchema(schema)) {
      resolved.outputSchema = schema;
      resolved.responseFormat = { ...responseFormat, schema: standardSchemaToJSONSchema(schema, 'invalid options: responseFormat.schema', provider) };
    } else resolved.responseFormat = { ...responseFormat, schema };
  } else if (responseFormat) resolved.responseFormat = responseFormat;
  return resolved;
}
