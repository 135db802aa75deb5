// Qwen OAuth accounts end to end: createQwen over an OAuthManager whose refresh is qwenOAuthRefresh, against a loopback
// OpenAI-dialect upstream guarded by a mock Qwen token server (`protect` lets through only live access tokens).
import { KitError, type KitEvent, type StreamEvent } from '@kit/core';
import { OAuthManager, type OAuthCredential } from '@kit/oauthmanager';
import { createQwen, createQwenOAuthRefresh } from '@kit/qwen';
import { createMockOAuthServer, oauthFaults, replies, type MockOAuthServer } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLog, expectNoSecrets, upstreams } from './helpers';

const servers = upstreams();
const tokenServers: MockOAuthServer[] = [];
afterEach(async () => {
  await servers.closeAll();
  await Promise.all(tokenServers.splice(0).map((server) => server.close()));
});

/** A fetch that refuses anything but loopback, so a wrong base URL fails the test instead of reaching the network. */
const loopbackOnly: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== '127.0.0.1') throw new TypeError(`test: refused a request to ${url.host}`);
  return fetch(input, init);
};

async function tokenServer(options: Parameters<typeof createMockOAuthServer>[0]): Promise<MockOAuthServer> {
  const server = await createMockOAuthServer({ preset: 'qwen', ...options });
  tokenServers.push(server);
  return server;
}

/** Every token the token server ever issued or accepted, plus the ones the test made up. */
function allTokens(server: MockOAuthServer, accountIds: string[], extra: string[]): string[] {
  return [...extra, ...accountIds.flatMap((id) => [...server.issuedAccessTokens(id), server.currentRefreshToken(id) ?? ''])].filter(
    (token) => token.length >= 8,
  );
}

