import { nonEmptyStringSchema, providerSettingsShape } from '@kit/core/provider-utils';
import * as z from 'zod/mini';

/** A local Ollama server's default address. */
export const OLLAMA_BASE_URL = 'http://localhost:11434';
/** Ollama's cloud: the same native API, with a Bearer key (`OLLAMA_API_KEY`). */
export const OLLAMA_CLOUD_BASE_URL = 'https://ollama.com';
/** The key for ollama.com (a local server needs none), read at request time. */
export const OLLAMA_API_KEY_ENV_VAR = 'OLLAMA_API_KEY';
/** Where the server listens, as Ollama's own CLI reads it (`host:port`, `http://host:port`, …). */
export const OLLAMA_HOST_ENV_VAR = 'OLLAMA_HOST';
/** A small model most installations have pulled (`ollama pull llama3.2`); set `defaultModel` for yours. */
export const OLLAMA_DEFAULT_MODEL = 'llama3.2';

/** How long the model stays loaded after a request: a duration (`'5m'`, `'1h'`), seconds, `0` (unload) or `-1` (forever). */
export const keepAliveSchema = () => z.union([nonEmptyStringSchema(), z.number()]);

/** Strict: an unknown key is an `invalid_config` error naming it. (A pure IIFE: unused, it is shaken out.) */
export const ollamaSettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /** `keep_alive` sent with every chat request unless `providerOptions.ollama.keepAlive` says otherwise. */
    keepAlive: z.optional(keepAliveSchema()),
  }))();

/** Settings of `createOllama`: the common ones plus a default `keepAlive`. */
export type OllamaSettings = z.infer<typeof ollamaSettingsSchema>;
