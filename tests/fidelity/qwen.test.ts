// Reviewed against Alibaba Cloud Model Studio's "OpenAI compatible – Chat" reference
// (https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope) and its guides "Deep
// thinking", "Structured output", "Function calling", "Context cache":
// - POST https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions (Singapore; the `region` setting picks
//   another endpoint), Bearer DashScope key; OpenAI's message, tool and `response_format` shapes.
// - API keys send `max_completion_tokens` (the provider's rule for DashScope; Qwen OAuth portals keep `max_tokens`).
// - Reasoning (`reasoning_content` in answers) is not sent back.
// - Implicit context caching is automatic (no request field); explicit `cache_control` markers are not sent by @kit.
// Open question: which Qwen models take `file` / `input_audio` parts; the PDF, text-document and audio cases go out as
// OpenAI's.
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { qwenTarget } from './fidelity-targets';

describe('Qwen (DashScope API key) request fidelity', () => {
  const suite = fidelitySuite(qwenTarget);

  it('sends max_completion_tokens to DashScope’s OpenAI-compatible endpoint', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions');
    expect(plain.body.max_completion_tokens).toBe(256);
    expect(plain.body).not.toHaveProperty('max_tokens');
  });
});
