// Reviewed against OpenRouter's API reference (https://openrouter.ai/docs/api-reference/chat-completion) and the guides
// "App attribution", "Reasoning tokens" (preserving reasoning blocks), "PDF inputs", "Prompt caching":
// - POST https://openrouter.ai/api/v1/chat/completions, Bearer key; `HTTP-Referer` / `X-Title` attribution headers
//   only when configured.
// - OpenAI's message, tool and `response_format` shapes; `max_tokens`.
// - Reasoning goes back as `reasoning_details` on the assistant message (`{ type: 'reasoning.text', text, signature }`),
//   which OpenRouter forwards to the model (Anthropic's signed thinking included).
// - PDFs as `file` parts (OpenRouter parses them for every model); audio as `input_audio`.
// - Prompt caching: automatic for most providers; Anthropic models need `cache_control` on content parts, which @kit
//   does not send (nothing extra goes out).
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { openRouterTarget } from './fidelity-targets';

describe('OpenRouter request fidelity', () => {
  const suite = fidelitySuite(openRouterTarget);

  it('sends the attribution headers and replays reasoning as reasoning_details', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('https://openrouter.ai/api/v1/chat/completions');
    expect(plain.headers).toMatchObject({ 'http-referer': 'https://example.com/fidelity', 'x-title': 'Fidelity Suite' });
    const [, assistant] = (await suite.request('reasoning-replay')).body.messages as Record<string, unknown>[];
    expect(assistant?.reasoning_details).toEqual([
      { type: 'reasoning.text', text: 'The user wants the weather: call get_weather for Paris.', signature: 'fidelity-signature-1', index: 0 },
    ]);
  });
});
