import type { ModelCapabilities, ModelInfo } from '@kit/core';
import type { OpenAICompatiblePresetName } from './openai-compatible-presets';

/** The day the preset model tables below were last checked against each service's model and deprecation pages. */
export const OPENAI_COMPATIBLE_PRESET_MODELS_VERIFIED_ON = '2026-12-02';

const text: ModelCapabilities = { streaming: true, tools: true, vision: false, reasoning: true, json: true };
const withVision: ModelCapabilities = { ...text, vision: true };

/** `[id, contextWindow, maxOutputTokens, shutdownDate]`: limits and date where the service states them. */
type Row = [id: string, contextWindow?: number, maxOutputTokens?: number, shutdownDate?: string];

const rows = (provider: string, capabilities: ModelCapabilities, list: Row[]): ModelInfo[] =>
  list.map(([id, contextWindow, maxOutputTokens, shutdownDate]) => ({
    id,
    provider,
    ...(contextWindow && { contextWindow }),
    ...(maxOutputTokens && { maxOutputTokens }),
    capabilities,
    ...(shutdownDate && { shutdownDate }),
  }));

/**
 * One dated table per preset: its current models first (the default among them, served by `getModels()` when the live
 * list fails), then the models with an announced shutdown date. Sources, read 2026-12-02:
 *
 * - deepseek: https://api-docs.deepseek.com/quick_start/pricing ("1M" context, "384K" maximum output; counts as a relay
 *   lists them) and DeepSeek's V4 release note: `deepseek-chat` and `deepseek-reasoner` are inaccessible after
 *   2026-07-24 15:59 UTC, replaced by `deepseek-v4-flash` (non-thinking / thinking) and `deepseek-v4-pro`.
 * - xai: https://docs.x.ai/developers/migration/may-15-retirement (the retired models, grok-4.3 their replacement);
 *   grok-4.3's 1M-token context as Vercel's AI Gateway lists it (xAI's own model page was not seen).
 * - groq, together, fireworks (gpt-oss-120b) and zen (kimi-k2.5): no deprecation of these ids was found in the stored
 *   copies of their deprecation pages; limits not confirmed, so left out.
 * - lmstudio, llamacpp, vllm: local servers run whatever model they were given; nothing is shut down for them.
 */
export const openAICompatiblePresetModels: Record<OpenAICompatiblePresetName, readonly ModelInfo[]> = /* @__PURE__ */ (() => ({
  groq: rows('groq', text, [['openai/gpt-oss-120b']]),
  zen: rows('zen', text, [['kimi-k2.5']]),
  deepseek: rows('deepseek', text, [
    ['deepseek-v4-flash', 1_048_576, 393_216],
    ['deepseek-v4-pro', 1_048_576, 393_216],
    ['deepseek-chat', undefined, undefined, '2026-07-24'],
    ['deepseek-reasoner', undefined, undefined, '2026-07-24'],
  ]),
  xai: rows('xai', withVision, [
    ['grok-4.3', 1_000_000],
    ...'grok-4-1-fast-reasoning grok-4-1-fast-non-reasoning grok-4-fast-reasoning grok-4-fast-non-reasoning grok-4-0709 grok-code-fast-1 grok-3'
      .split(' ')
      .map((id): Row => [id, undefined, undefined, '2026-05-15']),
  ]),
  together: rows('together', text, [['openai/gpt-oss-120b']]),
  fireworks: rows('fireworks', text, [['accounts/fireworks/models/gpt-oss-120b']]),
  lmstudio: rows('lmstudio', text, [['openai/gpt-oss-20b']]),
  llamacpp: rows('llamacpp', text, [['gpt-oss-20b']]),
  vllm: rows('vllm', text, [['openai/gpt-oss-20b']]),
}))();
