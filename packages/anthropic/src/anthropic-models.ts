import { compact } from '@kit/core/provider-utils';
import type { ModelCapabilities, ModelInfo } from '@kit/core';
import { fieldsOf } from './wire';

/** What a model can take and give: context window and output limit. */
interface ModelLimits {
  contextWindow: number;
  maxOutputTokens: number;
}

/**
 * Limits by model family, newest first: `[id pattern, context window, output limit]`. Ids carry an optional date
 * (`claude-haiku-4-5-20251001`); an alias (`claude-haiku-4-5`) matches the same row.
 */
const limitRules: [pattern: RegExp, contextWindow: number, maxOutputTokens: number][] = [
  [/^claude-[a-z]+-([5-9]|\d\d)\b/, 1_000_000, 128_000], // the 5 generation and later: Opus, Sonnet, Haiku, Fable
  [/^claude-(opus-4-[6-9]|sonnet-4-6)/, 1_000_000, 128_000],
  [/^claude-([a-z]+-4-5|sonnet-4|3-7-sonnet)/, 200_000, 64_000],
  [/^claude-opus-4/, 200_000, 32_000],
  [/^claude-3-5/, 200_000, 8_192],
];

/** A model's context window and output limit, when the family is known. */
export function anthropicModelLimits(model: string): ModelLimits | undefined {
  const rule = limitRules.find(([pattern]) => pattern.test(model));
  return rule && { contextWindow: rule[1], maxOutputTokens: rule[2] };
}

/** The `max_tokens` sent when the caller sets none (the API requires it): the model's output limit, else 4096. */
export function defaultMaxTokens(model: string): number {
  return anthropicModelLimits(model)?.maxOutputTokens ?? 4096;
}

/**
 * Capabilities of a Claude model by its id: every Claude 3+ model streams, calls tools and reads images;
 * extended thinking arrived with Claude 3.7, native JSON output (`output_config.format`) with the 4.5 generation.
 */
export function anthropicModelCapabilities(id: string): ModelCapabilities {
  return {
    streaming: true,
    tools: true,
    vision: true,
    reasoning: !/^claude-(3-[05a-z]|2|instant)/.test(id),
    json: /^claude-[a-z]+-(4-[5-9]|[5-9]|\d\d)/.test(id),
  };
}

const fallbackIds: [id: string, name: string][] = [
  ['claude-sonnet-5-5', 'Claude Sonnet 5.5'],
  ['claude-opus-5-5', 'Claude Opus 5.5'],
  ['claude-haiku-4-5', 'Claude Haiku 4.5'],
];

/** Served by `getModels()` when `GET /models` cannot be reached. */
export const anthropicFallbackModels: readonly ModelInfo[] = /* @__PURE__ */ fallbackIds.map(([id, name]) => ({
  id,
  name,
  provider: 'anthropic',
  ...anthropicModelLimits(id),
  capabilities: anthropicModelCapabilities(id),
}));

/** The page size asked of `GET /models`: the API's maximum, so that one page holds every model. */
export const MODELS_PAGE_LIMIT = 1000;

const positive = (value: unknown) => (Number.isFinite(value) && (value as number) > 0 ? (value as number) : undefined);
/** A capability the live list reports (`capabilities.image_input.supported`), else the fallback. */
const supported = (capabilities: Record<string, unknown>, name: string, fallback: boolean) => {
  const value = fieldsOf(capabilities[name]).supported;
  return typeof value === 'boolean' ? value : fallback;
};

/**
 * Parses `GET /models` (`{ data: [{ id, display_name, max_input_tokens, max_tokens, capabilities }], has_more }`)
 * leniently: entries without an id are skipped, unknown fields ignored. What the list says about limits and
 * capabilities wins over the built-in table.
 */
export function parseAnthropicModels(body: unknown, provider: string): ModelInfo[] {
  const list = fieldsOf(body).data;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const model = fieldsOf(entry);
    const { id, display_name: name } = model;
    if (typeof id !== 'string' || !id) return [];
    const known = anthropicModelCapabilities(id);
    const capabilities = fieldsOf(model.capabilities);
    const limits = anthropicModelLimits(id);
    return compact({
      id,
      provider,
      name: typeof name === 'string' ? name : undefined,
      contextWindow: positive(model.max_input_tokens) ?? limits?.contextWindow,
      maxOutputTokens: positive(model.max_tokens) ?? limits?.maxOutputTokens,
      capabilities: {
        ...known,
        vision: supported(capabilities, 'image_input', known.vision),
        reasoning: supported(capabilities, 'thinking', known.reasoning),
        json: supported(capabilities, 'structured_outputs', known.json),
      },
    });
  });
}
