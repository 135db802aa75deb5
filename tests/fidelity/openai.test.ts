// Reviewed against the OpenAI API reference, "Chat Completions › Create chat completion"
// (https://platform.openai.com/docs/api-reference/chat/create) and the guides it links:
// - POST {base}/chat/completions, `Authorization: Bearer` (API reference, "Authentication").
// - `max_completion_tokens`: "an upper bound … including visible output tokens and reasoning tokens"; `max_tokens` is
//   deprecated and not compatible with reasoning models — @kit sends `max_completion_tokens` for every model.
// - `stream: true` with `stream_options.include_usage` (the usage chunk before `[DONE]`).
// - Messages: `system` content as a string or an array of text parts; `assistant` `content: null` beside `tool_calls`
//   (`{ id, type: 'function', function: { name, arguments } }`, arguments as JSON text); `tool` with `tool_call_id`.
// - User content parts: `image_url.url` (an https URL or a `data:` URL), `file.file_data` + `file.filename` (guide
//   "File inputs": Chat Completions takes PDF only), `input_audio` `{ data, format: 'wav' | 'mp3' }`.
// - `tools[].function.parameters` (JSON Schema), `tool_choice` `'auto'` or `{ type: 'function', function: { name } }`.
// - `response_format` `{ type: 'json_schema', json_schema: { name, schema, strict } }` and `{ type: 'json_object' }`
//   (guide "Structured outputs").
// - `prompt_cache_key` (guide "Prompt caching": caching is automatic; the key improves routing to a warm cache).
// - Reasoning: Chat Completions has no field to send reasoning back, so reasoning parts are not sent.
// - A `text/plain` document goes as a text part of its own ("Document: <title>" then its text), as "File inputs" advises.
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { openAITarget } from './fidelity-targets';

describe('OpenAI request fidelity', () => {
  const suite = fidelitySuite(openAITarget);

  it('sends max_completion_tokens, never max_tokens, and asks streams for the usage chunk', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(plain.headers.authorization).toBe('Bearer <api-key>');
    expect(plain.body).toMatchObject({ max_completion_tokens: 256, temperature: 0.2, top_p: 0.9, stop: ['END'] });
    expect(plain.body).not.toHaveProperty('max_tokens');
    expect((await suite.request('plain-text-streamed')).body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('keeps text parts apart and sends the tool turn as the API documents it', async () => {
    expect((await suite.request('system-text-parts')).body.messages).toContainEqual({
      role: 'system',
      content: [
        { type: 'text', text: 'Rule one.' },
        { type: 'text', text: 'Rule two.' },
      ],
    });
    const [, assistant, tool] = (await suite.request('tools-with-tool-result')).body.messages as unknown[];
    expect(assistant).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_fidelity_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    });
    expect(tool).toEqual({ role: 'tool', tool_call_id: 'call_fidelity_1', content: '{"temperatureC":18}' });
  });

  it('sends PDFs as file parts, audio as input_audio, schemas as json_schema and the cache key as given', async () => {
    expect(JSON.stringify((await suite.request('pdf-document')).body)).toContain(
      '{"type":"file","file":{"filename":"report.pdf","file_data":"data:application/pdf;base64,',
    );
    expect(JSON.stringify((await suite.request('audio-input')).body)).toContain('"input_audio":{"data":"UklGR');
    expect((await suite.request('json-schema')).body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'weather_report', strict: true },
    });
    expect((await suite.request('prompt-caching')).body.prompt_cache_key).toBe('fidelity-handbook');
  });
});
