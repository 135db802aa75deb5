import { describe, expect, it } from 'vitest';
import * as userApi from './index';
import * as nodeHelpers from './node';
import * as providerUtils from './provider-utils';

// The two public entries of @kit/core: `@kit/core` (src/index.ts), what applications import, and
// `@kit/core/provider-utils` (src/provider-utils/index.ts), what provider authors and the credential managers build
// with. Only values are visible at run time; the types of each entry are held by the type-check of the packages that
// import them.

describe('@kit/core (the user API)', () => {
  it('exports, at run time, the error type, the policies, the registry, the type guards, credentialFetch and the provider contract version — nothing else', () => {
    expect(Object.keys(userApi).sort()).toEqual([
      'KitError',
      'PROVIDER_SPECIFICATION_VERSION',
      'createProvider',
      'credentialFetch',
      'errorPolicies',
      'getRegisteredProviders',
      'isAuthenticatedProvider',
      'isCapabilityProvider',
      'isChatProvider',
      'isConfigurableProvider',
      'isCoreProvider',
      'isHealthCheckProvider',
      'isModelProvider',
      'isOAuthProvider',
      'isStandardSchema',
      'isToolCallingProvider',
      'penalisesCredential',
      'policyOf',
      'registerProvider',
      'toKitError',
      'unregisterProvider',
    ]);
  });

  it('has no generic helper names at the top level', () => {
    for (const name of ['string', 'object', 'number', 'boolean', 'array', 'sleep', 'compact', 'parseOrThrow', 'createChatProvider', 'maskSecrets']) {
      expect(userApi, name).not.toHaveProperty(name);
    }
  });
});

describe('@kit/core/provider-utils', () => {
  it('exports what a provider package and the credential managers build with', () => {
    const functions = [
      'createChatProvider',
      'resolveGenerateOptions',
      'KitChatStream',
      'ProviderMetricsTracker',
      'sseFraming',
      'ndjsonFraming',
      'ToolCallAccumulator',
      'createUpstreamError',
      'classifyUpstreamError',
      'codeForStatus',
      'upstreamMessage',
      'parseRetryAfter',
      'parseDuration',
      'readRateLimitHeaders',
      'maskSecrets',
      'truncateMasked',
      'retryBackoffMs',
      'credentialBackoffMs',
      'CredentialHealthRecord',
      'selectPanicCredential',
      'parseOrThrow',
      'formatIssues',
      'nonEmptyStringSchema',
      'createPkcePair',
      'base64Url',
      'postOAuthForm',
      'sendRequest',
      'requestJson',
      'createHttpClient',
      'mergeHeaders',
      'abortedError',
      'sleep',
      'compact',
      'readEnvironmentVariable',
      'monotonicNow',
    ];
    for (const name of functions) expect(typeof (providerUtils as Record<string, unknown>)[name], name).toBe('function');
    expect(providerUtils.MODELS_CACHE_TTL_MS).toBe(10 * 60_000);
  });

  it('re-exports nothing of the user API: a name shared by both lives in @kit/core alone', () => {
    const shared = Object.keys(providerUtils).filter((name) => name in userApi);
    expect(shared).toEqual([]);
  });
});

describe('@kit/core/node', () => {
  it('exports the loopback sign-in helpers of provider packages, and nothing of the other entries', () => {
    expect(Object.keys(nodeHelpers).sort()).toEqual(['showSignInUrl', 'waitForLoopbackCallback']);
    expect(Object.keys(nodeHelpers).filter((name) => name in userApi || name in providerUtils)).toEqual([]);
  });
});
