import type { ChatMessage, ToolCall } from './chat-message';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens read from the provider's prompt cache (included in `inputTokens`). */
  cachedInputTokens?: number;
  /** Input tokens written to the provider's prompt cache (included in `inputTokens`; Anthropic bills them higher). */
  cacheWriteInputTokens?: number;
  /** Output tokens spent on reasoning (included in `outputTokens`). */
  reasoningTokens?: number;
  /** What the provider says the call cost, in US dollars (OpenRouter's `usage.cost`); absent when it reports none. */
  cost?: number;
}

/**
 * The time the upstream says it spent on an answer, in milliseconds (Ollama's `*_duration`, Groq's and Cerebras'
 * `time_info`). Measured by the server, so free of network and queueing on the client; absent fields were not
 * reported.
 */
export interface ServerTimings {
  /** The whole request on the server. */
  totalMs?: number;
  /** Waiting in the server's queue. */
  queueMs?: number;
  /** Loading the model. */
  loadMs?: number;
  /** Reading the prompt. */
  promptMs?: number;
  /** Generating the output. */
  generationMs?: number;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** The fields of every `ChatCompletion`. */
interface ChatCompletionFields {
  id: string;
  model: string;
  provider: string;
  text: string;
  reasoning?: string;
  /** Each with `input` (the parsed arguments) or `inputError`. */
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  credentialId?: string;
  /** What the upstream reported about its own time, when it did. */
  serverTimings?: ServerTimings;
  /** The assistant message, ready to append to the history. */
  message: ChatMessage;
  raw?: unknown;
}

/**
 * The assembled result of one chat call. With `responseFormat: { type: 'json' | 'json-schema' }`, `object` is the
 * parsed answer; with a Standard Schema as `responseFormat.schema` it is validated by it and typed `OBJECT`
 * (`complete()` infers it): `{ city: string }` for `z.object({ city: z.string() })`. Otherwise `unknown`.
 */
export type ChatCompletion<OBJECT = unknown> = ChatCompletionFields & (unknown extends OBJECT ? { object?: unknown } : { object: OBJECT });

/** A usage with every count at zero. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
}
