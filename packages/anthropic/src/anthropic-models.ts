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

/** The day the Anthropic model table below was last checked against Anthropic's model pages and deprecations page. */
export const ANTHROPIC_MODELS_VERIFIED_ON = '2026-12-02';

// Source: https://platform.claude.com/docs/en/about-claude/model-deprecations and the model overview pages
// (platform.claude.com/docs/en/models/<model>/overview), read 2026-12-02. Sonnet 5.5, Opus 5.5 and Haiku 5.5 are the
// current models (1M context, 128K out), none with a retirement date; Haiku 4.5 is "Legacy" with none either.
const fallbackIds: [id: string, name: string][] = [
  ['claude-sonnet-5-5', 'Claude Sonnet 5.5'],
  ['claude-opus-5-5', 'Claude Opus 5.5'],
  ['claude-haiku-5-5', 'Claude Haiku 5.5'],
];

/** A model of the table: its id, name, the family's limits and capabilities, and its retirement date if announced. */
const anthropicModel = ([id, name, shutdownDate]: [id: string, name: string, shutdownDate?: string]): ModelInfo => ({
  id,
  name,
  provider: 'anthropic',
  ...anthropicModelLimits(id),
  capabilities: anthropicModelCapabilities(id),
  ...(shutdownDate && { shutdownDate }),
});

/** Served by `getModels()` when `GET /models` cannot be reached: current models, none with a retirement date. */
export const anthropicFallbackModels: readonly ModelInfo[] = /* @__PURE__ */ fallbackIds.map(anthropicModel);

/**
 * Models with an announced retirement date. Sonnet 4.5 (retires 2026-11-30) from its model page; Claude 3.7 Sonnet and
 * Haiku 3.5 (2026-02-19) from the deprecations page's status table. Seen only in write-ups quoting Anthropic's pages, not
 * on the pages themselves: Opus 4.5 (deprecated 2026-11-23, tentative retirement 2027-01-22) and Sonnet 4 / Opus 4
 * (retired 2026-06-15, per the release notes as quoted).
 */
export const anthropicShutdownModels: readonly ModelInfo[] = /* @__PURE__ */ (
  [
    ['claude-sonnet-4-5', 'Claude Sonnet 4.5', '2026-11-30'],
    ['claude-opus-4-5', 'Claude Opus 4.5', '2027-01-22'],
    ['claude-sonnet-4-20250514', 'Claude Sonnet 4', '2026-06-15'],
    ['claude-opus-4-20250514', 'Claude Opus 4', '2026-06-15'],
    ['claude-3-7-sonnet-20250219', 'Claude Sonnet 3.7', '2026-02-19'],
    ['claude-3-5-haiku-20241022', 'Claude Haiku 3.5', '2026-02-19'],
  ] as [string, string, string][]
).map(anthropicModel);

/** Anthropic's dated model table: the current models, then those with an announced retirement date. */
export const anthropicModels: readonly ModelInfo[] = /* @__PURE__ */ anthropicFallbackModels.concat(anthropicShutdownModels);

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
