import { patternStringSchema, providerSettingsShape } from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import { openAICompatiblePresetNames } from './openai-compatible-presets';

/**
 * Strict: an unknown key is an `invalid_config` error naming it. Built in a pure IIFE so that a bundle which
 * never calls `createOpenAICompatible` (e.g. one using only `@kit/openai`) drops it and the presets with it.
 */
export const openAICompatibleSettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /** A known service: its base URL, key variable and default model become the defaults. */
    preset: z.optional(z.enum(openAICompatiblePresetNames)),
    /** The server's base URL. Required unless `preset` is given. */
    baseURL: providerSettingsShape.baseURL,
    /** The preset's by default; without either, every call must pass `model`. */
    defaultModel: providerSettingsShape.defaultModel,
    /** Instance name; default the preset name, else `'openai-compatible'`. */
    name: providerSettingsShape.name,
    /** The environment variable holding the key (overrides the preset's). */
    apiKeyEnvVar: z.optional(patternStringSchema(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (letters, digits, _)')),
    /** Send requests without authentication when no key is configured (default: the preset's, else `false`). */
    apiKeyOptional: z.optional(z.boolean()),
    /**
     * How the server counts `usage` where it departs from OpenAI's rule (default: the preset's, else OpenAI's):
     * `{ outputIncludesReasoning: false }` for a server whose `completion_tokens` leaves the reasoning tokens out.
     */
    usage: z.optional(z.strictObject({ outputIncludesReasoning: z.optional(z.boolean()) })),
  }))();

/** Settings of `createOpenAICompatible`: the common ones plus the server's description. */
export type OpenAICompatibleSettings = z.infer<typeof openAICompatibleSettingsSchema>;
