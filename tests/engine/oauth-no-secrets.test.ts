// After a run full of OAuth faults, nothing observable holds a token: errors, events, alerts, webhooks, exports,
// health, metrics, recordings, console output.
import { inspect } from 'node:util';
import { KitError } from '@kit/core';
import type { OAuthCredential, RefreshFunction } from '@kit/oauthmanager';
import { faults, oauthFaults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectNoSecrets } from './helpers';
import { bearerOf, formRefresh, oauthRig, tokensOf } from './oauth-helpers';

const rig = oauthRig();
afterEach(async () => {
  vi.restoreAllMocks();
  await rig.closeAll();
});

describe('no token in any error, event, export or log', () => {
  it('a fault run over four accounts', async () => {
    const console_ = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    const webhookBodies: string[] = [];
    const expired = Date.now() - 60_000;
    const accounts: OAuthCredential[] = [
      {
        id: 'revoked',
        accessToken: 'test-access-token-revoked-0',
        refreshToken: 'test-refresh-token-revoked',
        expiresAt: expired,
        clientSecret: 'test-client-secret-abcdefgh',
      },
      { id: 'bounced', accessToken: 'test-access-token-bounced-stale', refreshToken: 'test-refresh-token-bounced' },
      { id: 'broken', accessToken: 'test-access-token-broken-0', refreshToken: 'test-refresh-token-broken' },
      { id: 'good', accessToken: 'test-access-token-good-0', refreshToken: 'test-refresh-token-good', expiresAt: expired },
    ];
    let tokenUrl = '';
    // A careless refresh function that quotes the tokens in its errors: the manager must mask them.
    const careless: RefreshFunction = async (credential, context) => {
      try {
        return await formRefresh(tokenUrl)(credential, context);
      } catch (error) {
        throw new Error(
          `refresh failed for ${credential.refreshToken} (access ${credential.accessToken}, secret ${credential.clientSecret}): ${(error as Error).message}`,
        );
      }
    };
    const { tokens, upstream, manager, provider, managerLog, providerLog } = await rig.start({
      accounts,
      refresh: (credential, context) => careless(credential, context),
      tokenServer: {
        accounts: [
          { id: 'revoked', refreshToken: 'test-refresh-token-revoked', script: oauthFaults.invalidGrant() },
          { id: 'bounced', refreshToken: 'test-refresh-token-bounced' },
          { id: 'broken', refreshToken: 'test-refresh-token-broken', accessToken: 'test-access-token-broken-0' },
          { id: 'good', refreshToken: 'test-refresh-token-good' },
        ],
      },
      upstream: {
        dialect: 'openai',
        defaultScript: (_request, n) => (n % 3 === 2 ? faults.resetMidStream(1) : n % 3 === 1 ? faults.serverError(500) : replies.text('fine')),
      },
      manager: {
        fetch: async (_url, init) => {
          webhookBodies.push(String(init?.body));
          return new Response('ok');
        },
        monitoring: { webhookUrl: 'https://hooks.example.test/kit', alertIntervalMs: 0, onAlert: (alert) => console.warn('alert', alert) },
        onTokenRefresh: (credential) => {
          if (credential.id === 'good') throw new Error(`cannot save ${credential.refreshToken}`);
        },
      },
      resourceFetch: (protectedFetch) => async (input, init) => {
        const token = bearerOf(input, init) ?? '';
        // The upstream quotes the token it refuses, as some do.
        if (token.includes('broken'))
          return new Response(JSON.stringify({ error: { message: `Invalid token ${token}`, code: 'invalid_api_key' } }), { status: 401 });
        return protectedFetch(input, init);
      },
    });
    tokenUrl = tokens.tokenUrl;

    const outcomes: unknown[] = [];
    for (let call = 0; call < 12; call += 1) {
      try {
        const stream = await provider.generateChatCompletion({ prompt: `call ${call}`, stream: call % 2 === 0, maxRetries: call % 3 === 0 ? 1 : 0 });
        outcomes.push(await stream.final());
      } catch (error) {
        outcomes.push(error);
      }
    }
    for (let n = 0; n < 5; n++) manager.reportFailure('good', new KitError('server_error', `upstream echoed ${accounts[3]!.accessToken}`));
    const alerts = manager.checkAlerts();
    const errors = outcomes.filter((outcome) => KitError.is(outcome));
    expect(outcomes.length).toBe(12);
    expect(managerLog.ofType('token-refresh').length).toBeGreaterThanOrEqual(3);
    expect(alerts.length).toBeGreaterThan(0);
    expect(webhookBodies.length).toBeGreaterThan(0);
    for (const error of errors) console.error(error);

    const secrets = tokensOf(tokens, accounts, ['test-client-secret-abcdefgh']);
    expectNoSecrets(
      [
        outcomes,
        errors.map((error) => inspect(error, { depth: 10 })),
        errors.map((error) => JSON.stringify(error)),
        managerLog.events,
        providerLog.events,
        alerts,
        webhookBodies,
        manager.export(),
        manager.getHealthSummary(),
        ['revoked', 'bounced', 'broken', 'good'].map((id) => manager.getCredentialMetrics(id)),
        inspect(manager),
        JSON.stringify(manager),
        provider.getMetrics(),
        upstream.requests,
        tokens.requests,
        console_.flatMap((spy) =>
          spy.mock.calls.map((call) => call.map((argument) => (typeof argument === 'string' ? argument : inspect(argument, { depth: 10 }))).join(' ')),
        ),
      ],
      secrets,
    );
  }, 20_000);
});
