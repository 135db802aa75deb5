// OAuthManager refreshing at the harness's token server: an expired access token is refreshed before use, and a
// token the server revoked (401 from the resource server) is refreshed once and the request retried on the same
// account. The resource server only accepts access tokens the token server issued and still considers live.
import { KitError, type KitEvent, type RefreshFunction } from '@kit/core';
import { OAuthManager } from '@kit/oauthmanager';
import { createOpenAI } from '@kit/openai';
import { expectEqual, expectNoSecret } from './expect-that';
import type { MatrixConfig } from './matrix-config';
import { ANSWERS, OAUTH_ACCOUNT } from './scripted-answers';

/** A refresh-token grant (RFC 6749 §6), form-encoded, as provider OAuth helpers send it. */
function refreshAt(tokenUrl: string): RefreshFunction {
  return async (credential, { signal }) => {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.refreshToken ?? '', client_id: OAUTH_ACCOUNT.clientId });
    const response = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, signal });
    const body = (await response.json()) as { access_token?: string; refresh_token?: string; expires_in?: number; error?: string };
    if (!response.ok || typeof body.access_token !== 'string') {
      throw new KitError('authentication', `token endpoint answered ${response.status} ${body.error ?? ''}`, { status: response.status });
    }
    return {
      accessToken: body.access_token,
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      ...(body.expires_in ? { expiresInMs: body.expires_in * 1000 } : {}),
    };
  };
}

/** `oauth-refresh`: refresh before use (expired token), then refresh on a 401 (revoked token), same account. */
export async function oauthRefresh(config: MatrixConfig): Promise<void> {
  const events: KitEvent[] = [];
  const expired = { id: OAUTH_ACCOUNT.id, accessToken: 'test-access-token-expired', refreshToken: OAUTH_ACCOUNT.refreshToken, expiresAt: Date.now() - 60_000 };
  const manager = new OAuthManager('openai', [expired], refreshAt(config.tokenUrl), { onEvent: (event) => events.push(event) });
  const provider = createOpenAI({ baseURL: config.upstreams['oauth-refresh'], credentials: manager, onEvent: (event) => events.push(event) });

  const first = await provider.complete({ prompt: 'Hello with a fresh token' });
  expectEqual([first.text, first.credentialId], [ANSWERS.oauth, OAUTH_ACCOUNT.id], 'call after the expiry refresh');
  expectEqual(manager.getCredentialMetrics(OAUTH_ACCOUNT.id)?.refreshCount, 1, 'refreshes after the first call');

  const revoked = await fetch(`${config.control}/oauth-refresh/revoke-access-tokens`, { method: 'POST' });
  expectEqual(revoked.status, 204, 'revoking access tokens at the token server');
  const second = await provider.generateChatCompletion({ prompt: 'Hello again' });
  expectEqual([await second.text(), second.credentialId], [ANSWERS.oauth, OAUTH_ACCOUNT.id], 'call after the 401 refresh');
  expectEqual(manager.getCredentialMetrics(OAUTH_ACCOUNT.id)?.refreshCount, 2, 'refreshes after the second call');
  const refreshes = events.flatMap((event) => (event.type === 'token-refresh' ? [event.success] : []));
  expectEqual(refreshes, [true, true], 'token-refresh events');
  expectNoSecret(JSON.stringify([events, manager.getHealthSummary(), manager.export()]), ['test-access-token', 'test-refresh-token'], 'events and exports');
}