describe('Qwen OAuth accounts through the engine', () => {
  it('two accounts, one whose refresh fails: the other answers every call, and no token shows anywhere', async () => {
    const start = Date.now();
    const tokens = await tokenServer({
      accounts: [
        { id: 'revoked', refreshToken: 'test-refresh-token-revoked', script: oauthFaults.invalidGrant() },
        { id: 'healthy', refreshToken: 'test-refresh-token-healthy' },
      ],
    });
    const upstream = await servers.start({ dialect: 'openai', defaultScript: replies.text('hello from the healthy account') });
    const managerLog = eventLog();
    const providerLog = eventLog();
    const accounts: OAuthCredential[] = [
      { id: 'revoked', accessToken: 'test-stale-access-revoked', refreshToken: 'test-refresh-token-revoked', expiresAt: start - 60_000 },
      { id: 'healthy', accessToken: 'test-stale-access-healthy', refreshToken: 'test-refresh-token-healthy', expiresAt: start - 60_000 },
    ];
    const manager = new OAuthManager('qwen', accounts, createQwenOAuthRefresh({ tokenURL: tokens.tokenUrl }), { onEvent: managerLog.onEvent });
    const qwen = createQwen({ credentials: manager, oauthBaseURL: upstream.url, fetch: tokens.protect(loopbackOnly), onEvent: providerLog.onEvent });

    const answers: string[] = [];
    for (let call = 0; call < 4; call += 1) {
      const completion = await (await qwen.generateChatCompletion({ prompt: `call ${call}` })).final();
      answers.push(`${completion.credentialId}: ${completion.text}`);
    }
    expect(answers).toEqual(Array(4).fill('healthy: hello from the healthy account'));
    // The healthy account refreshed once (then its new token served every call); no stale token reached the upstream.
    expect(tokens.refreshCount('healthy')).toBe(1);
    expect(tokens.refreshCount('revoked')).toBeGreaterThanOrEqual(1);
    expect(tokens.rejectedCount()).toBe(0);
    expect(upstream.requests.map((request) => request.body)).toMatchObject(Array(4).fill({ model: 'qwen3-coder-plus' }));
    const refreshes = managerLog.ofType('token-refresh');
    expect(refreshes.some((event) => event.credentialId === 'revoked' && !event.success)).toBe(true);
    expect(refreshes.filter((event) => event.credentialId === 'healthy' && event.success)).toHaveLength(1);

    const secrets = allTokens(
      tokens,
      ['revoked', 'healthy'],
      ['test-stale-access-revoked', 'test-stale-access-healthy', 'test-refresh-token-revoked', 'test-refresh-token-healthy'],
    );
    expectNoSecrets(
      [managerLog.events, providerLog.events, manager.getHealthSummary(), manager.export(), upstream.requests, tokens.requests, qwen.getMetrics()],
      secrets,
    );
  });

  it('an expired token is refreshed once before the call, however many calls wait for it', async () => {
    const tokens = await tokenServer({ accounts: [{ id: 'solo', refreshToken: 'test-refresh-token-solo' }] });
    const upstream = await servers.start({ dialect: 'openai', defaultScript: replies.text('fresh') });
    const manager = new OAuthManager(
      'qwen',
      [{ id: 'solo', accessToken: 'test-stale-access-solo', refreshToken: 'test-refresh-token-solo', expiresAt: Date.now() - 1 }],
      createQwenOAuthRefresh({ tokenURL: tokens.tokenUrl }),
    );
    const qwen = createQwen({ credentials: manager, oauthBaseURL: upstream.url, fetch: tokens.protect(loopbackOnly) });
    const texts = await Promise.all(Array.from({ length: 20 }, async (_, n) => (await qwen.generateChatCompletion({ prompt: `call ${n}` })).text()));
    expect(texts).toEqual(Array(20).fill('fresh'));
    expect(tokens.refreshCount('solo')).toBe(1);
    expect(tokens.rejectedCount()).toBe(0);
    // The rotated refresh token replaced the old one (which the server now refuses).
    expect(manager.export({ includeSecrets: true }).credentials[0]).toMatchObject({ refreshToken: tokens.currentRefreshToken('solo') });
    expect(tokens.currentRefreshToken('solo')).not.toBe('test-refresh-token-solo');
  });

  it('a token that expires mid-run is refreshed before the next call; a revoked one after its 401', async () => {
    let clock = 1_900_000_000_000;
    const now = () => clock;
    const tokens = await tokenServer({
      now,
      accounts: [{ id: 'main', refreshToken: 'test-refresh-token-main', accessToken: 'test-access-token-main-0', accessTokenExpiresAt: clock + 10 * 60_000 }],
    });
    const upstream = await servers.start({ dialect: 'openai', defaultScript: replies.text('ok') });
    const manager = new OAuthManager(
      'qwen',
      [{ id: 'main', accessToken: 'test-access-token-main-0', refreshToken: 'test-refresh-token-main', expiresAt: clock + 10 * 60_000 }],
      createQwenOAuthRefresh({ tokenURL: tokens.tokenUrl }),
      { now },
    );
    const log = eventLog();
    const qwen = createQwen({ credentials: manager, oauthBaseURL: upstream.url, fetch: tokens.protect(loopbackOnly), onEvent: log.onEvent });
    const call = async () => (await qwen.generateChatCompletion({ prompt: 'hi' })).text();

    expect(await call()).toBe('ok');
    expect(tokens.refreshCount('main')).toBe(0);
    clock += 6 * 60_000; // 4 min left: inside the 5 min refresh buffer
    expect(await call()).toBe('ok');
    expect(tokens.refreshCount('main')).toBe(1);
    expect(tokens.rejectedCount()).toBe(0);

    tokens.revokeAccessTokens('main'); // the server drops the token early: 401, refresh, retry on the same account
    expect(await call()).toBe('ok');
    expect(tokens.refreshCount('main')).toBe(2);
    expect(tokens.rejectedCount()).toBe(1);
    const retried = log.ofType('request-error');
    expect(retried.map((event) => [event.error.code, event.willRetry])).toEqual([['authentication', true]]);
    expectNoSecrets([log.events], allTokens(tokens, ['main'], ['test-refresh-token-main', 'test-access-token-main-0']));
  });

  it('routes each account to its resourceUrl (scheme-less or not, with or without /v1), also after a refresh changes it', async () => {
    const upstream = await servers.start({ dialect: 'openai', defaultScript: replies.text('via resource url') });
    const origin = new URL(upstream.url).origin; // http://127.0.0.1:PORT, the upstream answers under /v1
    const tokens = await tokenServer({ resourceUrl: `${origin}/v1/`, accounts: [{ id: 'moved', refreshToken: 'test-refresh-token-moved' }] });
    const manager = new OAuthManager(
      'qwen',
      [
        {
          id: 'moved',
          accessToken: 'test-stale-access-moved',
          refreshToken: 'test-refresh-token-moved',
          expiresAt: Date.now() - 1,
          resourceUrl: 'portal.qwen.ai',
        },
      ],
      createQwenOAuthRefresh({ tokenURL: tokens.tokenUrl }),
    );
    // No oauthBaseURL: without the refreshed resourceUrl the call would go to portal.qwen.ai and fail.
    const qwen = createQwen({ credentials: manager, fetch: tokens.protect(loopbackOnly), maxRetries: 0 });
    const completion = await qwen.complete({ prompt: 'hi' });
    expect(completion.text).toBe('via resource url');
    expect(manager.export().credentials[0]).toMatchObject({ resourceUrl: `${origin}/v1/` });
    expect(upstream.requests).toHaveLength(1);
  });

  it('streams parallel tool calls with split arguments from an OAuth account', async () => {
    const tokens = await tokenServer({ accounts: [{ id: 'coder', refreshToken: 'test-refresh-token-coder' }] });
    const upstream = await servers.start({
      dialect: 'openai',
      defaultScript: replies.toolCalls(
        [
          { id: 'call_1', name: 'read_file', arguments: '{"path":"src/index.ts"}' },
          { id: 'call_2', name: 'list_dir', arguments: '{"path":"src","depth":2}' },
        ],
        { splitArguments: 4 },
      ),
    });
    const manager = new OAuthManager(
      'qwen',
      [{ id: 'coder', accessToken: 'test-stale-access-coder', refreshToken: 'test-refresh-token-coder', expiresAt: Date.now() - 1 }],
      createQwenOAuthRefresh({ tokenURL: tokens.tokenUrl }),
    );
    const qwen = createQwen({ credentials: manager, oauthBaseURL: upstream.url, fetch: tokens.protect(loopbackOnly) });
    const stream = await qwen.generateChatCompletion({
      prompt: 'Look around',
      tools: [
        { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
        { name: 'list_dir', parameters: { type: 'object', properties: { path: { type: 'string' }, depth: { type: 'number' } } } },
      ],
    });
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const calls = events.flatMap((event) => (event.type === 'tool-call' ? [event.toolCall] : []));
    expect(calls).toEqual([
      { id: 'call_1', name: 'read_file', arguments: '{"path":"src/index.ts"}', input: { path: 'src/index.ts' } },
      { id: 'call_2', name: 'list_dir', arguments: '{"path":"src","depth":2}', input: { path: 'src', depth: 2 } },
    ]);
    expect(events.filter((event) => event.type === 'tool-call-delta').length).toBeGreaterThanOrEqual(8);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('when every account fails to refresh, the call fails with credentials_exhausted and no token in it', async () => {
    const tokens = await tokenServer({
      accounts: [
        { id: 'a', refreshToken: 'test-refresh-token-a', script: oauthFaults.invalidGrant('test-refresh-token-a is revoked') },
        { id: 'b', refreshToken: 'test-refresh-token-b', script: oauthFaults.serverError() },
      ],
    });
    const upstream = await servers.start({ dialect: 'openai' });
    const past = Date.now() - 1;
    const manager = new OAuthManager(
      'qwen',
      [
        { id: 'a', accessToken: 'test-stale-access-a', refreshToken: 'test-refresh-token-a', expiresAt: past },
        { id: 'b', accessToken: 'test-stale-access-b', refreshToken: 'test-refresh-token-b', expiresAt: past },
      ],
      createQwenOAuthRefresh({ tokenURL: tokens.tokenUrl }),
    );
    const log = eventLog();
    const qwen = createQwen({ credentials: manager, oauthBaseURL: upstream.url, fetch: tokens.protect(loopbackOnly), onEvent: log.onEvent, maxRetries: 0 });
    const error = await qwen.complete({ prompt: 'hi' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(KitError.is(error) && error.code).toBe('credentials_exhausted');
    expect(upstream.requests).toHaveLength(0);
    const seen: KitEvent[] = log.events;
    expectNoSecrets(
      [error, (error as Error).message, (error as Error).stack, seen],
      ['test-refresh-token-a', 'test-refresh-token-b', 'test-stale-access-a', 'test-stale-access-b'],
    );
  });
});
