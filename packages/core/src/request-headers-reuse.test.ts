import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatProvider } from './create-chat-provider';
import type { CredentialLease, CredentialSource } from './credential-source';
import { sseFraming } from './framing';
import type { ProviderDefinition } from './provider-definition';

// The engine merges the headers of a request without headers of its own once per credential and kind of request
// (RequestEngine.prepare). These tests check that the reuse never sends a stale or foreign credential, never keeps a
// call's own headers, and never lets a user's fetch write into what the next request sends.

const baseURL = 'https://api.headers.test/v1';

const definition: ProviderDefinition = {
  specificationVersion: 'v1',
  type: 'headers',
  defaultBaseURL: baseURL,
  defaultModel: 'headers-1',
  fallbackModels: [],
  // As Gemini's: the header set depends on the lease's kind, secret and project.
  authHeaders: (lease): Record<string, string> => {
    if (lease.kind !== 'oauth') return { 'x-api-key': lease.secret };
    return lease.projectId ? { authorization: `Bearer ${lease.secret}`, 'x-project': lease.projectId } : { authorization: `Bearer ${lease.secret}` };
  },
  headers: { 'x-provider': 'p' },
  chat: {
    framing: sseFraming,
    buildRequest: (options) => ({ path: '/chat', body: { model: options.model } }),
    createStreamMapper: () => ({ push: () => {}, end: () => {} }),
    parseResponse: (_body, _context, emit) => {
      emit({ type: 'text-delta', text: 'ok' });
      emit({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
    },
  },
};

type Sent = { headers: Record<string, string> };

/** Stubs the global fetch (the engine's default): records each request's `init.headers` as sent, answers with JSON. */
function stubGlobalFetch(): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: { headers: Record<string, string> }) => {
    sent.push({ headers: init.headers });
    await new Promise((resolve) => setTimeout(resolve, 1));
    return new Response('{}', { headers: { 'content-type': 'application/json' } });
  });
  return sent;
}

