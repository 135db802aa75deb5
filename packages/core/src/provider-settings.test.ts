import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { KitError } from './kit-error';
import { providerSettingsSchema, providerSettingsShape } from './provider-settings';
import { MAX_TIMER_MS } from './setting-schemas';
import { parseOrThrow } from './validate';

const secret = 'test-key-0123456789abcdef';

function problem(settings: Record<string, unknown>): KitError {
  try {
    parseOrThrow(providerSettingsSchema, settings, 'invalid_config', { what: 'invalid openai settings', provider: 'openai' });
  } catch (error) {
    if (KitError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an invalid_config error');
}

describe('providerSettingsShape', () => {
  it('refuses durations a timer cannot wait (≥ 2³¹ ms fire at once), naming the field', () => {
    expect(problem({ timeoutMs: 2 ** 31 }).message).toBe(
      'invalid openai settings: timeoutMs: must be at most 2147483647 (about 24.8 days: timers cannot wait longer)',
    );
    expect(problem({ timeoutMs: 1.5 }).message).toBe('invalid openai settings: timeoutMs: must be an integer');
    expect(problem({ timeoutMs: -5 }).message).toBe('invalid openai settings: timeoutMs: must be greater than 0');
    expect(() => parseOrThrow(providerSettingsSchema, { timeoutMs: MAX_TIMER_MS }, 'invalid_config', { what: 'x' })).not.toThrow();
  });

  it('refuses header names that are not HTTP tokens and values with CR, LF or NUL', () => {
    expect(problem({ headers: { 'x trace': '1' } }).message).toBe(
      "invalid openai settings: headers.x trace: is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)",
    );
    expect(problem({ headers: { 'x-trace': 'a\r\nx-injected: 1' } }).message).toBe(
      'invalid openai settings: headers.x-trace: must not contain a line break (CR, LF) or NUL',
    );
    expect(problem({ headers: { 'x-trace': 1 } }).message).toBe('invalid openai settings: headers.x-trace: must be a string');
  });

  it('refuses a baseURL that is not http(s) or holds spaces', () => {
    for (const baseURL of ['ftp://example.com/v1', 'api.openai.com/v1', 'https://api.openai.com/v1 ', 'https://exa mple.com', 'https://']) {
      expect(problem({ baseURL }).message).toBe('invalid openai settings: baseURL: must be an http(s) URL without spaces');
    }
    expect(() => parseOrThrow(providerSettingsSchema, { baseURL: 'http://localhost:11434/v1' }, 'invalid_config', { what: 'x' })).not.toThrow();
  });

  it('refuses an API key with whitespace or a line break inside, without quoting the key', () => {
    for (const apiKey of [`${secret}\n`, ` ${secret}`, 'test-key-0123 456789']) {
      const error = problem({ apiKey });
      expect(error.message).toBe('invalid openai settings: apiKey: must not contain whitespace or a line break (was a space or newline copied with the key?)');
      expect(JSON.stringify(error)).not.toContain('0123');
    }
    expect(problem({ apiKey: '' }).message).toBe('invalid openai settings: apiKey: must not be empty');
  });

  it('checks credentials, metrics and functions by shape', () => {
    expect(problem({ credentials: { acquire: 1 } }).message).toBe(
      'invalid openai settings: credentials: must be a CredentialSource (acquire, reportSuccess, reportFailure)',
    );
    expect(problem({ metrics: {} }).message).toBe('invalid openai settings: metrics: must be a MetricsSink (record)');
    expect(problem({ fetch: 'fetch' }).message).toBe('invalid openai settings: fetch: must be a function');
    expect(problem({ maxRetries: 11 }).message).toBe('invalid openai settings: maxRetries: must be at most 10');
  });

  it('spreads into a provider’s strict schema, whose type is inferred', () => {
    const schema = z.strictObject({ ...providerSettingsShape, region: z.optional(z.enum(['eu', 'us'])) });
    const valid: z.infer<typeof schema> = parseOrThrow(schema, { apiKey: secret, region: 'eu' }, 'invalid_config', { what: 'x' });
    expect(valid).toEqual({ apiKey: secret, region: 'eu' });
    expect(() => parseOrThrow(schema, { apikey: secret }, 'invalid_config', { what: 'invalid x settings' })).toThrow(
      'invalid x settings: apikey: is not a known option',
    );
  });
});
