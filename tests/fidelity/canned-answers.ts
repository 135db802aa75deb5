/** The wire format a provider answers in. */
export type WireDialect = 'openai' | 'anthropic' | 'gemini' | 'ollama';

const MODEL = 'fidelity-model';
/** The answer's text: valid JSON matching the structured-output cases' schema, so that every case completes. */
const TEXT = '{"city":"Paris","temperatureC":18}';

// The smallest successful answers of each API, shaped as their references show them. Only the requests are under test
// here: these answers let a call finish, so that what @kit sends for `complete()` and for streams is what it really
// sends (Anthropic's long `complete()` calls stream on the wire, for instance).

/** OpenAI Chat Completions: a `chat.completion` object (API reference, "The chat completion object"). */
const openAICompletion = {
  id: 'chatcmpl-fidelity',
  object: 'chat.completion',
  created: 1_767_225_600,
  model: MODEL,
  choices: [{ index: 0, message: { role: 'assistant', content: TEXT }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 },
};

/** OpenAI Chat Completions streaming: `chat.completion.chunk`s, the usage chunk (`include_usage`), then `[DONE]`. */
const openAIStream = [
  {
    id: 'chatcmpl-fidelity',
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model: MODEL,
    choices: [{ index: 0, delta: { role: 'assistant', content: TEXT }, finish_reason: null }],
  },
  { id: 'chatcmpl-fidelity', object: 'chat.completion.chunk', created: 1_767_225_600, model: MODEL, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  { id: 'chatcmpl-fidelity', object: 'chat.completion.chunk', created: 1_767_225_600, model: MODEL, choices: [], usage: openAICompletion.usage },
]
  .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
  .concat('data: [DONE]\n\n')
  .join('');

/** Anthropic Messages: a `message` object (API reference, "Messages", response). */
const anthropicMessage = {
  id: 'msg_fidelity',
  type: 'message',
  role: 'assistant',
  model: MODEL,
  content: [{ type: 'text', text: TEXT }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 1 },
};

/** Anthropic Messages streaming: the event sequence of the "Streaming Messages" guide. */
const anthropicStream = (
  [
    [
      'message_start',
      { type: 'message_start', message: { ...anthropicMessage, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 0 } } },
    ],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: TEXT } }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }],
    ['message_stop', { type: 'message_stop' }],
  ] as const
)
  .map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
  .join('');

/** Gemini `GenerateContentResponse` (API reference, "Generating content"); streams send the same objects as SSE `data:`. */
const geminiResponse = {
  candidates: [{ content: { role: 'model', parts: [{ text: TEXT }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1, totalTokenCount: 11 },
  modelVersion: MODEL,
};

/** Ollama `POST /api/chat` (API docs, "Generate a chat completion"): the final object, `done: true`. */
const ollamaFinal = {
  model: MODEL,
  created_at: '2026-01-01T00:00:00Z',
  message: { role: 'assistant', content: TEXT },
  done: true,
  done_reason: 'stop',
  prompt_eval_count: 10,
  eval_count: 1,
};

/** Ollama streams newline-delimited JSON objects, the last one `done: true`. */
const ollamaStream = [
  JSON.stringify({ model: MODEL, created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: TEXT }, done: false }),
  JSON.stringify({ ...ollamaFinal, message: { role: 'assistant', content: '' } }),
]
  .map((line) => `${line}\n`)
  .join('');

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const stream = (text: string, contentType: string) => new Response(text, { status: 200, headers: { 'content-type': contentType } });

/** A fresh successful answer of `dialect`, streamed when the request asked for a stream. */
export function cannedAnswer(dialect: WireDialect, streaming: boolean): Response {
  switch (dialect) {
    case 'openai':
      return streaming ? stream(openAIStream, 'text/event-stream') : json(openAICompletion);
    case 'anthropic':
      return streaming ? stream(anthropicStream, 'text/event-stream') : json(anthropicMessage);
    case 'gemini':
      return streaming ? stream(`data: ${JSON.stringify(geminiResponse)}\n\n`, 'text/event-stream') : json(geminiResponse);
    case 'ollama':
      return streaming ? stream(ollamaStream, 'application/x-ndjson') : json(ollamaFinal);
  }
}
