// Concurrent 401s on a revoked token: the requests that carried the old token fail one after another, some of them
// after the refreshed token was already handed out to an earlier retry. Each must retry with the new token (the
// manager knows, from the token the engine passes, that their 401 was for a token already replaced), with one refresh.
import { replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerOf, oauthRig } from './oauth-helpers';

const rig = oauthRig();
afterEach(() => rig.closeAll());

/** Resolves once `check()` holds (polled on the event loop; the requests travel over loopback sockets). */
async function until(check: () => boolean): Promise<void> {
  for (let n = 0; !check(); n++) {
    if (n > 2_000) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('concurrent 401s for a revoked token', () => {
  it('5 calls whose 401s arrive one by one, after the new token is in use: all answered, one refresh', async () => {
    const revoked = 'test-access-token-only-0';
    const heldOld: { open: () => void }[] = [];
    let newArrivals = 0;
    const heldNew = gate();
    const { tokens, provider, manager, managerLog, providerLog } = await rig.start({
      accounts: [{ id: 'only', accessToken: revoked, refreshToken: 'test-refresh-token-only' }],
      tokenServer: { accounts: [{ id: 'only', refreshToken: 'test-refresh-token-only', accessToken: revoked }] },
      upstream: { dialect: 'openai', defaultScript: replies.text('answered with the new token') },
      // Holds every request before the resource server sees it: requests with the revoked token until released one
      // by one, requests with the new token until all five are there.
      resourceFetch: (protectedFetch) => async (input, init) => {
        if (bearerOf(input, init) === revoked) {
          const held = gate();
          heldOld.push(held);
          await held.opened;
        } else {
          newArrivals++;
          await heldNew.opened;
        }
        return protectedFetch(input, init);
      },
    });
    tokens.revokeAccessTokens('only');

    let failed = 0;
    const outcomes = Array.from({ length: 5 }, (_, n) =>
      provider.complete({ prompt: `call ${n}`, timeoutMs: 30_000 }).then(
        (completion) => completion.text,
        (error: { code?: string }) => {
          failed++;
          return `failed: ${error.code}`;
        },
      ),
    );
    await until(() => heldOld.length === 5);
    // The first 401: refresh, then its retry (with the new token) is under way before the other 401s arrive.
    heldOld[0]!.open();
    await until(() => newArrivals === 1);
    for (let n = 1; n < 5; n++) {
      heldOld[n]!.open();
      await until(() => newArrivals === n + 1 || failed > 0);
    }
    heldNew.open();

    expect(await Promise.all(outcomes)).toEqual(Array(5).fill('answered with the new token'));
    expect(tokens.refreshCount('only')).toBe(1);
    expect(tokens.rejectedCount()).toBe(5);
    expect(managerLog.ofType('credential-failure')).toEqual([]);
    expect(providerLog.ofType('request-start').map((event) => event.credentialId)).toEqual(Array(10).fill('only'));
    expect(manager.getCredentialHealth('only')).toMatchObject({ healthy: true, consecutiveFailures: 0 });
  });
});