/** A source that hands out the leases `next()` returns, in turn. */
function sourceOf(next: () => CredentialLease): CredentialSource {
  return { acquire: async () => next(), reportSuccess: () => {}, reportFailure: () => {} };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('request headers reused per credential', () => {
  it('30 concurrent calls over 3 keys: each request carries its own key, merged once per key', async () => {
    const sent = stubGlobalFetch();
    const leases: CredentialLease[] = [];
    let turn = 0;
    const provider = createChatProvider(definition, {
      credentials: sourceOf(() => {
        const index = turn++ % 3;
        const lease: CredentialLease = { id: `key-${index}`, secret: `test-key-reuse-${index}`, kind: 'api-key' };
        leases.push(lease);
        return lease;
      }),
    });
    await Promise.all(Array.from({ length: 30 }, () => provider.complete({ prompt: 'hi' })));
    expect(sent).toHaveLength(30);
    // Requests go out in the order their leases were handed out.
    sent.forEach(({ headers }, index) => {
      expect(headers).toEqual({
        accept: 'application/json',
        'content-type': 'application/json',
        'x-provider': 'p',
        'x-api-key': leases[index]?.secret,
      });
    });
    expect(new Set(sent.map(({ headers }) => headers)).size).toBe(3);
  });

  it("sends a credential's new secret, kind or project at once (a refreshed OAuth token under the same id)", async () => {
    const sent = stubGlobalFetch();
    const versions: CredentialLease[] = [
      { id: 'account', secret: 'test-token-reuse-1', kind: 'oauth' },
      { id: 'account', secret: 'test-token-reuse-1', kind: 'oauth' },
      { id: 'account', secret: 'test-token-reuse-2', kind: 'oauth' },
      { id: 'account', secret: 'test-token-reuse-2', kind: 'oauth', projectId: 'project-b' },
      { id: 'account', secret: 'test-token-reuse-2', kind: 'api-key', projectId: 'project-b' },
    ];
    let turn = 0;
    const provider = createChatProvider(definition, { credentials: sourceOf(() => versions[turn++] as CredentialLease) });
    for (let index = 0; index < versions.length; index++) await provider.complete({ prompt: 'hi' });
    expect(sent.map(({ headers }) => [headers.authorization, headers['x-project'], headers['x-api-key']])).toEqual([
      ['Bearer test-token-reuse-1', undefined, undefined],
      ['Bearer test-token-reuse-1', undefined, undefined],
      ['Bearer test-token-reuse-2', undefined, undefined],
      ['Bearer test-token-reuse-2', 'project-b', undefined],
      [undefined, undefined, 'test-token-reuse-2'],
    ]);
    // The first two (the same credential, unchanged) share one merged record.
    expect(sent[1]?.headers).toBe(sent[0]?.headers);
  });

  it("never keeps a call's own headers or a wire request's headers for the next request", async () => {
    const sent = stubGlobalFetch();
    const lease: CredentialLease = { id: 'key', secret: 'test-key-reuse-call', kind: 'api-key' };
    let betaHeader = true;
    const provider = createChatProvider(
      {
        ...definition,
        chat: {
          ...definition.chat,
          buildRequest: (options) => ({ path: '/chat', body: { model: options.model }, ...(betaHeader ? { headers: { 'x-beta': 'tools' } } : {}) }),
        },
      },
      { credentials: sourceOf(() => lease) },
    );
    await provider.complete({ prompt: 'hi', headers: { 'X-Call': 'first' } });
    betaHeader = false;
    await provider.complete({ prompt: 'hi', headers: { 'X-Call': 'second' } });
    await provider.complete({ prompt: 'hi' });
    await provider.complete({ prompt: 'hi' });
    expect(sent.map(({ headers }) => [headers['x-call'], headers['x-beta']])).toEqual([
      ['first', 'tools'],
      ['second', undefined],
      [undefined, undefined],
      [undefined, undefined],
    ]);
    expect(sent[3]?.headers).toBe(sent[2]?.headers);
  });

  it("gives a user's fetch its own copy: a wrapper writing into init.headers changes no other request (20 concurrent)", async () => {
    const sent: Record<string, string>[] = [];
    let count = 0;
    const provider = createChatProvider(definition, {
      apiKey: 'test-key-reuse-user-fetch',
      fetch: async (_url, init) => {
        const headers = init?.headers as Record<string, string>;
        sent.push({ ...headers });
        headers['x-written-by-wrapper'] = String(++count);
        headers['x-api-key'] = 'overwritten';
        await new Promise((resolve) => setTimeout(resolve, 1));
        return new Response('{}', { headers: { 'content-type': 'application/json' } });
      },
    });
    await Promise.all(Array.from({ length: 20 }, () => provider.complete({ prompt: 'hi' })));
    await provider.complete({ prompt: 'hi' });
    expect(sent).toHaveLength(21);
    for (const headers of sent) {
      expect(headers['x-api-key']).toBe('test-key-reuse-user-fetch');
      expect(headers['x-written-by-wrapper']).toBeUndefined();
    }
  });

  it('keeps at most 64 credentials: a source naming every lease anew (a vault of one-off tokens) does not grow it', async () => {
    const sent = stubGlobalFetch();
    let turn = 0;
    // 200 distinct ids, then the same 200 again: an unbounded cache would hand every second-round request the header
    // object merged for its id in the first round (and keep 200 secrets alive until the provider goes).
    const provider = createChatProvider(definition, {
      credentials: sourceOf(() => {
        const index = turn++ % 200;
        return { id: `one-off-${index}`, secret: `test-key-one-off-${index}`, kind: 'api-key' };
      }),
    });
    for (let round = 0; round < 2; round++) {
      await Promise.all(Array.from({ length: 200 }, () => provider.complete({ prompt: 'hi' })));
    }
    expect(sent).toHaveLength(400);
    sent.forEach(({ headers }, index) => {
      expect(headers['x-api-key']).toBe(`test-key-one-off-${index % 200}`);
    });
    const firstRound = new Set(sent.slice(0, 200).map(({ headers }) => headers));
    const reused = sent.slice(200).filter(({ headers }) => firstRound.has(headers)).length;
    expect(reused).toBeLessThanOrEqual(64);
  });
});
