import type { ChatMessage, JSONSchema, ToolChoice, ToolDefinition } from './chat-message';

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; schema: JSONSchema; name?: string; strict?: boolean };

/** Options of one chat call. Unset knobs are not sent to the provider. */
export interface GenerateOptions {
  model?: string;
  messages?: ChatMessage[];
  /** Shortcut for one user message; used only when `messages` is empty. */
  prompt?: string;
  /** Prepended as a system message. */
  system?: string;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  responseFormat?: ResponseFormat;
  /** SSE on the wire (default `true`); with `false` the single JSON answer is replayed as events. */
  stream?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Per-attempt timeout; for streams the first-byte and between-chunk timeout. */
  timeoutMs?: number;
  /** Bound of the whole call, retries and waits included. Default `timeoutMs × (maxRetries + 1)`. */
  deadlineMs?: number;
  /** Per-call override of the provider's `maxRetries`. */
  maxRetries?: number;
  metadata?: Record<string, unknown>;
  /** Provider-specific extras, keyed by provider type: `{ openai: { ... } }`. */
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** What a provider's request builder receives: messages resolved (system/prompt folded in) and the model chosen. */
export interface ResolvedGenerateOptions extends Omit<GenerateOptions, 'messages' | 'prompt' | 'system' | 'model'> {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
}
