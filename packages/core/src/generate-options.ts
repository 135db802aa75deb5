import type * as z from 'zod/mini';
import type { ChatMessage, JSONSchema, ToolDefinition } from './chat-message';
import type { callOptionsSchemas } from './generate-options-schema';
import type { StandardSchemaV1 } from './standard-schema';

type Schemas = typeof callOptionsSchemas;
type InferredResponseFormat = z.input<Schemas['responseFormat']>;

/**
 * `{ type: 'json-schema', schema, name?, strict? }`: the answer is JSON of `schema`. With a Standard Schema (a zod
 * schema, for example), `ChatCompletion.object` is the validated answer, typed `OUTPUT`.
 */
export type JSONSchemaResponseFormat<OUTPUT = unknown> = Omit<Extract<InferredResponseFormat, { type: 'json-schema' }>, 'schema'> & {
  schema: JSONSchema | StandardSchemaV1<unknown, OUTPUT>;
};

/** `{ type: 'text' }`, `{ type: 'json' }` (any JSON), or `{ type: 'json-schema', schema, … }`. */
export type ResponseFormat<OUTPUT = unknown> = Exclude<InferredResponseFormat, { type: 'json-schema' }> | JSONSchemaResponseFormat<OUTPUT>;

/**
 * Options of one chat call, inferred from the strict call-option schema. Unset knobs are not sent to the provider.
 * `OUTPUT` is the type of `ChatCompletion.object`, inferred from a Standard Schema `responseFormat.schema`.
 */
export type GenerateOptions<OUTPUT = unknown> = Omit<z.input<Schemas['generateOptions']>, 'responseFormat'> & {
  responseFormat?: ResponseFormat<OUTPUT> | undefined;
};

/** A tool as providers receive it: `parameters` is always JSON Schema. */
export type ResolvedToolDefinition = Omit<ToolDefinition, 'parameters'> & { parameters: JSONSchema };

/** A response format as providers receive it: `schema` is always JSON Schema. */
export type ResolvedResponseFormat =
  | Exclude<InferredResponseFormat, { type: 'json-schema' }>
  | (Omit<JSONSchemaResponseFormat, 'schema'> & { schema: JSONSchema });

/** What a provider's request builder receives: messages resolved (system/prompt folded in), the model chosen, schemas as JSON Schema. */
export interface ResolvedGenerateOptions extends Omit<GenerateOptions, 'messages' | 'prompt' | 'system' | 'model' | 'tools' | 'responseFormat'> {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  tools?: ResolvedToolDefinition[];
  responseFormat?: ResolvedResponseFormat;
  /** The Standard Schemas of tools that gave one as `parameters`, by tool name: they validate `ToolCall.input`. */
  toolInputSchemas?: ReadonlyMap<string, StandardSchemaV1>;
  /** The Standard Schema of `responseFormat.schema`, when one was given: it validates `ChatCompletion.object`. */
  outputSchema?: StandardSchemaV1;
}
