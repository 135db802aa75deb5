import { describe, expect, it } from 'vitest';
import { createChatProvider } from './create-chat-provider';
import type { CredentialLease, CredentialSource } from './credential-source';
import type { ProviderDefinition } from './provider-definition';
import { RequestHeaders, type RequestHeadersConfig } from './request-headers';

const bearer = (lease: CredentialLease) => ({ Authorization: `Bearer ${lease.secret}` });

function headersWith(config: Partial<RequestHeadersConfig> = {}) {
  const built: string[] = [];
  const headers = new RequestHeaders({
    provider: { 'X-Provider': 'p' },
    settings: { 'x-user': 'u' },
    authHeaders: (lease) => {
      built.push(lease.id);
      return bearer(lease);
    },
    copyPerRequest: false,
    ...config,
  });
  return { headers, built };
}

const lease = (id: string, secret: string): CredentialLease => ({ id, secret, kind: 'api-key' });

describe('RequestHeaders', () => {
  it('builds a credential’s authentication headers once while its lease stays the same, and again for a new secret', () => {
    const { headers, built } = headersWith();
    const first = headers.for(lease('key-1', 'test-key-one'), false, true);
    expect(first).toEqual({ accept: 'application/json', 'content-type': 'application/json', 'x-provider': 'p', 'x-user': 'u', authorization: 'Bearer test-key-one' });
    for (let call = 0; call < 20; call++) expect(headers.for(lease('key-1', 'test-key-one'), false, true)).toEqual(first);
    expect(built).toEqual(['key-1']);
    // A refreshed token: new headers, built once; the credential keeps one entry.
    expect(headers.for(lease('key-1', 'test-key-refreshed'), false, true).authorization).toBe('Bearer test-key-refreshed');
    expect(headers.for(lease('key-1', 'test-key-refreshed'), true, true).accept).toBe('text/event-stream');
    expect(built).toEqual(['key-1', 'key-1']);
  });

  it('a pool: each request carries its own credential’s key, whatever the order the leases come in', () => {
    const { headers, built } = headersWith();
    const leases = [lease('a', 'test-key-a'), lease('b', 'test-key-b'), lease('c', 'test-key-c')];
    for (let call = 0; call < 30; call++) {
      const given = leases[(call * 7) % 3] as CredentialLease;
      expect(headers.for({ ...given }, call % 2 === 0, true).authorization).toBe(`Bearer ${given.secret}`);
    }
    expect([...built].sort()).toEqual(['a', 'b', 'c']);
  });

  it('a call’s and a wire request’s headers are merged in full, in the documented order, and leave the shared set alone', () => {
    const { headers } = headersWith();
    const key = lease('key-1', 'test-key-one');
    expect(headers.for(key, false, true, { 'X-User': 'request', 'x-beta': 'b' }, { 'X-Call': 'c', authorization: 'Bearer call' })).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'x-provider': 'p',
      'x-user': 'u',
      'x-beta': 'b',
      'x-call': 'c',
      authorization: 'Bearer test-key-one',
    });
    expect(headers.for(key, false, true)).not.toHaveProperty('x-call');
  });

  it('no secret (a local server without a key): no authentication headers', () => {
    const { headers, built } = headersWith();
    expect(headers.for(lease('none', ''), false, false)).toEqual({ accept: 'application/json', 'x-provider': 'p', 'x-user': 'u' });
    expect(built).toEqual([]);
  });

  it('copyPerRequest: a change made to one request’s headers does not reach the next', () => {
    const { headers } = headersWith({ copyPerRequest: true });
    const key = lease('key-1', 'test-key-one');
    const first = headers.for(key, false, true);
    first['x-trace'] = 'call-1';
    first.authorization = 'Bearer changed';
    expect(headers.for(key, false, true)).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'x-provider': 'p',
      'x-user': 'u',
      authorization: 'Bearer test-key-one',
    });
  });
});

describe('request headers through a provider', () => {
  const definition: ProviderDefinition = {
    specificationVersion: 'v1',
    type: 'test',
    defaultBaseURL: 'https://api.test.example/v1',
    defaultModel: 'm',
    capabilities: { streaming: false, tools: false, vision: false, documents: false, audio: false, reasoning: false, json: false },
    fallbackModels: [],
    authHeaders: bearer,
    chat: {
      framing: () => {
        throw new Error('not used');
      },
      buildRequest: () => ({ path: '/chat', body: {} }),
      createStreamMapper: () => ({ push() {}, end() {} }),
      parseResponse(_body, _context, emit) {
        emit({ type: 'text-delta', text: 'ok' });
        emit({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
      },
    },
  };

  it('a user fetch that changes the headers it is given changes no other request (50 concurrent calls over a pool of 3 keys)', async () => {
    const seen: Record<string, string>[] = [];
    let leases = 0;
    const keys = ['test-key-a', 'test-key-b', 'test-key-c'];
    const credentials: CredentialSource = {
      acquire: async () => {
        const index = leases++ % keys.length;
        return { id: `key-${index}`, secret: keys[index] as string, kind: 'api-key' };
      },
      reportSuccess() {},
      reportFailure() {},
    };
    const headers = { 'x-user': 'u' };
    const provider = createChatProvider(definition, {
      credentials,
      headers,
      maxRetries: 0,
      fetch: async (_url, init) => {
        const sent = init?.headers as Record<string, string>;
        seen.push({ ...sent });
        // A tracing wrapper that writes into what it was handed, as some do.
        sent['x-trace'] = `trace-${seen.length}`;
        sent.authorization = 'Bearer overwritten';
        await new Promise((resolve) => setTimeout(resolve, 1));
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    // Settings are read when the provider is made: a later change to the object passed in reaches no request.
    headers['x-user'] = 'changed';
    const answers = await Promise.all(Array.from({ length: 50 }, () => provider.complete({ prompt: 'hi' })));
    expect(answers.every((answer) => answer.text === 'ok')).toBe(true);
    expect(seen).toHaveLength(50);
    for (const sent of seen) {
      expect(sent['x-trace']).toBeUndefined();
      expect(sent['x-user']).toBe('u');
      expect(keys.map((key) => `Bearer ${key}`)).toContain(sent.authorization);
    }
    // Each key went out with its own lease: 50 leases round-robin over 3 keys.
    expect(seen.filter((sent) => sent.authorization === 'Bearer test-key-a')).toHaveLength(17);
  });
});
