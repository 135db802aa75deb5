import { describe, expect, it } from 'vitest';
import {
  ANTHROPIC_MODELS_VERIFIED_ON,
  anthropicFallbackModels,
  anthropicModelCapabilities,
  anthropicModelLimits,
  anthropicModels,
  anthropicShutdownModels,
  parseAnthropicModels,
} from './anthropic-models';
import { ANTHROPIC_DEFAULT_MODEL } from './anthropic-settings';

describe('Anthropic model knowledge', () => {
  it('knows the limits of each family, dated ids and aliases alike', () => {
    expect(anthropicModelLimits('claude-sonnet-5-5')).toEqual({ contextWindow: 1_000_000, maxOutputTokens: 128_000 });
    expect(anthropicModelLimits('claude-opus-5')).toEqual({ contextWindow: 1_000_000, maxOutputTokens: 128_000 });
    expect(anthropicModelLimits('claude-sonnet-4-6')?.maxOutputTokens).toBe(128_000);
    expect(anthropicModelLimits('claude-haiku-4-5-20251001')).toEqual({ contextWindow: 200_000, maxOutputTokens: 64_000 });
    expect(anthropicModelLimits('claude-sonnet-4-20250514')?.maxOutputTokens).toBe(64_000);
    expect(anthropicModelLimits('claude-3-7-sonnet-20250219')?.maxOutputTokens).toBe(64_000);
    expect(anthropicModelLimits('claude-opus-4-20250514')?.maxOutputTokens).toBe(32_000);
    expect(anthropicModelLimits('claude-3-haiku-20240307')).toBeUndefined();
  });

  it('capabilities: thinking from 3.7, native JSON output from 4.5', () => {
    const of = (id: string) => [anthropicModelCapabilities(id).reasoning, anthropicModelCapabilities(id).json];
    expect(of('claude-sonnet-5-5')).toEqual([true, true]);
    expect(of('claude-haiku-4-5')).toEqual([true, true]);
    expect(of('claude-opus-4-1-20250805')).toEqual([true, false]);
    expect(of('claude-sonnet-4-20250514')).toEqual([true, false]);
    expect(of('claude-3-7-sonnet-latest')).toEqual([true, false]);
    expect(of('claude-3-5-haiku-20241022')).toEqual([false, false]);
  });

  it('parses GET /models leniently, preferring what the API says', () => {
    const models = parseAnthropicModels(
      {
        data: [
          {
            type: 'model',
            id: 'claude-opus-5-5',
            display_name: 'Claude Opus 5.5',
            created_at: '2026-09-29T00:00:00Z',
            max_input_tokens: 1_000_000,
            max_tokens: 128_000,
            capabilities: { image_input: { supported: true }, thinking: { supported: true }, structured_outputs: { supported: true } },
          },
          {
            type: 'model',
            id: 'claude-haiku-4-5-20251001',
            display_name: 'Claude Haiku 4.5',
            max_input_tokens: 0,
            capabilities: { image_input: { supported: false } },
          },
          { type: 'model', display_name: 'no id' },
          null,
        ],
        has_more: false,
        first_id: 'claude-opus-5-5',
        last_id: 'claude-haiku-4-5-20251001',
      },
      'my-claude',
    );
    expect(models).toEqual([
      {
        id: 'claude-opus-5-5',
        provider: 'my-claude',
        name: 'Claude Opus 5.5',
        contextWindow: 1_000_000,
        maxOutputTokens: 128_000,
        capabilities: { streaming: true, tools: true, vision: true, reasoning: true, json: true },
      },
      {
        id: 'claude-haiku-4-5-20251001',
        provider: 'my-claude',
        name: 'Claude Haiku 4.5',
        contextWindow: 200_000,
        maxOutputTokens: 64_000,
        capabilities: { streaming: true, tools: true, vision: false, reasoning: true, json: true },
      },
    ]);
    expect(parseAnthropicModels({ error: 'nope' }, 'anthropic')).toEqual([]);
    expect(parseAnthropicModels('text', 'anthropic')).toEqual([]);
  });

  it('has a fallback list with limits', () => {
    expect(anthropicFallbackModels.map((model) => model.id)).toContain(ANTHROPIC_DEFAULT_MODEL);
    for (const model of anthropicFallbackModels)
      expect(model).toMatchObject({ provider: 'anthropic', contextWindow: expect.any(Number), maxOutputTokens: expect.any(Number) });
  });

  it('keeps one dated table: current models without a retirement date, announced retirements with theirs', () => {
    expect(ANTHROPIC_MODELS_VERIFIED_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(anthropicModels).toEqual([...anthropicFallbackModels, ...anthropicShutdownModels]);
    expect(anthropicFallbackModels.map((model) => [model.id, model.shutdownDate, model.contextWindow])).toEqual([
      ['claude-sonnet-5-5', undefined, 1_000_000],
      ['claude-opus-5-5', undefined, 1_000_000],
      ['claude-haiku-5-5', undefined, 1_000_000],
    ]);
    expect(anthropicShutdownModels.find((model) => model.id === 'claude-sonnet-4-5')).toMatchObject({ shutdownDate: '2026-11-30', contextWindow: 200_000 });
    for (const model of anthropicShutdownModels) expect(model.shutdownDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
