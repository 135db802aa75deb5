import { KitError, type KitEvent } from '@kit/core';
import { describe, expect, it, vi } from 'vitest';
import { KeyManager } from './key-manager';
import type { KeyManagerOptions } from './key-manager-options';

const SECRETS = ['test-key-alpha-1', 'test-key-beta-2', 'test-key-gamma-3'];

function setup(options: KeyManagerOptions = {}, keys: readonly string[] = SECRETS) {
  const clock = { time: 1_700_000_000_000 };
  const events: KitEvent[] = [];
  const manager = new KeyManager('anthropic', keys, { now: () => clock.time, onEvent: (event) => events.push(event), ...options });
  const health = (id: string) => manager.getKeyHealth().find((entry) => entry.id === id);
  return { manager, clock, events, health };
}

const unauthorized = () => new KitError('authentication', 'invalid x-api-key', { status: 401 });

describe('KeyManager.executeWithFailover', () => {
  it('returns the first success without touching other keys', async () => {
    const { manager, health } = setup();
    const operation = vi.fn(async (key: string) => `ok with ${key.length}`);
    await expect(manager.executeWithFailover(operation)).resolves.toBe('ok with 16');
    expect(operation).toHaveBeenCalledTimes(1);
    expect(operation).toHaveBeenCalledWith('test-key-alpha-1', 1);
    expect(health('key-1')).toMatchObject({ requests: 1, successes: 1 });
    expect(health('key-2')?.requests).toBe(0);
  });

  it('fails over on a 401 to the next key, reporting the failure', async () => {
    const { manager, health, events } = setup();
    const operation = vi.fn(async (key: string) => {
      if (key === 'test-key-alpha-1') throw unauthorized();
      return key;
    });
    await expect(manager.executeWithFailover(operation)).resolves.toBe('test-key-beta-2');
    expect(operation.mock.calls).toEqual([
      ['test-key-alpha-1', 1],
      ['test-key-beta-2', 2],
    ]);
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 1, failures: 1, lastErrorCode: 'authentication', available: false });
    expect(health('key-2')).toMatchObject({ successes: 1 });
    expect(events.map((event) => event.type)).toEqual(['credential-failure', 'failover']);
    expect(events[1]).toMatchObject({ type: 'failover', from: 'key-1', to: 'key-2', reason: 'authentication', provider: 'anthropic' });
  });

  it('rethrows a 400 at once without penalising the key or trying another', async () => {
    const { manager, health, events } = setup();
    const badRequest = new KitError('invalid_request', 'messages: field required', { status: 400 });
    const operation = vi.fn(async () => {
      throw badRequest;
    });
    await expect(manager.executeWithFailover(operation)).rejects.toBe(badRequest);
    expect(operation).toHaveBeenCalledTimes(1);
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 0, failures: 0, healthy: true, available: true });
    expect(events).toEqual([]);
  });

  it.each(['not_found', 'context_length', 'content_filter'] as const)('rethrows %s at once', async (code) => {
    const { manager } = setup();
    const operation = vi.fn(async () => {
      throw new KitError(code, code);
    });
    await expect(manager.executeWithFailover(operation)).rejects.toMatchObject({ code });
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('tries every key once and then throws credentials_exhausted with the last error as cause', async () => {
    const { manager, clock } = setup();
    const tried: string[] = [];
    const error = await manager
      .executeWithFailover(async (key, attempt) => {
        tried.push(`${attempt}:${key}`);
        throw new KitError(attempt === 3 ? 'server_error' : 'rate_limit', `failure ${attempt}`, { retryAfterMs: attempt * 10_000 });
      })
      .catch((thrown: unknown) => thrown as KitError);
    expect(tried).toEqual(['1:test-key-alpha-1', '2:test-key-beta-2', '3:test-key-gamma-3']);
    expect(error).toBeInstanceOf(KitError);
    expect(error.code).toBe('credentials_exhausted');
    expect(error.cause).toMatchObject({ code: 'server_error', message: 'failure 3' });
    expect(error.message).toContain('failure 3');
    // key-3's server_error sleeps 1 s; key-1 and key-2 sleep their retry-after.
    expect(error.retryAfterMs).toBe(1000);
    expect(manager.getStatus()).toMatchObject({ available: 0, inBackoff: 3 });
    clock.time += 1000;
    expect(manager.getNextKey()).toBe('test-key-gamma-3');
  });

  it('honours maxAttempts', async () => {
    const { manager } = setup();
    const operation = vi.fn(async () => {
      throw new KitError('server_error', 'overloaded', { status: 529 });
    });
    await expect(manager.executeWithFailover(operation, { maxAttempts: 2 })).rejects.toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 0 });
    expect(operation).toHaveBeenCalledTimes(2);
  });

  it('never tries the same key twice even when maxAttempts exceeds the pool', async () => {
    const { manager } = setup({}, ['test-key-1', 'test-key-2']);
    const keys: string[] = [];
    await expect(
      manager.executeWithFailover(
        async (key) => {
          keys.push(key);
          throw new Error('connection reset');
        },
        { maxAttempts: 5 },
      ),
    ).rejects.toMatchObject({ code: 'credentials_exhausted', cause: { code: 'network' } });
    expect(keys).toEqual(['test-key-1', 'test-key-2']);
  });

  it('skips keys in backoff and throws credentials_exhausted at once when none is available', async () => {
    const { manager } = setup({}, ['test-key-1', 'test-key-2']);
    manager.reportFailure('key-1');
    const operation = vi.fn(async (key: string) => key);
    await expect(manager.executeWithFailover(operation)).resolves.toBe('test-key-2');
    manager.reportFailure('key-2');
    manager.reportFailure('key-2');
    await expect(manager.executeWithFailover(operation)).rejects.toMatchObject({ code: 'credentials_exhausted', retryAfterMs: 1000 });
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('converts thrown values with the key masked out', async () => {
    const { manager, events } = setup({}, ['test-key-1', 'test-key-2']);
    const error = await manager
      .executeWithFailover(async (key) => {
        throw new Error(`request with ${key} failed`);
      })
      .catch((thrown: unknown) => thrown as KitError);
    const observed = JSON.stringify([error, events]) + String(error) + String((error.cause as Error).message);
    expect(observed).not.toContain('test-key-1');
    expect(observed).not.toContain('test-key-2');
    expect(error.cause).toMatchObject({ code: 'network', credentialId: 'key-2', provider: 'anthropic' });
  });

  it('throws aborted without calling the operation when the signal has already fired', async () => {
    const { manager } = setup();
    const operation = vi.fn(async () => 'never');
    await expect(manager.executeWithFailover(operation, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
    expect(operation).not.toHaveBeenCalled();
  });

  it('throws aborted as soon as the signal fires mid-operation, without penalising the key', async () => {
    const { manager, health, events } = setup();
    const controller = new AbortController();
    const pending = manager.executeWithFailover(() => new Promise<string>(() => {}), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    expect(health('key-1')).toMatchObject({ consecutiveFailures: 0, failures: 0 });
    expect(events).toEqual([]);
  });

  it('treats an operation that rejects because of the abort as aborted', async () => {
    const { manager, health } = setup();
    const controller = new AbortController();
    const operation = vi.fn(async () => {
      controller.abort();
      throw new DOMException('The operation was aborted.', 'AbortError');
    });
    await expect(manager.executeWithFailover(operation, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
    expect(operation).toHaveBeenCalledTimes(1);
    expect(health('key-1')?.failures).toBe(0);
  });

  it('treats an AbortError from the operation as aborted even without a signal', async () => {
    const { manager } = setup();
    const operation = vi.fn(async () => {
      throw new DOMException('The user aborted a request.', 'AbortError');
    });
    await expect(manager.executeWithFailover(operation)).rejects.toMatchObject({ code: 'aborted' });
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('recovers an unhealthy key on success and emits credential-recovered', async () => {
    const { manager, clock, events } = setup({}, ['test-key-1']);
    for (let failure = 0; failure < 3; failure++) manager.reportFailure('key-1');
    clock.time += 4000;
    await expect(manager.executeWithFailover(async () => 'fine')).resolves.toBe('fine');
    expect(events.at(-1)).toEqual({ type: 'credential-recovered', at: clock.time, provider: 'anthropic', credentialId: 'key-1' });
  });

  it('rejects bad arguments naming them', async () => {
    const { manager } = setup();
    await expect(manager.executeWithFailover(async () => 1, { maxAttempts: 0 })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('maxAttempts'),
    });
    await expect(manager.executeWithFailover('run' as unknown as () => Promise<number>)).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('operation'),
    });
  });
});
