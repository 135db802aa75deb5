import { providerSettingsShape, schema, type ProviderSettings } from '@kit/core';
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

/** Strict: an unknown key is an `invalid_config` error naming it. */
export const openAICompatibleSettingsSchema = /* @__PURE__ */ schema.strictObject({
  ...providerSettingsShape,
  preset: schema.optional(schema.literal(...openAICompatiblePresetNames)),
  apiKeyEnvVar: schema.optional(schema.string({ min: 1, pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, format: 'environment variable name' })),
  apiKeyOptional: schema.optional(schema.boolean()),
}) as schema.Schema<OpenAICompatibleSettings>;
