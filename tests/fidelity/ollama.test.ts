// Reviewed against Ollama's API docs, "Generate a chat completion" (https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion),
// and its guides "Thinking", "Tool calling", "Structured outputs":
// - POST http://localhost:11434/api/chat, no auth header on a local server; `stream` always sent (Ollama streams
//   newline-delimited JSON unless told `false`).
// - `content` a string (text parts joined with a newline), `images` base64 without a data-URL prefix; `thinking` on an
//   assistant message replays reasoning; `tool_calls[].function.arguments` an object; tool results with `tool_name`.
// - `options.num_predict` (output limit), `options.temperature` / `top_p` / `stop`; `format: 'json'` or a JSON Schema.
// - No `tool_choice`: a named choice sends only that tool.
// - Image URLs, documents and audio have no field: refused before sending (`invalid_request` naming the part).
// Note: streams are requested with `accept: text/event-stream` (the engine's default for streams), though Ollama answers
// NDJSON; Ollama ignores the header.
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { ollamaTarget } from './fidelity-targets';

describe('Ollama request fidelity', () => {
  const suite = fidelitySuite(ollamaTarget);

  it('maps knobs into options, images into images, reasoning into thinking', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('http://localhost:11434/api/chat');
    expect(plain.headers).not.toHaveProperty('authorization');
    expect(plain.body).toMatchObject({ stream: false, options: { temperature: 0.2, top_p: 0.9, stop: ['END'], num_predict: 256 } });
    const [user] = (await suite.request('image-base64')).body.messages as Record<string, unknown>[];
    expect(user).toMatchObject({ content: 'Describe the image.', images: [expect.stringMatching(/^iVBOR/)] });
    const [, assistant] = (await suite.request('reasoning-replay')).body.messages as Record<string, unknown>[];
    expect(assistant).toMatchObject({
      thinking: 'The user wants the weather: call get_weather for Paris.',
      tool_calls: [{ function: { arguments: { city: 'Paris' } } }],
    });
  });

  it('refuses what /api/chat has no field for, naming the part', async () => {
    expect((await suite.error('image-url')).code).toBe('invalid_request');
    expect((await suite.error('pdf-document')).message).toBe("ollama: messages[0].content[1]: Ollama's chat API has no document parts");
    expect((await suite.error('audio-input')).message).toBe("ollama: messages[0].content[1]: Ollama's chat API has no audio parts");
  });
});
