// Reviewed against GroqCloud's API reference, "Chat › Create chat completion"
// (https://console.groq.com/docs/api-reference#chat-create) and the guides "Reasoning", "Structured Outputs",
// "Prompt Caching":
// - POST https://api.groq.com/openai/v1/chat/completions, Bearer key; OpenAI's message, tool and `response_format`
//   shapes; images as `image_url` on vision models.
// - `max_tokens` is accepted (listed as deprecated in favour of `max_completion_tokens`, which the preset could declare).
// - Reasoning is not sent back (Groq documents no request field for earlier reasoning).
// - Prompt caching is automatic on supported models (no request field).
// Open question (not settled by the references checked): whether Groq's chat API takes `file` and `input_audio` parts;
// the PDF, text-document and audio cases go out as OpenAI's.
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { groqTarget } from './fidelity-targets';

describe('Groq (OpenAI-compatible preset) request fidelity', () => {
  const suite = fidelitySuite(groqTarget);

  it('sends the OpenAI dialect to Groq’s base URL with max_tokens', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('https://api.groq.com/openai/v1/chat/completions');
    expect(plain.body.max_tokens).toBe(256);
  });
});
