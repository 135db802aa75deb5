import type * as z from 'zod/mini';
import type { callOptionsSchemas } from './generate-options-schema';
import type { SchemaIssue } from './validate';

// The types of messages and tools are inferred from the call-option schemas (generate-options-schema.ts), so the
// checks and the types cannot drift apart.
type Schemas = typeof callOptionsSchemas;

/** Where the bytes of an image, document or audio part come from: `{ type: 'base64', mediaType, data }` or `{ type: 'url', url, mediaType? }`. */
export type MediaSource = z.infer<Schemas['mediaSource']>;

/**
 * One part of a multi-part message: `text`, `image`, `document`, `audio`, or `reasoning` (assistant replay of a
 * thinking block; `signature` is returned to providers that sign their reasoning).
 */
export type ContentPart = z.infer<Schemas['contentPart']>;

/** A JSON Schema object (draft 2020-12 / OpenAPI subset, as providers accept it). */
export type JSONSchema = { [key: string]: unknown };

/**
 * A tool the model may call. `parameters` is a JSON Schema or a Standard Schema (a zod schema, for example): with a
 * Standard Schema, each `ToolCall.input` is validated by it.
 */
export type ToolDefinition = z.infer<Schemas['tool']>;

/** Why a tool call's `arguments` are not valid input; `issues` lists what the tool's schema refused, by path. */
export interface ToolInputError {
  message: string;
  issues?: readonly SchemaIssue[];
}

/**
 * A complete tool call: `arguments` is the full JSON text the model produced; `input` the parsed value (validated by
 * the tool's Standard Schema, when it has one); `inputError` says why the arguments are not valid input.
 */
export type ToolCall = z.infer<Schemas['toolCall']>;

/** `'auto'`, `'none'`, `'required'` (some tool), or `{ name }` (that tool). */
export type ToolChoice = z.infer<Schemas['toolChoice']>;

/** One message of a conversation. */
export type ChatMessage = z.infer<Schemas['message']>;

export type ChatRole = ChatMessage['role'];
