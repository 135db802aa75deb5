import { providerSettingsShape, type ProviderSettings, boolean, literal, optional, strictObject, string, type Schema } from '@kit/core';
import { openAICompatiblePresetNames, type OpenAICompatiblePresetName } from './openai-compatible-presets';

/** Settings of `createOpenAICompatible`: the common ones plus the server's description. */
export interface OpenAICompatibleSettings extends ProviderSettings {
  /** A known service: its base URL, key variable and default model become the defaults. */
  preset?: OpenAICompatiblePresetName;
  /** Required unless `preset` is given. */
  baseURL?: string;
  /** Required unless `preset` is given. */
  defaultModel?: string;
  /** Instance name; default the preset name, else `'openai-compatible'`. */
  name?: string;
  /** The environment variable holding the key (overrides the preset's). */
  apiKeyEnvVar?: string;
  /** Send requests without authentication when no key is configured (default: the preset's, else `false`). */
  apiKeyOptional?: boolean;
}

/**
 * Strict: an unknown key is an `invalid_config` error naming it. Built in a pure IIFE so that a bundle which
 * never calls `createOpenAICompatible` (e.g. one using only `@kit/openai`) drops it and the presets with it.
 */
export const openAICompatibleSettingsSchema = /* @__PURE__ */ (() =>
  strictObject({
    ...providerSettingsShape,
    preset: optional(literal(...openAICompatiblePresetNames)),
    apiKeyEnvVar: optional(string({ min: 1, pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, format: 'environment variable name' })),
    apiKeyOptional: optional(boolean()),
  }) as Schema<OpenAICompatibleSettings>)();
