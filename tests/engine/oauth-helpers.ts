// Shared by the OAuthManager engine tests: a standard refresh function, a token server and an OpenAI-dialect upstream
// that only accepts live access tokens of that server.
import { KitError, type KitEvent } from '@kit/core';
import { OAuthManager, type OAuthCredential, type OAuthManagerOptions, type RefreshFunction } from '@kit/oauthmanager';
import { createOpenAI } from '@kit/openai';
import { createMockOAuthServer, type MockOAuthServer, type MockOAuthServerOptions, type MockUpstreamOptions } from '@kit/testkit';
import { eventLog, upstreams } from './helpers';

/** An RFC 6749 refresh grant against `tokenUrl` (form-encoded), the way provider helpers do it. */
export function formRefresh(tokenUrl: string, clientId = 'test-client'): RefreshFunction {
  return async (credential, { signal }) => {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.refreshToken ?? '', client_id: clientId });
    const response = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, signal });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const code = response.status === 400 || response.status === 401 ? 'authentication' : response.status === 429 ? 'rate_limit' : 'server_error';
      throw new KitError(code, `token endpoint answered ${response.status} ${String(body.error)}`, { status: response.status });
    }
    return {
      accessToken: String(body.access_token),
      ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
      ...(typeof body.expires_in === 'number' ? { expiresInMs: body.expires_in * 1000 } : {}),
    };
  };
}

/** Token servers, upstreams, managers and providers of one test; `closeAll()` after each. */
export function oauthRig() {
  const servers = upstreams();
  const tokenServers: MockOAuthServer[] = [];
  return {
    async closeAll() {
      await servers.closeAll();
      await Promise.all(tokenServers.splice(0).map((server) => server.close()));
    },
    /**
     * A token server, an upstream behind `protect()`, a manager over the accounts (refreshing at the token server) and
     * an OpenAI provider over the manager. `resourceFetch` may wrap the protected fetch (to simulate a resource server
     * that rejects an account whatever its token).
     */
    async start(options: {
      accounts: OAuthCredential[];
      tokenServer?: MockOAuthServerOptions;
      upstream: MockUpstreamOptions;
      manager?: OAuthManagerOptions;
      refresh?: RefreshFunction;
      resourceFetch?: (protectedFetch: typeof fetch) => typeof fetch;
    }) {
      const tokens = await createMockOAuthServer(options.tokenServer);
      tokenServers.push(tokens);
      const upstream = await servers.start(options.upstream);
      const managerLog = eventLog();
      const providerLog = eventLog();
      const manager = new OAuthManager('openai', options.accounts, options.refresh ?? formRefresh(tokens.tokenUrl), {
        onEvent: managerLog.onEvent,
        ...options.manager,
      });
      const protectedFetch = tokens.protect((input, init) => fetch(input, init));
      const provider = createOpenAI({
        baseURL: upstream.url,
        credentials: manager,
        fetch: options.resourceFetch ? options.resourceFetch(protectedFetch) : protectedFetch,
        onEvent: providerLog.onEvent,
        maxRetries: 1,
      });
      return { tokens, upstream, manager, provider, managerLog, providerLog };
    },
  };
}

/** The Bearer token of a request (for fetch wrappers). */
export function bearerOf(input: string | URL | Request, init?: RequestInit): string | undefined {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  return /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1];
}

/** Every token a token server issued or accepted for these accounts, plus `extra`. */
export function tokensOf(server: MockOAuthServer, accounts: readonly OAuthCredential[], extra: string[] = []): string[] {
  const secrets = [...extra];
  for (const { id, accessToken, refreshToken } of accounts) {
    secrets.push(accessToken, ...(refreshToken ? [refreshToken] : []), ...server.issuedAccessTokens(id));
    for (let n = 1; n <= 50; n++) secrets.push(`test-refresh-token-${id}-${n}`);
  }
  return secrets;
}

/** Events of a log of one type. */
export const eventsOf = <T extends KitEvent['type']>(events: readonly KitEvent[], type: T) =>
  events.filter((event): event is Extract<KitEvent, { type: T }> => event.type === type);
