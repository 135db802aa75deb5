// Reviewed against DeepSeek's API docs (https://api-docs.deepseek.com): "Create Chat Completion" and the guides
// "Thinking Mode" (https://api-docs.deepseek.com/guides/thinking_mode), "JSON Output", "Function Calling",
// "Context Caching".
// - POST https://api.deepseek.com/v1/chat/completions (the `/v1` base is accepted as well as the bare host), Bearer key.
// - `max_tokens` (DeepSeek's field), `stream_options.include_usage`, `tools` / `tool_choice` as OpenAI's.
// - Thinking mode (on by default): an assistant turn that called tools must carry its `reasoning_content` in the
//   next request, else 400 — the `reasoning-replay` case sends it beside `tool_calls` and `content: null`.
// - Context caching is automatic (on disk, prefix-based): no request field, nothing extra is sent.
// Findings (reported, not changed here): DeepSeek's chat API documents text content only (no image support is listed),
// yet the image, PDF, text-document and audio cases are sent (the preset declares no vision; nothing refuses those parts
// before sending). Open question: the "JSON Output" guide documents `response_format: { type: 'json_object' }` only; the
// `json_schema` form goes out as OpenAI's.
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { deepSeekTarget } from './fidelity-targets';

describe('DeepSeek (OpenAI-compatible preset) request fidelity', () => {
  const suite = fidelitySuite(deepSeekTarget);

  it('replays reasoning as reasoning_content on the assistant turn that called tools', async () => {
    const [, assistant] = (await suite.request('reasoning-replay')).body.messages as Record<string, unknown>[];
    expect(assistant).toMatchObject({
      role: 'assistant',
      content: null,
      reasoning_content: 'The user wants the weather: call get_weather for Paris.',
      tool_calls: [{ id: 'call_fidelity_1', type: 'function' }],
    });
  });

  it('sends max_tokens on DeepSeek’s endpoint', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('https://api.deepseek.com/v1/chat/completions');
    expect(plain.body.max_tokens).toBe(256);
    expect(plain.body).not.toHaveProperty('max_completion_tokens');
  });
});
