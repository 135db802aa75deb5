import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KitError, toKitError } from './kit-error';
import { maskSecrets } from './mask-secrets';

const secret = 'test-key-very-secret-0001';

describe('maskSecrets', () => {
  it('removes known secrets and secret-shaped values', () => {
    const text = [
      `key ${secret}`,
      'Authorization: Bearer abcdefghijklmnop',
      'x-api-key: anthropic-test-value',
      'https://host/v1/models?key=AIzaFAKEFAKEFAKEFAKEFAKE&alt=sse',
      `sk-proj-${'FAKE'.repeat(4)}`, // built at run time: no key-shaped literal in the source
      '{"refresh_token":"rt-123456"}',
    ].join('\n');
    const masked = maskSecrets(text, [secret]);
    for (const leaked of [secret, 'abcdefghijklmnop', 'anthropic-test-value', 'AIzaFAKE', 'sk-proj-FAKE', 'rt-123456']) {
      expect(masked).not.toContain(leaked);
    }
    expect(masked).toContain('alt=sse');
  });
});

describe('KitError', () => {
  it('never shows a secret in message, stack, JSON or inspect output', () => {
    const cause = new Error(`socket hang up while sending Authorization: Bearer ${secret}`);
    const error = new KitError('network', `request with ${secret} failed`, {
      provider: 'openai',
      credentialId: 'key-1',
      secrets: [secret],
      cause,
    });
    const views = [error.message, error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 5 }), String(error)];
    for (const view of views) expect(view).not.toContain(secret);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'network', provider: 'openai', credentialId: 'key-1', retryable: true });
  });

  it('takes retryable from the code table unless told', () => {
    expect(new KitError('invalid_request', 'x').retryable).toBe(false);
    expect(new KitError('server_error', 'x').retryable).toBe(true);
    expect(new KitError('server_error', 'x', { retryable: false }).retryable).toBe(false);
  });

  it('recognises KitErrors and wraps anything else', () => {
    const original = new KitError('timeout', 't');
    expect(toKitError(original)).toBe(original);
    const wrapped = toKitError(new TypeError('fetch failed'));
    expect(wrapped.code).toBe('network');
    expect(KitError.is(wrapped)).toBe(true);
    expect(KitError.is(new Error('x'))).toBe(false);
  });
});
