// Reviewed against xAI's REST API reference, "Chat completions" (https://docs.x.ai/docs/api-reference#chat-completions)
// and the guides "Reasoning", "Structured Outputs", "Function calling", "Prompt caching":
// - POST https://api.x.ai/v1/chat/completions, Bearer key; OpenAI's message, tool and `response_format` shapes
//   (`json_schema` is supported); images as `image_url` (data or https URLs).
// - `max_tokens` (the preset declares no other field).
// - Reasoning is not sent back: xAI's chat API has no request field for it (grok-4 returns no reasoning text).
// - Prompt caching is automatic (no request field is sent).
// Open question (not settled by the references checked): whether xAI's chat API takes `file` and `input_audio` parts;
// the PDF, text-document and audio cases go out as OpenAI's.
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { xAITarget } from './fidelity-targets';

describe('xAI (OpenAI-compatible preset) request fidelity', () => {
  const suite = fidelitySuite(xAITarget);

  it('drops reasoning parts (no field for them) and keeps the tool call', async () => {
    const [, assistant] = (await suite.request('reasoning-replay')).body.messages as Record<string, unknown>[];
    expect(assistant).not.toHaveProperty('reasoning_content');
    expect(assistant).toMatchObject({ role: 'assistant', content: null, tool_calls: [{ id: 'call_fidelity_1' }] });
    expect((await suite.request('plain-text')).url).toBe('https://api.x.ai/v1/chat/completions');
  });
});
