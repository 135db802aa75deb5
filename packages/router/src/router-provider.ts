import {
  KitError,
  toKitError,
  type CallOptions,
  type ChatCompletion,
  type ChatStream,
  type CredentialSource,
  type GenerateOptions,
  type GetModelsOptions,
  type HealthStatus,
  type ModelInfo,
  type Provider,
  type ProviderCapabilities,
} from '@kit/core';
import { aggregateMetrics } from './aggregate-metrics';
import type { EntryPool } from './entry-pool';

/** What a router kind adds to the shared provider shell (internal). */
export interface RouterCore {
  name: string;
  type: 'fallback' | 'load-balancer' | 'race';
  pool: EntryPool;
  /** One call: resolves with the chosen entry's stream, at its first content event. */
  route(options: GenerateOptions): Promise<ChatStream>;
  /** Kind-specific settings for `getConfig()` (no secrets: entries are named, never described). */
  config: Record<string, unknown>;
}

const capabilityNames = ['streaming', 'tools', 'vision', 'documents', 'audio', 'reasoning', 'json'] as const;

/**
 * A `Provider` around a router: `generateChatCompletion` and `complete` go through `route` (one path), `getModels`
 * and `healthCheck` ask every entry, `getMetrics` sums the entries' metrics. A router has no credential of its own:
 * `credentials` refuses to hand one out (each entry uses its own).
 */
export function createRouterProvider(core: RouterCore): Provider {
  const { name, pool } = core;
  const entries = pool.entries;
  let lastHealth: HealthStatus | undefined;

  async function generateChatCompletion(options: GenerateOptions): Promise<ChatStream> {
    return core.route(checkOptions(options, name));
  }

  async function complete<OUTPUT = unknown>(options: GenerateOptions<OUTPUT>): Promise<ChatCompletion<OUTPUT>> {
    const checked = checkOptions(options, name);
    const stream = await core.route({ ...checked, stream: checked.stream ?? false });
    return (await stream.final()) as ChatCompletion<OUTPUT>;
  }

  async function getModels(options: GetModelsOptions = {}): Promise<ModelInfo[]> {
    const lists = await Promise.allSettled(entries.map((entry) => entry.provider.getModels?.(options) ?? Promise.resolve([])));
    const seen = new Set<string>();
    const models: ModelInfo[] = [];
    for (const list of lists) {
      if (list.status === 'rejected') {
        if (KitError.is(list.reason) && list.reason.code === 'aborted') throw list.reason;
        continue;
      }
      for (const model of list.value) {
        const key = `${model.provider}\u0000${model.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        models.push(model);
      }
    }
    return models;
  }

  async function healthCheck(options: CallOptions = {}): Promise<HealthStatus> {
    const started = Date.now();
    const results = await Promise.all(
      entries.map(async (entry): Promise<HealthStatus> => {
        if (!entry.provider.healthCheck) return { healthy: false, checkedAt: started, message: 'has no health check' };
        try {
          return await entry.provider.healthCheck(options);
        } catch (error) {
          return { healthy: false, checkedAt: started, message: toKitError(error).message };
        }
      }),
    );
    const healthy = results.filter((result) => result.healthy);
    const sick = results.map((result, index) => ({ result, entry: entries[index] })).filter(({ result }) => !result.healthy);
    const health: HealthStatus = { healthy: healthy.length > 0, checkedAt: started, latencyMs: Date.now() - started };
    health.message =
      sick.length === 0
        ? `${results.length} of ${results.length} entries healthy`
        : `${healthy.length} of ${results.length} entries healthy; ${sick.map(({ entry, result }) => `${entry?.name}: ${result.message ?? 'unhealthy'}`).join('; ')}`;
    lastHealth = health;
    return health;
  }

  const credentials: CredentialSource = {
    acquire: async () => {
      throw new KitError('invalid_config', `${name}: a router has no credentials of its own (each entry uses its own)`, { provider: name });
    },
    reportSuccess: () => {},
    reportFailure: () => {},
  };

  return {
    name,
    type: core.type,
    capabilities: commonCapabilities(entries.map((entry) => entry.provider.capabilities)),
    credentials,
    generateChatCompletion,
    complete,
    getModels,
    getDefaultModel: () => {
      const first = entries[0];
      return first?.model ?? first?.provider.getDefaultModel?.() ?? '';
    },
    healthCheck,
    getMetrics: () =>
      aggregateMetrics(
        entries.map((entry) => entry.provider.getMetrics?.()).filter((metrics) => metrics !== undefined),
        lastHealth,
      ),
    getConfig: () => ({
      name,
      type: core.type,
      ...core.config,
      entries: entries.map((entry) => ({
        name: entry.name,
        provider: entry.provider.name,
        type: entry.provider.type,
        ...(entry.model === undefined ? {} : { model: entry.model }),
        weight: entry.weight,
      })),
    }),
  };
}

/** What the router can promise whichever entry answers: a capability every entry has (an entry that does not say has none). */
function commonCapabilities(list: readonly (ProviderCapabilities | undefined)[]): ProviderCapabilities {
  const result = {} as ProviderCapabilities;
  for (const name of capabilityNames) result[name] = list.every((capabilities) => capabilities?.[name] === true);
  return result;
}

/** Call options must be an object; the entries validate the rest (an `invalid_request` there does not move on). */
function checkOptions<T extends GenerateOptions>(options: T, router: string): T {
  if (typeof options !== 'object' || options === null) {
    throw new KitError('invalid_request', `${router}: options: must be an object`, { provider: router });
  }
  return options;
}
