// Reviewed against Microsoft's "Azure OpenAI in Foundry Models v1 API" (https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle)
// and the "Chat completions" REST reference:
// - POST https://{resource}.openai.azure.com/openai/v1/chat/completions (no `api-version` on the v1 API); `model` is
//   the deployment name; the key in `api-key` (Entra ID tokens go as `Authorization: Bearer`, never both).
// - The OpenAI Chat Completions body, with `max_completion_tokens` (which reasoning deployments require; older dated
//   api-versions take `max_tokens`).
// - `prompt_cache_key` passes through `providerOptions.azure` (prompt caching itself is automatic).
// - As on OpenAI, the `text-document` case goes as a text part (Chat Completions takes PDFs only as files).
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { azureTarget } from './fidelity-targets';

describe('Azure OpenAI (v1 API, API key) request fidelity', () => {
  const suite = fidelitySuite(azureTarget);

  it('sends the deployment as model, the key as api-key, and max_completion_tokens', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('https://fidelity-resource.openai.azure.com/openai/v1/chat/completions');
    expect(plain.headers['api-key']).toBe('<api-key>');
    expect(plain.headers).not.toHaveProperty('authorization');
    expect(plain.body).toMatchObject({ model: 'fidelity-gpt-deployment', max_completion_tokens: 256 });
  });
});
