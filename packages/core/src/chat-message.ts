/** Where the bytes of an image, document or audio part come from. */
export type MediaSource =
  | { type: 'base64'; mediaType: string; data: string }
  | { type: 'url'; url: string; mediaType?: string };

/** One part of a multi-part message. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; source: MediaSource }
  | { type: 'document'; source: MediaSource; title?: string }
  | { type: 'audio'; source: MediaSource }
  /** Assistant replay of a thinking block; `signature` is returned to providers that sign their reasoning. */
  | { type: 'reasoning'; text: string; signature?: string };

/** A JSON Schema object (draft 2020-12 / OpenAPI subset, as providers accept it). */
export type JSONSchema = { [key: string]: unknown };

/** A tool the model may call. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: JSONSchema;
}

/** A complete tool call: `arguments` is the full JSON text the model produced. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** One message of a conversation. */
export interface ChatMessage {
  role: ChatRole;
  content: string | ContentPart[];
  toolCalls?: ToolCall[];
  /** For `role: 'tool'`: the id of the call this message answers. */
  toolCallId?: string;
  name?: string;
}
