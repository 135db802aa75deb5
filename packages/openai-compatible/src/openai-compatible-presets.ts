import type { ProviderCapabilities } from '@kit/core';
import type { ReasoningReplay } from './convert-to-openai-messages';
import type { MaxTokensField } from './openai-chat-request';
import type { UsageCounting } from './openai-usage-counting';

/** Where an OpenAI-compatible service lives and what it offers. */
export interface OpenAICompatiblePreset {
  baseURL: string;
  /** The environment variable read for the key; absent for local servers. */
  apiKeyEnvVar?: string;
  /** Local servers accept requests without a key. */
  apiKeyOptional?: boolean;
  defaultModel: string;
  capabilities: Partial<ProviderCapabilities>;
  /** The field that carries `maxTokens`; default `max_tokens`. */
  maxTokensField?: MaxTokensField;
  /** How assistant reasoning parts are sent back; default `'drop'`. */
  reasoningReplay?: ReasoningReplay;
  /** How the service counts `usage` where it departs from OpenAI's rule (see `UsageCounting`). */
  usage?: UsageCounting;
}

// Plain literals (no spreads) keep this module free of side effects, so bundles that use no preset drop it.
const hosted = { tools: true, json: true, reasoning: true } as const;
const hostedWithVision = { tools: true, json: true, reasoning: true, vision: true } as const;
const local = hostedWithVision;

/**
 * Known OpenAI-compatible services. Default models are current ones without an announced shutdown, checked on the day
 * of `OPENAI_COMPATIBLE_PRESET_MODELS_VERIFIED_ON` (the dated tables are in `openAICompatiblePresetModels`); model
 * catalogues change, so pass `defaultModel` (or a per-call `model`) for anything else — `getModels()` lists what a
 * server offers.
 */
export const openAICompatiblePresets = {
  /** GroqCloud. */
  groq: { baseURL: 'https://api.groq.com/openai/v1', apiKeyEnvVar: 'GROQ_API_KEY', defaultModel: 'openai/gpt-oss-120b', capabilities: hostedWithVision },
  /** OpenCode Zen (its chat-completions models: Kimi, GLM, Qwen, …). */
  zen: { baseURL: 'https://opencode.ai/zen/v1', apiKeyEnvVar: 'OPENCODE_API_KEY', defaultModel: 'kimi-k2.5', capabilities: hosted },
  /**
   * DeepSeek. Thinking mode streams `reasoning_content`, and wants it back on the assistant messages of a turn
   * that called tools (https://api-docs.deepseek.com/guides/thinking_mode): reasoning parts go back as `reasoning_content`.
   */
  deepseek: {
    baseURL: 'https://api.deepseek.com/v1',
    apiKeyEnvVar: 'DEEPSEEK_API_KEY',
    defaultModel: 'deepseek-v4-flash',
    capabilities: hosted,
    reasoningReplay: 'reasoning_content',
  },
  /**
   * xAI Grok. Its `completion_tokens` leaves out the reasoning tokens (counted in `completion_tokens_details` and
   * `total_tokens` only), so they are added to `outputTokens`.
   */
  xai: {
    baseURL: 'https://api.x.ai/v1',
    apiKeyEnvVar: 'XAI_API_KEY',
    defaultModel: 'grok-4.3',
    capabilities: hostedWithVision,
    usage: { outputIncludesReasoning: false },
  },
  /** Together AI. */
  together: { baseURL: 'https://api.together.xyz/v1', apiKeyEnvVar: 'TOGETHER_API_KEY', defaultModel: 'openai/gpt-oss-120b', capabilities: hostedWithVision },
  /** Fireworks AI. */
  fireworks: {
    baseURL: 'https://api.fireworks.ai/inference/v1',
    apiKeyEnvVar: 'FIREWORKS_API_KEY',
    defaultModel: 'accounts/fireworks/models/gpt-oss-120b',
    capabilities: hostedWithVision,
  },
  /** LM Studio's local server (the model id is the one LM Studio shows). */
  lmstudio: { baseURL: 'http://localhost:1234/v1', apiKeyOptional: true, defaultModel: 'openai/gpt-oss-20b', capabilities: local },
  /** llama.cpp's `llama-server` (serves the model it was started with, whatever the id). */
  llamacpp: { baseURL: 'http://localhost:8080/v1', apiKeyOptional: true, defaultModel: 'gpt-oss-20b', capabilities: local },
  /** vLLM's OpenAI-compatible server (the model id is the served model name). */
  vllm: { baseURL: 'http://localhost:8000/v1', apiKeyOptional: true, defaultModel: 'openai/gpt-oss-20b', capabilities: local },
} satisfies Record<string, OpenAICompatiblePreset>;

export type OpenAICompatiblePresetName = keyof typeof openAICompatiblePresets;

/** The preset names, in declaration order. */
export const openAICompatiblePresetNames = /* @__PURE__ */ Object.keys(openAICompatiblePresets) as OpenAICompatiblePresetName[];
