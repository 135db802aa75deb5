import type { CapabilityProvider, ChatProvider, CredentialSource } from '@kit/core';
import { describeError } from './conformance-assertions';
import { conformanceChecks, type ConformanceCheck, type ConformanceFinishReason, type ConformanceProviderSettings } from './conformance-checks';
import type { CustomDialect } from './custom-dialect';
import type { MockUpstreamOptions } from './mock-upstream';
import type { DialectName } from './upstream-dialect';
import type { Behaviour } from './upstream-script';

/** Registers one test: vitest's `it` / `test`, or `node:test`'s `test`. */
export type RegisterTest = (name: string, run: () => Promise<void>) => unknown;

/** Groups tests: vitest's or `node:test`'s `describe`. */
export type RegisterGroup = (name: string, body: () => void) => unknown;

/** Options of `runProviderConformance`. */
export interface ProviderConformanceOptions {
  /** The wire format the provider speaks, for the mock upstream: a built-in dialect's name, or your `CustomDialect`. */
  dialect: DialectName | CustomDialect;
  /**
   * Builds the provider under test from the suite's settings (`baseURL` of the mock upstream, `apiKey` or a
   * `credentials` pool, `maxRetries`, `timeoutMs`, `onEvent`): pass them to your factory as they are.
   *
   * @example
   * createProvider: (settings) => createEcho(settings)
   */
  createProvider(settings: ConformanceProviderSettings): ChatProvider;
  /**
   * Builds the credential pool of the failover check from three keys, e.g. `(keys) => new KeyManager('echo', keys)`:
   * the provider must take it as its `credentials` and fail over across it.
   */
  createPool(keys: string[]): CredentialSource;
  /** The model every call names; default none (the provider's default model). */
  model?: string;
  /**
   * The finish reasons your API has, checked both ways; default all three. Leave out `'content-filter'` for an API
   * that never filters (Ollama).
   */
  finishReasons?: readonly ConformanceFinishReason[];
  /**
   * What your API answers when a key's quota or credit is spent, when the dialect's `faults.insufficientQuota()` is
   * not it (DashScope: a 400 `Arrearage`; its 429 worded like OpenAI's quota error is a per-minute limit).
   */
  quotaFault?: Behaviour;
  /** More options for every mock upstream (`models`, `chunkDelayMs`, `model`, …). */
  upstream?: Omit<MockUpstreamOptions, 'dialect' | 'credentials' | 'defaultScript'>;
  /** Registers each check as a test: `it` (vitest) or `test` (vitest, `node:test`). Without it, nothing is registered. */
  test?: RegisterTest;
  /** Groups the registered tests under one name (`describe` of vitest or `node:test`). */
  describe?: RegisterGroup;
  /** The group's name; default `'<provider type> provider conformance'`. */
  name?: string;
}

/** What a run of the suite found. */
export interface ConformanceReport {
  /** Names of the checks that passed. */
  passed: string[];
  /** The checks that failed, each with what it found. */
  failed: { name: string; error: unknown; message: string }[];
}

/** The suite for one provider: its checks, registered as tests when `test` was given, and a way to run them all. */
export interface ProviderConformanceSuite {
  /** Every check, in order; each `run()` rejects with what the provider got wrong. */
  readonly checks: readonly ConformanceCheck[];
  /** Runs every check in turn, whatever fails, and reports. */
  run(): Promise<ConformanceReport>;
}

const allFinishReasons: readonly ConformanceFinishReason[] = ['stop', 'length', 'content-filter'];

function checkOptions(options: ProviderConformanceOptions): void {
  const problem = (field: string, what: string) => new Error(`runProviderConformance: ${field}: ${what}`);
  if (typeof options !== 'object' || options === null) throw problem('options', 'must be an object');
  if (typeof options.createProvider !== 'function') throw problem('createProvider', 'must be a function (settings) => provider');
  if (typeof options.createPool !== 'function') throw problem('createPool', 'must be a function (keys) => CredentialSource, e.g. a KeyManager');
  if (typeof options.dialect !== 'string' && (typeof options.dialect !== 'object' || options.dialect === null)) {
    throw problem('dialect', 'must be a dialect name or a CustomDialect');
  }
  if (options.test !== undefined && typeof options.test !== 'function') throw problem('test', 'must be a function (name, run) => void, such as it or test');
  if (options.describe !== undefined && typeof options.describe !== 'function') throw problem('describe', 'must be a function (name, body) => void');
  for (const reason of options.finishReasons ?? []) {
    if (!allFinishReasons.includes(reason))
      throw problem('finishReasons', `unknown finish reason ${JSON.stringify(reason)} (known: ${allFinishReasons.join(', ')})`);
  }
}

/**
 * The contract suite a provider package runs in its own tests. It starts a `@kit/testkit` mock upstream in the
 * provider's dialect for each check and drives the provider against it: streamed and non-streaming text, usage,
 * finish reasons, parallel tool calls split across chunks (when the provider has `capabilities.tools`), the error
 * classification of 401, 403, 429 with `Retry-After`, an exhausted quota, 5xx and malformed answers, failover across a
 * credential pool, aborts that close the connection, and no secret in any error or event.
 *
 * It imports no test framework: give it `test` (and optionally `describe`) to register one test per check, or call
 * `run()` for a report.
 *
 * @example
 * // vitest
 * import { describe, it } from 'vitest';
 * runProviderConformance({ dialect: echoDialect, createProvider: createEcho, createPool: (keys) => new KeyManager('echo', keys), test: it, describe });
 *
 * @example
 * // node:test
 * import { describe, test } from 'node:test';
 * runProviderConformance({ dialect: 'openai', createProvider: createMyProvider, createPool: (keys) => new KeyManager('mine', keys), test, describe });
 */
export function runProviderConformance(options: ProviderConformanceOptions): ProviderConformanceSuite {
  checkOptions(options);
  const setup = {
    dialect: options.dialect,
    createProvider: options.createProvider,
    createPool: options.createPool,
    finishReasons: options.finishReasons ?? allFinishReasons,
    upstream: options.upstream ?? {},
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.quotaFault === undefined ? {} : { quotaFault: options.quotaFault }),
  };
  // A provider built once, never called, to read its type and capabilities.
  const probe = options.createProvider({
    baseURL: 'http://127.0.0.1:9',
    apiKey: 'test-key-conformance-probe',
    maxRetries: 0,
    timeoutMs: 1_000,
    onEvent: () => {},
  });
  const capabilities = (probe as Partial<CapabilityProvider>).capabilities;
  const checks = conformanceChecks(setup, { tools: capabilities?.tools !== false });

  const register = options.test;
  if (register) {
    const registerAll = () => {
      for (const check of checks) register(check.name, () => check.run());
    };
    if (options.describe) options.describe(options.name ?? `${probe.type} provider conformance`, registerAll);
    else registerAll();
  }

  return {
    checks,
    async run() {
      const report: ConformanceReport = { passed: [], failed: [] };
      for (const check of checks) {
        try {
          await check.run();
          report.passed.push(check.name);
        } catch (error) {
          report.failed.push({
            name: check.name,
            error,
            message: error instanceof Error && error.name === 'ConformanceFailure' ? error.message : describeError(error),
          });
        }
      }
      return report;
    },
  };
}
