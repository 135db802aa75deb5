import { createMockOAuthServer, createMockUpstream, replies, type MockOAuthServer, type MockUpstream } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runLocalFlow, runLoginFlow } from './flow';
import { localAccounts, startLocalServers, type LocalServers } from './local-servers';

const secrets = [...Object.values(localAccounts.work), ...Object.values(localAccounts.personal)];

describe('gemini-oauth-flow example', () => {
  let servers: LocalServers | undefined;
  let oauth: MockOAuthServer | undefined;
  let upstream: MockUpstream | undefined;
  afterEach(async () => {
    await Promise.all([servers?.close(), oauth?.close(), upstream?.close()]);
    servers = oauth = upstream = undefined;
  });

  it('local run: every call succeeds; the expiring token is refreshed before use, the revoked one after its 401', async () => {
    servers = await startLocalServers();
    let output = '';
    const result = await runLocalFlow({ servers, write: (text) => (output += text) });
    expect(result).toMatchObject({ calls: 8, succeeded: 8, refreshes: { work: 1, personal: 1 } });
    // The personal token was refreshed ahead of time (no request was refused with it); the work one after a 401.
    const refused = result.events.filter((event) => event.type === 'request-error');
    expect(refused).toMatchObject([{ credentialId: 'work', error: { code: 'authentication', status: 401 }, willRetry: true }]);
    expect(
      result.events.filter((event) => event.type === 'token-refresh').map((event) => [event.credentialId, (event as { success: boolean }).success]),
    ).toEqual([
      ['personal', true],
      ['work', true],
    ]);
    // Each account's Code Assist project was discovered once.
    const loads = servers.upstream.requests.filter((request) => request.path === '/v1internal:loadCodeAssist');
    expect(loads).toHaveLength(2);
    expect(output).toContain('8/8 calls succeeded.');
    expect(output).toMatch(/work: project mock-managed-project-anonymous, 1 refresh/);
    expect(output).toContain('Answer 8: two accounts');
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/test-(access|refresh)-token/);
  });

  it('--login: signs in through the loopback callback and makes one call with the new account', async () => {
    oauth = await createMockOAuthServer({
      preset: 'google',
      clients: [{ clientId: 'test-client-id', clientSecret: 'test-client-secret-1' }],
      authorize: { accountId: 'me' },
    });
    upstream = await createMockUpstream({ dialect: 'gemini', codeAssist: { pendingPolls: 0 }, defaultScript: replies.text('Hello from a real sign-in.') });
    let output = '';
    const text = await runLoginFlow({
      clientId: 'test-client-id',
      clientSecret: 'test-client-secret-1',
      write: (chunk) => (output += chunk),
      authorizationEndpoint: oauth.authorizeUrl,
      tokenEndpoint: oauth.tokenUrl,
      baseURL: `${upstream.origin}/v1internal`,
      fetch: oauth.protect(),
      // The "browser": the consent page redirects to the loopback callback.
      openBrowser: async (url) => {
        await fetch(url);
      },
    });
    expect(text).toBe('Hello from a real sign-in.');
    expect(output).toContain('Open this URL in your browser');
    expect(output).toContain('refresh token received');
    expect(output).not.toMatch(/test-(access|refresh)-token|test-client-secret/);
    expect(upstream.requests.map((request) => request.path)).toEqual([
      '/v1internal:loadCodeAssist',
      '/v1internal:onboardUser',
      '/v1internal:streamGenerateContent?alt=sse',
    ]);
  });
});
