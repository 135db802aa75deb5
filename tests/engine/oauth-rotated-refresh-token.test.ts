// Rotating refresh tokens: each one the server issues is persisted exactly once, before it is ever used again, and no
// refresh token is presented twice (the token server's single-use tokens would answer invalid_grant).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OAuthCredential } from '@kit/oauthmanager';
import { OAuthManager } from '@kit/oauthmanager';
import { FileCredentialStore } from '@kit/oauthmanager/node';
import { replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerOf, formRefresh, oauthRig } from './oauth-helpers';

const rig = oauthRig();
const directories: string[] = [];
afterEach(async () => {
  await rig.closeAll();
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

const MINUTE = 60_000;

describe('rotated refresh tokens', () => {
  it('persisted exactly once per refresh, before the new tokens serve a request, and never reused', async () => {
    const clock = { time: 1_800_000_000_000 };
    const saved: OAuthCredential[] = [];
    const sent: string[] = []; // the Bearer token of every request, in order
    const usedBeforeSave: boolean[] = [];
    const { tokens, provider } = await rig.start({
      accounts: [{ id: 'acct', accessToken: 'test-access-token-acct-0', refreshToken: 'test-refresh-token-acct', expiresAt: clock.time + 10 * MINUTE }],
      tokenServer: {
        now: () => clock.time,
        accessTokenLifetimeSeconds: 600,
        accounts: [
          { id: 'acct', refreshToken: 'test-refresh-token-acct', accessToken: 'test-access-token-acct-0', accessTokenExpiresAt: clock.time + 10 * MINUTE },
        ],
      },
      upstream: { dialect: 'openai', defaultScript: replies.text('ok') },
      manager: {
        now: () => clock.time,
        onTokenRefresh: async (credential) => {
          saved.push(credential);
          // A slow save: the new token must not be used while it is still being written.
          await new Promise((resolve) => setTimeout(resolve, 20));
          usedBeforeSave.push(sent.includes(credential.accessToken));
        },
      },
      resourceFetch: (protectedFetch) => (input, init) => {
        sent.push(bearerOf(input, init) ?? '');
        return protectedFetch(input, init);
      },
    });
    for (let call = 0; call < 12; call += 1) {
      expect((await provider.complete({ prompt: `call ${call}`, stream: call % 3 !== 0 })).text).toBe('ok');
      clock.time += 3 * MINUTE; // 10-minute tokens: a refresh every other call or so
    }
    const refreshes = tokens.refreshCount('acct');
    expect(refreshes).toBeGreaterThanOrEqual(4);
    // Every refresh answered 200: no refresh token was ever presented twice.
    expect(tokens.requests.filter((request) => request.grantType === 'refresh_token').map((request) => request.status)).toEqual(Array(refreshes).fill(200));
    // One save per refresh, each holding the refresh token just issued, in order.
    expect(saved.map((credential) => credential.refreshToken)).toEqual(Array.from({ length: refreshes }, (_, n) => `test-refresh-token-acct-${n + 1}`));
    expect(saved.at(-1)!.refreshToken).toBe(tokens.currentRefreshToken('acct'));
    // Saved before use: when the hook ran, no request had carried the new access token; afterwards requests did.
    expect(usedBeforeSave).toEqual(Array(refreshes).fill(false));
    for (const credential of saved) expect(sent).toContain(credential.accessToken);
    expect(tokens.rejectedCount()).toBe(0);
  });

  it('a FileCredentialStore carries the rotated token across a restart; the old one is dead', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kit-oauth-rotation-'));
    directories.push(directory);
    const path = join(directory, 'accounts.json');
    const { tokens, upstream } = await rig.start({
      accounts: [{ id: 'acct', accessToken: 'test-access-token-acct-0', refreshToken: 'test-refresh-token-acct' }],
      tokenServer: { accounts: [{ id: 'acct', refreshToken: 'test-refresh-token-acct' }] },
      upstream: { dialect: 'openai', defaultScript: replies.text('ok') },
    });
    const expired = { id: 'acct', accessToken: 'test-access-token-acct-0', refreshToken: 'test-refresh-token-acct', expiresAt: Date.now() - MINUTE };
    const first = new OAuthManager('openai', [expired], formRefresh(tokens.tokenUrl), {
      store: new FileCredentialStore({ path, passphrase: 'test-passphrase' }),
    });
    await first.acquire();
    // A restart hours later: the code still lists the original (now dead) refresh token; the store has the rotated one.
    const later = Date.now() + 2 * 3_600_000;
    const second = new OAuthManager('openai', [expired], formRefresh(tokens.tokenUrl), {
      store: new FileCredentialStore({ path, passphrase: 'test-passphrase' }),
      now: () => later,
    });
    expect((await second.acquire()).secret).toBe('test-access-token-acct-2');
    expect(tokens.requests.map((request) => request.status)).toEqual([200, 200]);
    expect(tokens.currentRefreshToken('acct')).toBe('test-refresh-token-acct-2');
    expect(upstream.requests).toHaveLength(0);
  });
});
