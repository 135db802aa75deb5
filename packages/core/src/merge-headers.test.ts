import { describe, expect, it } from 'vitest';
import type { CredentialLease } from './credential-source';
import { chatRequestHeaders, mergeHeaders } from './merge-headers';
import type { ProviderDefinition } from './provider-definition';
import { RequestEngine } from './request-engine';

/** What a record of headers becomes on the wire: fetch joins names that differ only in case with ", ". */
const onTheWire = (headers: Record<string, string>) => Object.fromEntries(new Headers(Object.entries(headers)));

describe('mergeHeaders', () => {
  it('one value per name, compared case-insensitively; later sources win; names come out lower-case', () => {
    expect(mergeHeaders({ Accept: 'text/plain', 'X-Trace': '1' }, { accept: 'application/json' }, { 'x-trace': '2', 'X-Other': 'o' })).toEqual({
      accept: 'application/json',
      'x-trace': '2',
      'x-other': 'o',
    });
  });

  it('undefined sources and undefined values are skipped: they remove nothing', () => {
    expect(mergeHeaders({ authorization: 'Bearer a' }, undefined, { Authorization: undefined, 'x-a': '1' })).toEqual({ authorization: 'Bearer a', 'x-a': '1' });
  });

  it('takes Headers instances too', () => {
    expect(mergeHeaders(new Headers({ 'X-A': '1' }), { 'x-a': '2', 'x-b': '3' }, new Headers({ 'X-B': '4' }))).toEqual({ 'x-a': '2', 'x-b': '4' });
  });

  it('an empty string is a value (a header sent empty), not a removal', () => {
    expect(mergeHeaders({ 'x-a': '1' }, { 'X-A': '' })).toEqual({ 'x-a': '' });
  });
});

describe('chatRequestHeaders: the documented precedence', () => {
  it('engine defaults < provider < wire request < settings < call < credential', () => {
    const headers = chatRequestHeaders({
      stream: true,
      hasBody: true,
      provider: { 'X-Layer': 'provider', 'anthropic-version': '2023-06-01' },
      request: { 'x-layer': 'request', 'anthropic-beta': 'b1' },
      settings: { 'X-Layer': 'settings', Accept: 'application/x-ndjson' },
      call: { 'x-layer': 'call' },
      auth: { 'x-api-key': 'test-key-credential-1' },
    });
    expect(headers).toEqual({
      accept: 'application/x-ndjson',
      'content-type': 'application/json',
      'x-layer': 'call',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'b1',
      'x-api-key': 'test-key-credential-1',
    });
  });

  it("a user Authorization header and a credential give exactly one authorization: the credential's", () => {
    const headers = chatRequestHeaders({
      stream: false,
      hasBody: true,
      settings: { Authorization: 'Bearer gw' },
      call: { AUTHORIZATION: 'Bearer call' },
      auth: { authorization: 'Bearer test-key-credential-1' },
    });
    expect(onTheWire(headers)).toEqual({ accept: 'application/json', 'content-type': 'application/json', authorization: 'Bearer test-key-credential-1' });
  });

  it('no credential (a local server without a key): the user header stays; no body, no content-type', () => {
    expect(chatRequestHeaders({ stream: false, hasBody: false, settings: { Authorization: 'Bearer gw' } })).toEqual({
      accept: 'application/json',
      authorization: 'Bearer gw',
    });
  });
});

// `RequestEngine.prepare` builds the real request's headers. These fail on the old spread of records with
// mixed-case names (`authorization: Bearer gw, Bearer sk-…`, `accept` sent twice) until it uses `chatRequestHeaders`.
describe('RequestEngine.prepare headers', () => {
  const definition: ProviderDefinition = {
    specificationVersion: 'v1',
    type: 'test',
    defaultBaseURL: 'https://api.test.example/v1',
    defaultModel: 'm',
    capabilities: { streaming: true, tools: false, vision: false, documents: false, audio: false, reasoning: false, json: false },
    fallbackModels: [],
    headers: { Accept: 'application/json', 'X-Provider': 'p' },
    authHeaders: (lease) => ({ authorization: `Bearer ${lease.secret}` }),
    chat: {
      framing: () => {
        throw new Error('not used');
      },
      buildRequest: () => ({ path: '/chat' }),
      createStreamMapper: () => ({ push() {}, end() {} }),
      parseResponse() {},
    },
  };
  const engineWith = (headers: Record<string, string>) =>
    new RequestEngine({
      provider: 'test',
      definition,
      credentials: { acquire: async () => lease, reportSuccess() {}, reportFailure() {} },
      baseURL: undefined,
      headers,
      timeoutMs: 1_000,
      maxRetries: 0,
      fetch: () => Promise.reject(new Error('not used')),
      emit() {},
    });
  const lease: CredentialLease = { id: 'key-1', secret: 'test-key-credential-1', kind: 'api-key' };

  it('a user Authorization header plus a key: one authorization value, the key', () => {
    const { headers } = engineWith({ Authorization: 'Bearer gw' }).prepare(lease, { path: '/chat', body: {} }, { 'X-Call': 'c' }, false);
    expect(onTheWire(headers)).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: 'Bearer test-key-credential-1',
      'x-provider': 'p',
      'x-call': 'c',
    });
  });

  it('accept and content-type appear once whatever case the provider and user write them in', () => {
    const { headers } = engineWith({ 'Content-Type': 'application/json; charset=utf-8' }).prepare(lease, { path: '/chat', body: {} }, undefined, true);
    expect(Object.keys(headers).filter((name) => name.toLowerCase() === 'accept')).toHaveLength(1);
    expect(Object.keys(headers).filter((name) => name.toLowerCase() === 'content-type')).toHaveLength(1);
    // The provider's `Accept` outranks the engine's default; the user's content-type outranks the engine's.
    expect(onTheWire(headers)).toMatchObject({ accept: 'application/json', 'content-type': 'application/json; charset=utf-8' });
  });
});
