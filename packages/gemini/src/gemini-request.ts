import { KitError, type JSONSchema } from '@kit/core';
import { atLeast, compact, integerSchema, isRecord, nonEmptyStringSchema, parseOrThrow, type ResolvedGenerateOptions } from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import { convertToGeminiContents, type GeminiContent } from './convert-to-gemini-contents';

const plainObject = (what: string) => z.custom<Record<string, unknown>>(isRecord, { error: `must be ${what}` });

/** Gemini-only knobs, passed as `providerOptions.gemini`. Strict: an unknown key is an `invalid_request` error naming it. */
export const geminiProviderOptionsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    /** `generationConfig.topK`. */
    topK: z.optional(integerSchema().check(atLeast(0, true))),
    presencePenalty: z.optional(z.number()),
    frequencyPenalty: z.optional(z.number()),
    /** `generationConfig.thinkingConfig`; `includeThoughts: true` streams thought summaries as `reasoning-delta`. */
    thinkingConfig: z.optional(
      z.strictObject({
        thinkingBudget: z.optional(integerSchema().check(atLeast(-1))),
        includeThoughts: z.optional(z.boolean()),
        thinkingLevel: z.optional(nonEmptyStringSchema()),
      }),
    ),
    /** `safetySettings`: `[{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }]`. */
    safetySettings: z.optional(z.array(z.strictObject({ category: nonEmptyStringSchema(), threshold: nonEmptyStringSchema() }))),
    /** `cachedContent`: a context cache name (`cachedContents/…`). */
    cachedContent: z.optional(nonEmptyStringSchema()),
    /**
     * A schema in Gemini's OpenAPI subset, sent as `responseSchema` instead of the JSON Schema of
     * `responseFormat` (which goes as `responseJsonSchema`): for models older than Gemini 2.5.
     */
    responseSchema: z.optional(plainObject('a schema object')),
    /** Gemini tools sent beside the function declarations, e.g. `[{ googleSearch: {} }, { codeExecution: {} }]`. */
    tools: z.optional(z.array(plainObject('a Gemini tool object'))),
  }))();

/** Gemini-only knobs, passed as `providerOptions.gemini`. */
export type GeminiProviderOptions = z.infer<typeof geminiProviderOptionsSchema>;

/** Checks `providerOptions.gemini`; throws `KitError('invalid_request')` naming the bad field. */
export function validateGeminiProviderOptions(options: unknown, provider = 'gemini'): GeminiProviderOptions {
  return parseOrThrow(geminiProviderOptionsSchema, options, 'invalid_request', { what: 'invalid options', provider, prefix: 'providerOptions.gemini' });
}

/** The body of `:generateContent` / `:streamGenerateContent` (Code Assist wraps it as `request`). */
export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: { text: string }[] };
  tools?: Record<string, unknown>[];
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
  generationConfig?: Record<string, unknown>;
  safetySettings?: { category: string; threshold: string }[];
  cachedContent?: string;
}

/** A JSON Schema as Gemini takes it (`responseJsonSchema`, `parametersJsonSchema`): without the `$schema` keyword. */
function jsonSchema({ $schema: _dialect, ...schema }: JSONSchema): JSONSchema {
  return schema;
}

/** A schema that describes a function without parameters (an object with no properties): sent as no schema. */
const takesNothing = (schema: JSONSchema) =>
  schema.type === 'object' && Object.keys(Object(schema.properties)).length === 0 && !schema.anyOf && !schema.oneOf && !schema.$ref;

/**
 * Maps resolved options to a Gemini request. Unset knobs are not sent. JSON Schemas go as they are
 * (`responseJsonSchema`, `parametersJsonSchema`: Gemini 2.5 and later take JSON Schema directly, `$ref` and
 * `anyOf` included), so no lossy conversion to Gemini's OpenAPI subset happens.
 */
export function buildGeminiRequest(options: ResolvedGenerateOptions, provider: string): GeminiRequest {
  const own = (options.providerOptions?.gemini ?? {}) as GeminiProviderOptions;
  const { toolChoice, responseFormat: format } = options;
  const declarations = options.tools?.map(({ name, description, parameters }) =>
    compact({ name, description, parametersJsonSchema: takesNothing(parameters) ? undefined : jsonSchema(parameters) }),
  );
  const tools = [...(declarations?.length ? [{ functionDeclarations: declarations }] : []), ...(own.tools ?? [])];
  const json = format?.type === 'json' || format?.type === 'json-schema';
  const generationConfig = compact({
    temperature: options.temperature,
    topP: options.topP,
    topK: own.topK,
    maxOutputTokens: options.maxTokens,
    stopSequences: options.stop,
    seed: options.seed,
    presencePenalty: own.presencePenalty,
    frequencyPenalty: own.frequencyPenalty,
    responseMimeType: json ? 'application/json' : undefined,
    ...(format?.type === 'json-schema' && (own.responseSchema ? { responseSchema: own.responseSchema } : { responseJsonSchema: jsonSchema(format.schema) })),
    thinkingConfig: own.thinkingConfig,
  });
  const prompt = convertToGeminiContents(options.messages, provider);
  if (prompt.contents.length === 0) {
    throw new KitError('invalid_request', `${provider}: messages: Gemini needs a user or assistant message besides the system prompt`, { provider });
  }
  const request: GeminiRequest = compact({
    ...prompt,
    tools,
    toolConfig:
      toolChoice && declarations?.length
        ? {
            functionCallingConfig:
              typeof toolChoice === 'object'
                ? { mode: 'ANY' as const, allowedFunctionNames: [toolChoice.name] }
                : { mode: toolChoice === 'required' ? ('ANY' as const) : toolChoice === 'none' ? ('NONE' as const) : ('AUTO' as const) },
          }
        : undefined,
    generationConfig: Object.keys(generationConfig).length > 0 ? generationConfig : undefined,
    safetySettings: own.safetySettings,
    cachedContent: own.cachedContent,
  });
  refuseCacheClashes(request, provider);
  return request;
}

/** The request fields the API refuses beside `cachedContent`, and what in a call sets each. */
const cacheClashes = { systemInstruction: 'the system prompt', tools: 'tools or providerOptions.gemini.tools', toolConfig: 'toolChoice' } as const;

/**
 * The API refuses `cachedContent` beside `systemInstruction`, `tools` or `toolConfig` (400 "CachedContent can not be
 * used with GenerateContent request setting system_instruction, tools or tool_config"): those belong in the cache.
 * Such a call is refused here, before anything is sent, naming the fields.
 */
function refuseCacheClashes(request: GeminiRequest, provider: string): void {
  if (request.cachedContent === undefined) return;
  const clashing = Object.entries(cacheClashes).flatMap(([field, from]) => (request[field as keyof typeof cacheClashes] ? [`${field} (${from})`] : []));
  if (clashing.length === 0) return;
  throw new KitError(
    'invalid_request',
    `${provider}: providerOptions.gemini.cachedContent: cannot be sent with ${clashing.join(', ')}; the API takes the system ` +
      'instruction and tools only inside the cache: put them into the cached content when you create it, and leave them out of this call',
    { provider },
  );
}
