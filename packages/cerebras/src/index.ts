/**
 * `createCerebras`: the Cerebras inference API (OpenAI wire format, reasoning, per-minute and per-day rate
 * limits).
 *
 * @module @kit/cerebras
 */
export { cerebrasSettingsSchema, createCerebras, defineCerebrasProvider, type CerebrasSettings } from './cerebras-provider';
export {
  CEREBRAS_DEFAULT_MODEL,
  CEREBRAS_MODELS_VERIFIED_ON,
  cerebrasFallbackModels,
  cerebrasModels,
  cerebrasShutdownModels,
} from './cerebras-models';
export { cerebrasRateLimitHeaders, readCerebrasRateLimits, refineCerebrasError } from './cerebras-rate-limits';
