// Wire objects of Ollama's native chat API, transcribed from its public API reference. Sources:
// - docs/api.md in github.com/ollama/ollama, "Generate a chat completion": the streaming example (a `message`
//   chunk and the final object with `total_duration` … `eval_duration`), "Chat request (No streaming)",
//   "Chat request (with tools)" (arguments as an object, `done_reason: "stop"`), "List Local Models" and
//   "List Running Models" (`/api/ps`, with `expires_at` and `size_vram`).
// - docs.ollama.com/api/errors: `{ "error": "…" }` bodies and the mid-stream NDJSON error line.
// - docs.ollama.com/capabilities/streaming and /thinking: `message.thinking` alongside `content` in each chunk.
// - ollama.com/blog/streaming-tool (2025-05-28): a streamed chunk carrying a whole `tool_calls` entry.
// Timestamps, counts and durations are the docs' own; the thinking texts are shortened.

/** The lines of an NDJSON body. */
export const ndjson = (objects: readonly unknown[]): string => objects.map((object) => `${JSON.stringify(object)}\n`).join('');

/** docs/api.md, "Chat Request (Streaming)": two content chunks and the final object. */
export const streamedText = [
  { model: 'llama3.2', created_at: '2023-08-04T08:52:19.385406455-07:00', message: { role: 'assistant', content: 'The', images: null }, done: false },
  { model: 'llama3.2', created_at: '2023-08-04T08:52:19.385406455-07:00', message: { role: 'assistant', content: ' sky' }, done: false },
  {
    model: 'llama3.2',
    created_at: '2023-08-04T19:22:45.499127Z',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 4883583458,
    load_duration: 1334875,
    prompt_eval_count: 26,
    prompt_eval_duration: 342546000,
    eval_count: 282,
    eval_duration: 4535599000,
  },
];

/** docs/api.md, "Chat request (No streaming)". */
export const wholeAnswer = {
  model: 'llama3.2',
  created_at: '2023-12-12T14:13:43.416799Z',
  message: { role: 'assistant', content: 'Hello! How are you today?' },
  done: true,
  total_duration: 5191566416,
  load_duration: 2154458,
  prompt_eval_count: 26,
  prompt_eval_duration: 383809000,
  eval_count: 298,
  eval_duration: 4799921000,
};

/** docs/api.md, "Chat request (with tools)": one call, its arguments an object, `done_reason: "stop"`. */
export const toolCallAnswer = {
  model: 'llama3.2',
  created_at: '2024-07-22T20:33:28.123648Z',
  message: {
    role: 'assistant',
    content: '',
    tool_calls: [{ function: { name: 'get_current_weather', arguments: { format: 'celsius', location: 'Paris, FR' } } }],
  },
  done_reason: 'stop',
  done: true,
  total_duration: 885095291,
  load_duration: 3753500,
  prompt_eval_count: 122,
  prompt_eval_duration: 328493000,
  eval_count: 33,
  eval_duration: 552222000,
};

/** Thinking then answer (docs.ollama.com/capabilities/thinking), then a streamed tool call (ollama.com/blog/streaming-tool). */
export const thinkingThenToolCall = [
  { model: 'qwen3', created_at: '2025-05-27T22:54:57.641643Z', message: { role: 'assistant', content: '', thinking: 'The user wants' }, done: false },
  { model: 'qwen3', created_at: '2025-05-27T22:54:57.673559Z', message: { role: 'assistant', content: '', thinking: ' the weather.' }, done: false },
  {
    model: 'qwen3',
    created_at: '2025-05-27T22:54:58.100509Z',
    message: {
      role: 'assistant',
      content: '',
      tool_calls: [{ function: { name: 'get_current_weather', arguments: { format: 'celsius', location: 'Toronto' } } }],
    },
    done: false,
  },
  {
    model: 'qwen3',
    created_at: '2025-05-27T22:54:58.100509Z',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    prompt_eval_count: 200,
    eval_count: 40,
  },
];

/** docs.ollama.com/api/errors, "Errors that occur while streaming" (chat form of the documented generate lines). */
export const errorAfterContent = [
  { model: 'gemma3', created_at: '2025-10-26T17:21:21.196249Z', message: { role: 'assistant', content: ' Yes' }, done: false },
  { model: 'gemma3', created_at: '2025-10-26T17:21:21.207235Z', message: { role: 'assistant', content: '.' }, done: false },
  { error: 'an error was encountered while running the model' },
];

/** docs/api.md, "List Local Models" (`GET /api/tags`). */
export const tags = {
  models: [
    {
      name: 'deepseek-r1:latest',
      model: 'deepseek-r1:latest',
      modified_at: '2025-05-10T08:06:48.639712648-07:00',
      size: 4683075271,
      digest: '0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163',
      details: { parent_model: '', format: 'gguf', family: 'qwen2', families: ['qwen2'], parameter_size: '7.6B', quantization_level: 'Q4_K_M' },
    },
    {
      name: 'llama3.2:latest',
      model: 'llama3.2:latest',
      modified_at: '2025-05-04T17:37:44.706015396-07:00',
      size: 2019393189,
      digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
      details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
    },
  ],
};

/** docs/api.md, "List Running Models" (`GET /api/ps`). */
export const runningModels = {
  models: [
    {
      name: 'mistral:latest',
      model: 'mistral:latest',
      size: 5137025024,
      digest: '2ae6f6dd7a3dd734790bbbf58b8909a606e0e7e97e94b7604e0aa7ae4490e6d8',
      details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '7.2B', quantization_level: 'Q4_0' },
      expires_at: '2024-06-04T14:38:31.83753-07:00',
      size_vram: 5137025024,
    },
  ],
};
