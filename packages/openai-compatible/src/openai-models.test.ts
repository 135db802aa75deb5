import { describe, expect, it } from 'vitest';
import { parseOpenAIModels } from './openai-models';

const defaultCapabilities = { streaming: true, tools: true, vision: false, reasoning: false, json: true };
const known = [
  {
    id: 'gpt-4.1-mini',
    name: 'GPT-4.1 mini',
    provider: 'openai',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    capabilities: { streaming: true, tools: true, vision: true, reasoning: false, json: true },
    pricing: { inputPerMTok: 0.4, outputPerMTok: 1.6, currency: 'USD' },
  },
];

describe('parseOpenAIModels', () => {
  it('parses the OpenAI list and fills metadata from known models (also for dated snapshots)', () => {
    const body = {
      object: 'list',
      data: [
        { id: 'gpt-4.1-mini', object: 'model', created: 1_744_318_173, owned_by: 'system' },
        { id: 'gpt-4.1-mini-2025-04-14', object: 'model', created: 1_744_317_547, owned_by: 'system' },
        { id: 'text-embedding-3-small', object: 'model', created: 1_705_948_997, owned_by: 'system' },
      ],
    };
    const models = parseOpenAIModels(body, 'openai', { knownModels: known, defaultCapabilities, include: (id) => !id.includes('embedding') });
    expect(models).toHaveLength(2);
    expect(models[0]).toEqual({ ...known[0], capabilities: { ...known[0]?.capabilities } });
    expect(models[1]).toMatchObject({ id: 'gpt-4.1-mini-2025-04-14', contextWindow: 1_047_576, capabilities: { vision: true } });
  });

  it('reads context sizes of compatible servers and defaults capabilities', () => {
    const models = parseOpenAIModels(
      {
        data: [
          { id: 'openai/gpt-oss-120b', object: 'model', owned_by: 'OpenAI', active: true, context_window: 131_072, max_completion_tokens: 65_536 },
          { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', display_name: 'Llama 3.3 70B', context_length: 131_072 },
          { id: 'Qwen/Qwen3-8B', object: 'model', max_model_len: 32_768 },
        ],
      },
      'groq',
      { defaultCapabilities },
    );
    expect(models).toEqual([
      { id: 'openai/gpt-oss-120b', provider: 'groq', contextWindow: 131_072, maxOutputTokens: 65_536, capabilities: defaultCapabilities },
      { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', name: 'Llama 3.3 70B', provider: 'groq', contextWindow: 131_072, capabilities: defaultCapabilities },
      { id: 'Qwen/Qwen3-8B', provider: 'groq', contextWindow: 32_768, capabilities: defaultCapabilities },
    ]);
  });

  it('is lenient with junk', () => {
    expect(parseOpenAIModels(null, 'x', { defaultCapabilities })).toEqual([]);
    expect(parseOpenAIModels({ data: 'nope' }, 'x', { defaultCapabilities })).toEqual([]);
    expect(parseOpenAIModels({ data: [null, 1, { id: 7 }, { id: '' }, { id: 'ok', context_window: 'big' }] }, 'x', { defaultCapabilities })).toEqual([
      { id: 'ok', provider: 'x', capabilities: defaultCapabilities },
    ]);
    expect(parseOpenAIModels([{ id: 'bare-array' }], 'x', { defaultCapabilities })).toHaveLength(1);
  });

  it("reads OpenAI's shutdown_date (a YYYY-MM-DD string, or null when none is announced)", () => {
    // The field as developers.openai.com/api/docs/deprecations documents it for GET /v1/models.
    const body = {
      data: [
        { id: 'gpt-4.1-mini', object: 'model', owned_by: 'system', shutdown_date: '2027-01-14' },
        { id: 'gpt-6-luna', object: 'model', owned_by: 'system', shutdown_date: null },
        { id: 'odd', object: 'model', shutdown_date: 20270114 },
      ],
    };
    const models = parseOpenAIModels(body, 'openai', { defaultCapabilities });
    expect(models.map((model) => [model.id, model.shutdownDate])).toEqual([
      ['gpt-4.1-mini', '2027-01-14'],
      ['gpt-6-luna', undefined],
      ['odd', undefined],
    ]);
    expect('shutdownDate' in (models[1] ?? {})).toBe(false);
  });
});
