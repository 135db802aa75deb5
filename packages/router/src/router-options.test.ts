import { KitError, type ChatStream, type Provider } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { createFallback } from './create-fallback';
import { createLoadBalancer } from './create-load-balancer';
import { createRace } from './create-race';

/** A provider that is never called: these tests only build routers. */
function stubProvider(name: string): Provider {
  const refuse = async (): Promise<never> => {
    throw new Error('not called in this test');
  };
  return {
    name,
    type: 'stub',
    capabilities: { streaming: true, tools: true, vision: false, documents: false, audio: false, reasoning: false, json: true },
    credentials: { acquire: refuse, reportSuccess: () => {}, reportFailure: () => {} },
    generateChatCompletion: refuse as () => Promise<ChatStream>,
    complete: refuse,
    getModels: async () => [],
    getDefaultModel: () => `${name}-model`,
    healthCheck: async () => ({ healthy: true, checkedAt: 0 }),
    getMetrics: () => ({
      requestCount: 0,
      successCount: 0,
      errorCount: 0,
      totalLatencyMs: 0,
      averageLatencyMs: 0,
      tokens: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    }),
    getConfig: () => ({}),
  };
}

function configError(build: () => unknown): KitError {
  try {
    build();
  } catch (error) {
    if (KitError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an invalid_config error');
}

describe('router settings validation', () => {
  const a = stubProvider('a');
  const b = stubProvider('b');

  it('an empty entry list is invalid_config naming entries', () => {
    const error = configError(() => createFallback([]));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('entries: must hold at least one entry');
  });

  it('a value that is not a provider names its position', () => {
    const error = configError(() => createFallback([a, { name: 'x' } as unknown as Provider]));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(/entries\[1\]/);
  });

  it('a bad per-entry field names entries[i].field', () => {
    expect(configError(() => createLoadBalancer([a, { provider: b, weight: -1 }], { strategy: 'weighted' })).message).toContain('entries[1].weight');
    expect(configError(() => createFallback([{ provider: a, model: '' }])).message).toContain('entries[0].model');
    expect(configError(() => createFallback([{ provider: a, modle: 'x' } as never])).message).toContain('entries[0].modle');
  });

  it('options are strict and name the field', () => {
    expect(configError(() => createLoadBalancer([a], { strategy: 'fastest' as never })).message).toContain('options.strategy');
    expect(configError(() => createRace([a], { delayMs: -5 })).message).toContain('options.delayMs');
    expect(configError(() => createRace([a], { timeoutMs: 0 })).message).toContain('options.timeoutMs');
    expect(configError(() => createFallback([a], { strategy: 'random' } as never)).message).toContain('options.strategy');
    expect(configError(() => createFallback([a], { unhealthyAfter: 0 })).message).toContain('options.unhealthyAfter');
    expect(configError(() => createFallback([a], { contextLengthFallback: 'yes' as never })).message).toContain('options.contextLengthFallback');
    expect(configError(() => createFallback([a], { initialBackoffMs: 5_000, maxBackoffMs: 1_000 })).message).toContain('maxBackoffMs');
  });

  it('good settings build a Provider that describes its entries without secrets', () => {
    const router = createLoadBalancer([a, { provider: a, model: 'other' }, { provider: b, weight: 2, name: 'bee' }, b], { strategy: 'weighted', name: 'lb' });
    expect(router.name).toBe('lb');
    expect(router.type).toBe('load-balancer');
    expect(router.getDefaultModel()).toBe('a-model');
    expect(router.getConfig()).toEqual({
      name: 'lb',
      type: 'load-balancer',
      strategy: 'weighted',
      contextLengthFallback: false,
      entries: [
        { name: 'a', provider: 'a', type: 'stub', weight: 1 },
        { name: 'a/other', provider: 'a', type: 'stub', model: 'other', weight: 1 },
        { name: 'bee', provider: 'b', type: 'stub', weight: 2 },
        { name: 'b', provider: 'b', type: 'stub', weight: 1 },
      ],
    });
    // Duplicate names are told apart by position.
    expect(createFallback([a, a]).getConfig().entries).toMatchObject([{ name: 'a' }, { name: 'a#2' }]);
  });

  it('a router has no credential of its own', async () => {
    await expect(createRace([a]).credentials.acquire({})).rejects.toMatchObject({ code: 'invalid_config' });
  });

  it('capabilities are those every entry has', () => {
    const vision = { ...stubProvider('v'), capabilities: { ...a.capabilities, vision: true } };
    expect(createFallback([vision, a]).capabilities.vision).toBe(false);
    expect(createFallback([vision, a]).capabilities.tools).toBe(true);
    expect(createFallback([vision]).capabilities.vision).toBe(true);
  });
});
