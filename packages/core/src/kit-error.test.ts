import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import type { KitErrorCode } from './error-codes';
import { KitError, toKitError } from './kit-error';
import { longestSecretPiece } from './longest-secret-piece.test-helper';

const secret = 'test-key-very-secret-0001';

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

describe('KitError across copies of core', () => {
  /** A fresh instance of this module, as a second copy of core (another version, or the other of ESM/CJS) would be. */
  async function anotherCopy(): Promise<typeof import('./kit-error')> {
    vi.resetModules();
    return import('./kit-error');
  }

  it('instanceof and KitError.is hold for an error made by another copy, both ways', async () => {
    const copy = await anotherCopy();
    expect(copy.KitError).not.toBe(KitError);
    const theirs = new copy.KitError('rate_limit', 'slow down', { retryAfterMs: 2000 });
    const ours = new KitError('timeout', 'no answer');
    expect(theirs instanceof KitError).toBe(true);
    expect(ours instanceof copy.KitError).toBe(true);
    expect(KitError.is(theirs)).toBe(true);
    expect(copy.KitError.is(ours)).toBe(true);
    // toKitError passes another copy's error through instead of wrapping it as `network`.
    expect(toKitError(theirs)).toBe(theirs);
    expect(copy.toKitError(ours)).toBe(ours);
    expect(new KitError('network', 'wrapped', { cause: theirs }).toJSON().cause).toMatchObject({ code: 'rate_limit', retryAfterMs: 2000 });
  });

  it('keeps instanceof precise for subclasses', async () => {
    const copy = await anotherCopy();
    class QuotaAlert extends KitError {}
    class SevereQuotaAlert extends QuotaAlert {}
    const alert = new QuotaAlert('quota_exceeded', 'over quota');
    const severe = new SevereQuotaAlert('quota_exceeded', 'way over quota');
    expect(alert instanceof QuotaAlert).toBe(true);
    expect(severe instanceof QuotaAlert).toBe(true);
    expect(alert instanceof SevereQuotaAlert).toBe(false);
    expect(new KitError('quota_exceeded', 'plain') instanceof QuotaAlert).toBe(false);
    expect(new copy.KitError('quota_exceeded', 'from the other copy') instanceof QuotaAlert).toBe(false);
    // A subclass instance is a KitError for every copy.
    expect(alert instanceof KitError).toBe(true);
    expect(alert instanceof copy.KitError).toBe(true);
    expect(alert instanceof Error).toBe(true);
  });

  it('is not fooled by look-alikes, and its brand stays out of logs and copies', () => {
    const error = new KitError('timeout', 'no answer');
    expect(KitError.is({ name: 'KitError', code: 'timeout', message: 'x' })).toBe(false);
    expect(KitError.is({ ...error })).toBe(false);
    expect(KitError.is(null)).toBe(false);
    expect(KitError.is('KitError')).toBe(false);
    expect(new Error('x') instanceof KitError).toBe(false);
    expect(Object.keys(error)).not.toContain('@kit/core.error');
    expect(inspect(error)).not.toContain('@kit/core.error');
    expect(JSON.stringify(error)).not.toContain('@kit/core.error');
  });

  it('still recognises an error of an older copy without the brand (an Error named KitError with a code)', () => {
    const legacy = Object.assign(new Error('old copy'), { name: 'KitError', code: 'server_error' });
    expect(KitError.is(legacy)).toBe(true);
    expect(legacy instanceof KitError).toBe(true);
  });

  it('accepts a code this copy does not know (from a newer copy): final, not retryable, no TypeError', () => {
    const error = new KitError('brand_new_code' as KitErrorCode, 'from a newer provider package');
    expect(error.code).toBe('brand_new_code');
    expect(error.retryable).toBe(false);
    expect(new KitError('brand_new_code' as KitErrorCode, 'x', { retryable: true }).retryable).toBe(true);
  });
});

describe('KitError: secrets cut by V8', () => {
  it("masks the piece of a key V8's JSON.parse message quotes, in message, cause, JSON and inspect output", () => {
    const key = ['opaque', 'Token', '7Hq2vLx9', 'Zr4Pm8Kw'].join('-'); // no known key shape: only the secret list finds it
    for (const body of [key, `<html>${key}</html>`, `{"ok":true,"id":${key}}`]) {
      let parseError: unknown;
      try {
        JSON.parse(body);
      } catch (error) {
        parseError = error;
      }
      expect(parseError).toBeInstanceOf(SyntaxError);
      const error = new KitError('invalid_response', `openai: unreadable response: ${(parseError as Error).message}`, { secrets: [key], cause: parseError });
      for (const view of [error.message, error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 5 })]) {
        expect(longestSecretPiece(key, view)).toBeLessThan(8);
      }
    }
  });
});
