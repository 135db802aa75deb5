import type { ChatCompletion } from './chat-completion';
import type { ChatStream } from './chat-stream.types';
import { singleKeySource, type CredentialSource } from './credential-source';
import { missingKeyAdvice, readEnvironmentVariable } from './environment';
import type { GenerateOptions, ResolvedGenerateOptions } from './generate-options';
import { resolveGenerateOptions } from './generate-options-schema';
import { createEventEmitter, type KitEvent } from './kit-event';
import { DEFAULT_PROVIDER_CAPABILITIES } from './default-capabilities';
import { KitError, toKitError } from './kit-error';
import type { HealthStatus, ModelInfo } from './model-info';
import type { CallOptions, GetModelsOptions, Provider } from './provider';
import type { ProviderDefinition, WireRequest } from './provider-definition';
import { ProviderMetricsTracker } from './provider-metrics-tracker';
import { checkSpecificationVersion } from './provider-specification';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, providerSettingsSchema, type ProviderSettings } from './provider-settings';
import { RequestEngine } from './request-engine';
import { parseOrThrow } from './validate';

/** How long a live model list is reused. */
export const MODELS_CACHE_TTL_MS = 10 * 60_000;
/** At most this many pages of a paged model list are read. */
const MAX_MODEL_PAGES = 20;

/**
 * Builds a complete `Provider` from a provider's wire knowledge; core adds credentials, the engine, events, metrics,
 * models cache and health checks. Throws `invalid_config` when the definition is written for another provider
 * specification (`specificationVersion`) or when `settings` hold a bad value or an unknown field (strict: a typo such
 * as `apikey` is named, not ignored). A provider with settings of its own validates them first and passes the common
 * ones on.
 */
export function createChatProvider(definition: ProviderDefinition, settings: ProviderSettings = {}): Provider {
  checkSpecificationVersion(definition.specificationVersion, definition.type);
  parseOrThrow(providerSettingsSchema, settings, 'invalid_config', { what: `invalid ${definition.type} settings`, provider: definition.type });
  const name = settings.name ?? definition.type;
  const tracker = new ProviderMetricsTracker();
  const metricsSink = settings.metrics;
  const emit = createEventEmitter([
    (event: KitEvent) => tracker.record(event),
    settings.onEvent,
    metricsSink ? (event: KitEvent) => metricsSink.record(event) : undefined,
  ]);
  const credentials: CredentialSource = settings.credentials ?? singleKeySource(() => resolveApiKey(definition, settings, name));
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const engine = new RequestEngine({
    provider: name,
    definition,
    credentials,
    baseURL: settings.baseURL,
    headers: settings.headers ?? {},
    timeoutMs,
    maxRetries: settings.maxRetries ?? DEFAULT_MAX_RETRIES,
    fetch: settings.fetch,
    hooks: settings.hooks,
    emit,
    eventsObserved: Boolean(settings.onEvent || metricsSink),
  });
  const defaultModel = settings.defaultModel ?? definition.defaultModel;
  let modelsCache: { at: number; models: ModelInfo[] } | undefined;

  /** A call's options validated and resolved, the provider's own `providerOptions` included. */
  function resolve(options: GenerateOptions, defaultStream: boolean): ResolvedGenerateOptions {
    const resolved = resolveGenerateOptions(options, { provider: name, defaultModel, defaultStream });
    const own = resolved.providerOptions?.[definition.type];
    if (own && definition.validateProviderOptions) definition.validateProviderOptions(own);
    return resolved;
  }

  async function generateChatCompletion(options: GenerateOptions): Promise<ChatStream> {
    return engine.generate(resolve(options, true));
  }

  // Not `async`: the engine's promise is handed out as it is (one turn of the event loop less per call); bad options
  // still reject, never throw.
  function complete<OUTPUT = unknown>(options: GenerateOptions<OUTPUT>): Promise<ChatCompletion<OUTPUT>> {
    let resolved: ResolvedGenerateOptions;
    try {
      resolved = resolve(options, false);
    } catch (error) {
      return Promise.reject(error);
    }
    // `object` is the answer validated by `resolved.outputSchema`, the schema `OUTPUT` is inferred from.
    return engine.complete(resolved) as Promise<ChatCompletion<OUTPUT>>;
  }

  async function getModels(options: GetModelsOptions = {}): Promise<ModelInfo[]> {
    if (!definition.models) return [...definition.fallbackModels];
    if (!options.refresh && modelsCache && Date.now() - modelsCache.at < MODELS_CACHE_TTL_MS) return [...modelsCache.models];
    try {
      const { parse, nextPage } = definition.models;
      const models: ModelInfo[] = [];
      // Every page of a paged list (bounded: a server that always answers "more" cannot hold the call forever).
      for (let request: WireRequest | undefined = definition.models.request, pages = 0; request && pages < MAX_MODEL_PAGES; pages += 1) {
        const body = await engine.requestOnce(request, options);
        models.push(...parse(body, name));
        request = nextPage?.(body, request);
      }
      modelsCache = { at: Date.now(), models };
      return [...models];
    } catch (error) {
      if (KitError.is(error) && error.code === 'aborted') throw error;
      return [...definition.fallbackModels];
    }
  }

  async function healthCheck(options: CallOptions = {}): Promise<HealthStatus> {
    const request = definition.healthCheckRequest ?? definition.models?.request;
    const started = Date.now();
    let health: HealthStatus;
    if (!request) {
      health = { healthy: false, checkedAt: started, message: `${name} has no health-check endpoint` };
    } else {
      try {
        const body = await engine.requestOnce(request, options);
        const verdict = definition.readHealth?.(body) ?? { healthy: true };
        health = { healthy: verdict.healthy, checkedAt: started, latencyMs: Date.now() - started };
        if (verdict.message !== undefined) health.message = verdict.message;
      } catch (error) {
        const kitError = toKitError(error);
        health = { healthy: false, checkedAt: started, latencyMs: Date.now() - started, message: kitError.message };
        if (kitError.status !== undefined) health.statusCode = kitError.status;
      }
    }
    tracker.setHealth(health);
    return health;
  }

  return {
    name,
    type: definition.type,
    capabilities: { ...DEFAULT_PROVIDER_CAPABILITIES, ...definition.capabilities },
    credentials,
    generateChatCompletion,
    complete,
    getModels,
    getDefaultModel: () => defaultModel,
    healthCheck,
    getMetrics: () => tracker.snapshot(),
    getConfig: () => describeSettings(definition, settings, name, defaultModel),
  };
}

function resolveApiKey(definition: ProviderDefinition, settings: ProviderSettings, name: string): string {
  if (settings.apiKey) return settings.apiKey;
  const variable = definition.apiKeyEnvVar;
  const fromEnvironment = variable ? readEnvironmentVariable(variable, settings.env) : undefined;
  if (fromEnvironment) return fromEnvironment;
  if (definition.apiKeyOptional) return '';
  throw new KitError('invalid_config', `apiKey: ${name} has none: ${missingKeyAdvice(variable, settings.env)}`, { provider: name });
}

function describeSettings(definition: ProviderDefinition, settings: ProviderSettings, name: string, defaultModel: string) {
  return {
    name,
    type: definition.type,
    baseURL: settings.baseURL ?? definition.defaultBaseURL,
    defaultModel,
    timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: settings.maxRetries ?? DEFAULT_MAX_RETRIES,
    // Header names only: a value may be a credential.
    headers: Object.keys(settings.headers ?? {}),
  };
}
