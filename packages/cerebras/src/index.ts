export {
  CEREBRAS_DEFAULT_MODEL,
  cerebrasFallbackModels,
  cerebrasSettingsSchema,
  createCerebras,
  defineCerebrasProvider,
  type CerebrasSettings,
} from './cerebras-provider';
export { cerebrasRateLimitHeaders, readCerebrasRateLimits, refineCerebrasError } from './cerebras-rate-limits';
