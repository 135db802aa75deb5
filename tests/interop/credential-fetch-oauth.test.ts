// The real `openai` SDK over an OAuthManager through credentialFetch: an access token that expires (or is revoked)
// without the manager knowing gets a 401 from the resource server; credentialFetch asks the manager to refresh once
// and re-sends on the same account, so the SDK sees one success. One clock drives the token server and the manager.
import { credentialFetch, type KitEvent } from '@kit/core';
import OpenAI from 'openai';
import { replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoSecrets } from '../engine/helpers';
import { eventsOf, oauthRig, tokensOf } from '../engine/oauth-helpers';

const rig = oauthRig();
afterEach(() => rig.closeAll());

const MINUTE = 60_000;

describe('openai SDK + credentialFetch(OAuthManager)', () => {
  it('a token that expired (expiry unknown to the manager): 401 → one refresh → the same account answers; streams too', async () => {
    const clock = { time: 1_800_000_000_000 };
    const { tokens, upstream, manager } = await rig.start({
      // The manager was given the token without its expiry: it cannot refresh ahead of time.
      accounts: [{ id: 'acct', accessToken: 'test-access-token-acct-0', refreshToken: 'test-refresh-token-acct' }],
      tokenServer: {
        now: () => clock.time,
        accessTokenLifetimeSeconds: 1800,
        accounts: [
          { id: 'acct', refreshToken: 'test-refresh-token-acct', accessToken: 'test-access-token-acct-0', accessTokenExpiresAt: clock.time + 30 * MINUTE },
        ],
      },
      upstream: { dialect: 'openai', defaultScript: replies.text('fresh token, same account') },
      manager: { now: () => clock.time },
    });
    const events: KitEvent[] = [];
    const openai = new OpenAI({
      apiKey: 'unused',
      baseURL: upstream.url,
      // The resource server: only live access tokens of the token server pass.
      fetch: credentialFetch(manager, { fetch: tokens.protect((input, init) => fetch(input, init)), onEvent: (event) => events.push(event) }),
      maxRetries: 0,
    });
    const ask = (stream: boolean) =>
      stream
        ? openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true }).then(async (chunks) => {
            let text = '';
            for await (const chunk of chunks) text += chunk.choices[0]?.delta?.content ?? '';
            return text;
          })
        : openai.chat.completions
            .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
            .then((completion) => completion.choices[0]?.message.content);

    expect(await ask(false)).toBe('fresh token, same account');
    expect(tokens.rejectedCount()).toBe(0);

    clock.time += 31 * MINUTE; // the token has expired at the server
    expect(await ask(true)).toBe('fresh token, same account');
    expect(tokens.rejectedCount()).toBe(1);
    expect(tokens.refreshCount('acct')).toBe(1);
    expect(eventsOf(events, 'request-start').map((event) => event.credentialId)).toEqual(['acct', 'acct', 'acct']);
    expect(eventsOf(events, 'request-error')).toEqual([
      expect.objectContaining({ credentialId: 'acct', willRetry: true, error: expect.objectContaining({ code: 'authentication' }) }),
    ]);
    expect(eventsOf(events, 'failover')).toEqual([]);
    expect(manager.getCredentialHealth('acct')).toMatchObject({ healthy: true, consecutiveFailures: 0 });

    // The refreshed token's expiry is known now: the manager refreshes before it lapses, no second 401.
    clock.time += 29 * MINUTE;
    expect(await ask(false)).toBe('fresh token, same account');
    expect(tokens.rejectedCount()).toBe(1);
    expect(tokens.refreshCount('acct')).toBe(2);
    expectNoSecrets(
      [...events, manager.getCredentialHealth('acct')],
      tokensOf(tokens, [{ id: 'acct', accessToken: 'test-access-token-acct-0', refreshToken: 'test-refresh-token-acct' }]),
    );
  });

  it('20 concurrent calls after the token was revoked: one refresh, every call succeeds', async () => {
    const { tokens, upstream, manager } = await rig.start({
      accounts: [
        { id: 'acct', accessToken: 'test-access-token-acct-0', refreshToken: 'test-refresh-token-acct' },
        { id: 'spare', accessToken: 'test-access-token-spare-0', refreshToken: 'test-refresh-token-spare' },
      ],
      tokenServer: {
        accounts: [
          { id: 'acct', refreshToken: 'test-refresh-token-acct', accessToken: 'test-access-token-acct-0' },
          { id: 'spare', refreshToken: 'test-refresh-token-spare', accessToken: 'test-access-token-spare-0' },
        ],
      },
      upstream: { dialect: 'openai', defaultScript: replies.text('ok') },
    });
    const openai = new OpenAI({
      apiKey: 'unused',
      baseURL: upstream.url,
      fetch: credentialFetch(manager, { fetch: tokens.protect((input, init) => fetch(input, init)) }),
      maxRetries: 0,
    });
    tokens.revokeAccessTokens('acct');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        openai.chat.completions
          .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
          .then((completion) => completion.choices[0]?.message.content),
      ),
    );
    expect(answers).toEqual(Array(20).fill('ok'));
    // Concurrent 401s of one token cost one refresh (the manager's single flight; each 401 names the rejected token).
    expect(tokens.refreshCount('acct')).toBe(1);
    expect(tokens.refreshCount('spare')).toBe(0);
  });
});
