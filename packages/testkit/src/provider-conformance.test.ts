import { KitError, type ChatProvider, type ProviderSettings } from '@kit/core';
import type { ProviderDefinition } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { runProviderConformance, type ProviderConformanceOptions } from './provider-conformance';
import { createRelay, relayDialect, rotatingPool } from './relay-fixture.test-helper';

const base = { dialect: relayDialect, createPool: rotatingPool } satisfies Partial<ProviderConformanceOptions>;

/** Runs the whole suite on a provider and returns the names of the checks that failed, with what they found. */
async function failuresOf(createProvider: ProviderConformanceOptions['createProvider']) {
  const report = await runProviderConformance({ ...base, createProvider }).run();
  return Object.fromEntries(report.failed.map((failure) => [failure.name, failure.message]));
}

// The correct Relay provider, registered as vitest tests: this is how a provider package runs the suite.
runProviderConformance({ ...base, createProvider: (settings) => createRelay(settings), test: it, describe });

/** The Relay provider with one part of its definition broken. */
const brokenRelay = (change: (definition: ProviderDefinition) => ProviderDefinition) => (settings: ProviderSettings) => createRelay(settings, change);

describe('runProviderConformance finds what a provider gets wrong', () => {
  it('passes every check of a correct provider', async () => {
    const report = await runProviderConformance({ ...base, createProvider: (settings) => createRelay(settings) }).run();
    expect(report.failed).toEqual([]);
    expect(report.passed).toHaveLength(14);
  });

  it('fails a provider that drops usage', async () => {
    const dropsUsage = brokenRelay((definition) => ({
      ...definition,
      chat: {
        ...definition.chat,
        createStreamMapper(context) {
          const mapper = definition.chat.createStreamMapper(context);
          return {
            push: (chunk, emit) => mapper.push(chunk, emit),
            end: (emit) =>
              mapper.end((event) => emit(event.type === 'finish' ? { ...event, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } } : event)),
          };
        },
      },
    }));
    const failures = await failuresOf(dropsUsage);
    expect(Object.keys(failures)).toEqual(['reports usage, streamed and not']);
    expect(failures['reports usage, streamed and not']).toMatch(
      /usage of a streamed answer \(the finish event\): expected .*inputTokens: 17.*got .*inputTokens: 0/,
    );
  });

  it('fails a provider that classifies a 429 as a server error', async () => {
    const misclassifies429 = brokenRelay((definition) => ({
      ...definition,
      refineError: (response) => (response.status === 429 ? { code: 'server_error' } : definition.refineError?.(response)),
    }));
    const failures = await failuresOf(misclassifies429);
    // Also the quota answer (a 429 too), and the pool check, whose second key answers 429.
    expect(Object.keys(failures)).toEqual([
      'classifies 429 as rate_limit with its Retry-After',
      'classifies an exhausted quota as quota_exceeded',
      'fails over across a credential pool',
    ]);
    expect(failures['classifies 429 as rate_limit with its Retry-After']).toMatch(
      /a 429 answer with Retry-After: 20: expected a KitError with code "rate_limit", retryAfterMs 20000, got KitError code 'server_error' \(status 429\)/,
    );
  });

  it('fails a provider whose errors show the key', async () => {
    const leaksKey = (settings: ProviderSettings): ChatProvider => {
      const provider = createRelay(settings);
      // A "helpful" wrapper that adds the key to every error, for debugging.
      const withKey = (error: unknown) => {
        if (!KitError.is(error)) return error;
        return Object.assign(new Error(`${error.message} (sent with key ${settings.apiKey})`), { code: error.code, status: error.status });
      };
      return {
        ...provider,
        generateChatCompletion: (options) => provider.generateChatCompletion(options).catch((error: unknown) => Promise.reject(withKey(error))),
        complete: (options) => provider.complete(options).catch((error: unknown) => Promise.reject(withKey(error))),
      };
    };
    const failures = await failuresOf(leaksKey);
    expect(failures['never shows a secret in an error or event']).toMatch(/error 1 .* shows a key \(…/);
    // The wrapper also hides the KitError the classification checks look for.
    expect(failures['classifies 401 as authentication']).toMatch(/expected a KitError with code "authentication"/);
  });

  it('fails a provider that ignores its credential pool', async () => {
    const ignoresPool = (settings: ProviderSettings) => createRelay({ ...settings, credentials: undefined, env: {} });
    const failures = await failuresOf(ignoresPool);
    expect(Object.keys(failures)).toContain('fails over across a credential pool');
    expect(failures['fails over across a credential pool']).toMatch(/apiKey: relay has none/);
  });

  it('registers one test per check with a node:test-style test function, grouped by describe', () => {
    const registered: string[] = [];
    const groups: string[] = [];
    runProviderConformance({
      ...base,
      createProvider: (settings) => createRelay(settings),
      test: (name, run) => {
        expect(typeof run).toBe('function');
        registered.push(name);
      },
      describe: (name, body) => {
        groups.push(name);
        body();
      },
    });
    expect(groups).toEqual(['relay provider conformance']);
    expect(registered).toHaveLength(14);
    expect(registered).toContain('fails over across a credential pool');
  });

  it('leaves the tool check out for a provider without tools, and refuses bad options by name', () => {
    const withoutTools = runProviderConformance({
      ...base,
      createProvider: (settings) => createRelay(settings, (definition) => ({ ...definition, capabilities: {} })),
    });
    expect(withoutTools.checks.map((check) => check.name)).not.toContain('assembles parallel tool calls split across chunks');
    expect(() => runProviderConformance({ ...base, createPool: undefined as never, createProvider: (settings) => createRelay(settings) })).toThrow(
      /createPool: must be a function/,
    );
    expect(() => runProviderConformance({ ...base, finishReasons: ['done' as never], createProvider: (settings) => createRelay(settings) })).toThrow(
      /finishReasons: unknown finish reason "done"/,
    );
  });
});
