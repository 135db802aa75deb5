/**
 * Chat-completions SSE streams and responses written after OpenAI's API reference (chunk objects with
 * `choices[].delta`, a final usage-only chunk with `choices: []` when `stream_options.include_usage` is set,
 * then `data: [DONE]`). Each stream is the list of `data:` payloads.
 */
import type { StreamEvent } from '@kit/core';
import type { EmitEvent, RequestContext, StreamMapper } from '@kit/core/provider-utils';

const base = { id: 'chatcmpl-abc123', object: 'chat.completion.chunk', created: 1_735_689_600, model: 'gpt-4.1-mini-2025-04-14', system_fingerprint: 'fp_1' };
const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], usage: null, ...extra });
const usageChunk = (usage: Record<string, unknown>) => JSON.stringify({ ...base, choices: [], usage });

export const usage = {
  prompt_tokens: 19,
  completion_tokens: 10,
  total_tokens: 29,
  prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 2, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

export const textStream = [
  chunk({ role: 'assistant', content: '', refusal: null }),
  chunk({ content: 'Hello' }),
  chunk({ content: ', world' }),
  chunk({ content: '!' }),
  chunk({}, 'stop'),
  usageChunk(usage),
  '[DONE]',
];

/** DeepSeek-style `reasoning_content`, then Cerebras/Groq/OpenRouter-style `reasoning`. */
export const reasoningContentStream = [
  chunk({ role: 'assistant', content: null, reasoning_content: '' }),
  chunk({ content: null, reasoning_content: 'Think ' }),
  chunk({ content: null, reasoning_content: 'hard.' }),
  chunk({ content: '42', reasoning_content: null }),
  chunk({}, 'stop'),
  usageChunk(usage),
  '[DONE]',
];
export const reasoningStream = [
  chunk({ role: 'assistant', reasoning: 'The user greets. ' }),
  chunk({ reasoning: 'Reply briefly.' }),
  chunk({ content: 'Hi!' }),
  chunk({}, 'stop'),
  usageChunk(usage),
  '[DONE]',
];

/** One tool call whose arguments arrive in four pieces. */
export const toolCallStream = [
  chunk({
    role: 'assistant',
    content: null,
    tool_calls: [{ index: 0, id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '' } }],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"lo' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'cation": "Pa' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'ris"}' } }] }),
  chunk({}, 'tool_calls'),
  usageChunk(usage),
  '[DONE]',
];

/** Two parallel calls whose pieces interleave by index. */
export const parallelToolCallStream = [
  chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } }] }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: '{"tz":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  chunk({
    tool_calls: [
      { index: 0, function: { arguments: '"Oslo"}' } },
      { index: 1, function: { arguments: '"CET"}' } },
    ],
  }),
  chunk({}, 'tool_calls'),
  usageChunk(usage),
  '[DONE]',
];

/**
 * Parallel calls that all carry `index: 0`, told apart only by their ids, as Ollama's OpenAI-compatible endpoint streams
 * them (ollama/ollama#15457) and as vLLM-style servers do (the `index=0, id='call-…'` pair of deltas printed in
 * ai-dynamo/dynamo#4723). The second call's arguments come in pieces without an id, at index 0 too.
 */
export const sameIndexParallelToolCallStream = [
  chunk({
    role: 'assistant',
    content: null,
    tool_calls: [{ index: 0, id: 'call-9439f831', type: 'function', function: { name: 'add_numbers', arguments: '{"b":2,"a":2}' } }],
  }),
  chunk({ content: '\n' }),
  chunk({ tool_calls: [{ index: 0, id: 'call-84eb6907', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"unit":"celsius",' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"location":"Tokyo"}' } }] }),
  chunk({}, 'tool_calls'),
  usageChunk(usage),
  '[DONE]',
];

export const refusalStream = [
  chunk({ role: 'assistant', content: null, refusal: '' }),
  chunk({ refusal: "I'm sorry, " }),
  chunk({ refusal: "I can't help with that." }),
  chunk({}, 'stop'),
  usageChunk(usage),
  '[DONE]',
];

export const midStreamErrorStream = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Partial' }),
  JSON.stringify({
    error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null },
  }),
];

export const malformedStream = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'ok' }), '{"choices":[{"delta":{"content":"bro'];

/** The connection dropped: neither a finish reason nor `[DONE]`. */
export const truncatedStream = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Once upon' })];

/** A non-streaming answer with two tool calls. */
export const toolCallResponse = {
  id: 'chatcmpl-xyz789',
  object: 'chat.completion',
  created: 1_735_689_600,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        annotations: [],
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage,
  service_tier: 'default',
};

export const textResponse = {
  id: 'chatcmpl-text1',
  object: 'chat.completion',
  created: 1_735_689_600,
  model: 'gpt-4.1-mini-2025-04-14',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there.', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
};

export const context: RequestContext = { provider: 'openai', model: 'gpt-4.1-mini', stream: true, credential: { id: 'key-1', kind: 'api-key' } };

/** Runs a mapper over `data:` payloads and returns every event it emitted. */
export function runMapper(mapper: StreamMapper, datas: readonly string[]): StreamEvent[] {
  const events: StreamEvent[] = [];
  const emit: EmitEvent = (event) => events.push(event);
  for (const data of datas) mapper.push({ data }, emit);
  mapper.end(emit);
  return events;
}

/** The SSE text of a list of payloads (`data: …\n\n` each). */
export function toSSE(datas: readonly string[]): string {
  return datas.map((data) => `data: ${data}\n\n`).join('');
}

/**
 * An SSE response whose body arrives in `pieceSize`-byte pieces (frames split at odd places), one piece per
 * macrotask so that each piece is its own network read.
 */
export function sseResponse(datas: readonly string[], pieceSize = 48, init: ResponseInit = {}): Response {
  const bytes = new TextEncoder().encode(toSSE(datas));
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + pieceSize));
      offset += pieceSize;
    },
  });
  return new Response(body, { ...init, headers: { 'content-type': 'text/event-stream', ...(init.headers as Record<string, string>) } });
}
