// Reviewed against Anthropic's API reference, "Messages" (https://docs.anthropic.com/en/api/messages), the guides
// "Vision", "PDF support", "Extended thinking", "Tool use", "Prompt caching", "Structured outputs", and the official
// TypeScript SDK's request types (@anthropic-ai/sdk 1.15, compared field by field in official-sdk-peers.test.ts):
// - POST {base}/messages with `x-api-key` and `anthropic-version: 2023-06-01`.
// - `max_tokens` is required: the caller's, else the model's output limit; a `complete()` whose `max_tokens` allows an
//   answer longer than 10 minutes streams on the wire (`stream: true`), as the official SDK requires.
// - `system` top level: a string, or text blocks (one per part, never glued); `stop_sequences`, `temperature`, `top_p`.
// - `tool_use` blocks (`input` an object) in the assistant turn, `tool_result` blocks in the next user turn; `tools[]`
//   with `input_schema`; `tool_choice` `{ type: 'auto' }` / `{ type: 'tool', name }`.
// - `image` / `document` blocks with `source` `{ type: 'base64', media_type, data }` or `{ type: 'url', url }`; a
//   `text/plain` document as `{ type: 'text', media_type: 'text/plain', data: <the text> }` (PlainTextSource).
// - `thinking` blocks `{ type: 'thinking', thinking, signature }` replayed before the `tool_use` of the same turn, with
//   `thinking: { type: 'enabled', budget_tokens }` on the request.
// - `cache_control: { type: 'ephemeral' }` on the system block (a breakpoint).
// - `output_config.format: { type: 'json_schema', schema }` for JSON Schema output; `json` without a schema has no
//   Anthropic field and sends nothing.
// - Audio: the Messages API has no audio block — refused before sending (`invalid_request`).
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { anthropicTarget } from './fidelity-targets';

describe('Anthropic request fidelity', () => {
  const suite = fidelitySuite(anthropicTarget);

  it('sends the headers and the plain knobs of the Messages API', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('https://api.anthropic.com/v1/messages');
    expect(plain.headers).toMatchObject({ 'x-api-key': '<api-key>', 'anthropic-version': '2023-06-01' });
    expect(plain.headers).not.toHaveProperty('authorization');
    expect(plain.body).toMatchObject({ max_tokens: 256, system: 'You are terse.', stop_sequences: ['END'] });
  });

  it('streams long complete() calls on the wire (max_tokens at the model limit)', async () => {
    const tools = await suite.request('tools-with-tool-result');
    expect(tools.body.stream).toBe(true);
    expect(tools.body.max_tokens).toBeGreaterThan(21_333);
  });

  it('sends text/plain documents as a text source and PDFs as base64', async () => {
    expect(JSON.stringify((await suite.request('text-document')).body)).toContain(
      '"source":{"type":"text","media_type":"text/plain","data":"Rule one.\\nRule two."}',
    );
    expect(JSON.stringify((await suite.request('pdf-document')).body)).toContain('"source":{"type":"base64","media_type":"application/pdf"');
  });

  it('replays a signed thinking block before the tool_use of its turn, and marks the cache breakpoint', async () => {
    const [, assistant] = (await suite.request('reasoning-replay')).body.messages as { content: unknown[] }[];
    expect(assistant?.content[0]).toEqual({
      type: 'thinking',
      thinking: 'The user wants the weather: call get_weather for Paris.',
      signature: 'fidelity-signature-1',
    });
    expect(assistant?.content[1]).toMatchObject({ type: 'tool_use', id: 'call_fidelity_1', input: { city: 'Paris' } });
    expect((await suite.request('prompt-caching')).body.system).toEqual([
      { type: 'text', text: 'You answer questions about the fidelity handbook. The handbook follows. (…)', cache_control: { type: 'ephemeral' } },
    ]);
  });

  it('refuses audio before sending, naming the part', async () => {
    expect(await suite.error('audio-input')).toEqual({
      code: 'invalid_request',
      message: 'anthropic: messages[0].content[1].type: "audio" is not allowed here',
    });
  });
});
