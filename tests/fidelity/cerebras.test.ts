// Reviewed against Cerebras' Inference API reference, "Chat Completions"
// (https://inference-docs.cerebras.ai/api-reference/chat-completions) and its "OpenAI compatibility" page:
// - POST https://api.cerebras.ai/v1/chat/completions, Bearer key; `max_completion_tokens`; `stream_options`;
//   OpenAI's tool and `response_format` shapes.
// - Text content as strings: text-only part lists are joined by one rule, a newline (never glued words).
// - Reasoning arrives in `reasoning`; it is not sent back.
// Finding (reported, not changed here): Cerebras takes text only (the provider declares no vision), yet the image, PDF,
// text-document and audio cases are sent (nothing refuses those parts before sending).
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { cerebrasTarget } from './fidelity-targets';

describe('Cerebras request fidelity', () => {
  const suite = fidelitySuite(cerebrasTarget);

  it('joins text parts with a newline and sends max_completion_tokens', async () => {
    expect((await suite.request('system-text-parts')).body.messages).toContainEqual({ role: 'system', content: 'Rule one.\nRule two.' });
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('https://api.cerebras.ai/v1/chat/completions');
    expect(plain.body.max_completion_tokens).toBe(256);
  });
});
