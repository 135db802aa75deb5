import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server';
import {
  oauthBehaviourAt,
  playOAuthBehaviour,
  type DevicePollOutcome,
  type OAuthBehaviour,
  type OAuthScript,
  type RecordedOAuthRequest,
} from './oauth-token-script';

export { oauthFaults, oauthReplies } from './oauth-token-script';
export type { DevicePollOutcome, OAuthBehaviour, OAuthScript, RecordedOAuthRequest } from './oauth-token-script';

/** The endpoint paths of the mock OAuth server. */
export interface MockOAuthPaths {
  /** The token endpoint (all grants). */
  token: string;
  /** The device-authorization endpoint (RFC 8628). */
  deviceCode: string;
  /** The browser authorization endpoint (authorization-code flow). */
  authorize: string;
}

/**
 * Path sets of real servers:
 * - `'generic'` — `/token`, `/device/code`, `/authorize`;
 * - `'google'` — `/token`, `/device/code`, `/o/oauth2/v2/auth` (oauth2.googleapis.com and accounts.google.com on one origin);
 * - `'qwen'` — `/api/v1/oauth2/token`, `/api/v1/oauth2/device/code`, `/authorize` (chat.qwen.ai).
 */
export type MockOAuthPreset = 'generic' | 'google' | 'qwen';

const presets: Record<MockOAuthPreset, MockOAuthPaths> = {
  generic: { token: '/token', deviceCode: '/device/code', authorize: '/authorize' },
  google: { token: '/token', deviceCode: '/device/code', authorize: '/o/oauth2/v2/auth' },
  qwen: { token: '/api/v1/oauth2/token', deviceCode: '/api/v1/oauth2/device/code', authorize: '/authorize' },
};

/** A registered OAuth client. */
export interface MockOAuthClient {
  clientId: string;
  /** When set, requests of this client must present it (form `client_secret` or HTTP Basic). */
  clientSecret?: string;
}

/** An account the server knows from the start, holding a valid refresh token. */
export interface MockOAuthAccount {
  /** Names the account in records, counters and issued tokens (`test-access-token-<id>-<n>`). */
  id: string;
  /** The refresh token valid now (use obviously fake values, e.g. `test-refresh-token-1`). */
  refreshToken: string;
  /** An access token valid now, until `accessTokenExpiresAt` (default: one lifetime from the start). */
  accessToken?: string;
  accessTokenExpiresAt?: number;
  /** The client the tokens belong to: a refresh by another client fails with `invalid_grant`. */
  clientId?: string;
  /** `scope` of the token answers. */
  scope?: string;
  /** `resource_url` of the token answers (Qwen). Default: the server's `resourceUrl`. */
  resourceUrl?: string;
  /** What this account's refresh requests get. Default: the server's `defaultScript`. */
  script?: OAuthScript;
}

/** The device-code flow. */
export interface MockDeviceFlowOptions {
  /** One outcome per poll, the last repeating. Default `['authorization_pending', 'approve']`. */
  script?: readonly DevicePollOutcome[];
  /** The `interval` announced (s). Default 5; `slow_down` adds 5, as RFC 8628 says. */
  interval?: number;
  /** The device code's lifetime (s). Default 600. */
  expiresIn?: number;
  /** Default: `<server url>/device`. */
  verificationUri?: string;
  /** The status of the polling errors. Default 400 (RFC 8628); some servers answer `slow_down` with 429. */
  errorStatus?: number;
  /** The account created when the user approves. Default `device-user-<n>`. */
  accountId?: string;
}

/** The browser authorization endpoint. */
export interface MockAuthorizeOptions {
  /** `'approve'` redirects with a `code`, `'access_denied'` with `error=access_denied`. Default `'approve'`. */
  outcome?: 'approve' | 'access_denied';
  /** The account created when a code is exchanged. Default `browser-user-<n>`. */
  accountId?: string;
}

/** Options of `createMockOAuthServer`. */
export interface MockOAuthServerOptions {
  /** Endpoint paths of a real server. Default `'generic'`. */
  preset?: MockOAuthPreset;
  /** Paths overriding the preset's. */
  paths?: Partial<MockOAuthPaths>;
  /** When given, only these clients are accepted (unknown client or wrong secret: 401 `invalid_client`). */
  clients?: readonly MockOAuthClient[];
  /** Accounts with valid refresh tokens. */
  accounts?: readonly MockOAuthAccount[];
  /** `expires_in` of issued access tokens (s). Default 3600. */
  accessTokenLifetimeSeconds?: number;
  /**
   * Single-use rotating refresh tokens (default `true`): every refresh answer carries a new `refresh_token` and the one
   * used is dead — presenting it again fails with `invalid_grant`. It dies when the request is accepted (before any
   * scripted `delay`), so of two concurrent refreshes with one token only one succeeds; a failing answer does not use
   * it up. With `false` (Google's behaviour) refresh answers
   * carry no `refresh_token` and the old one stays valid.
   */
  rotateRefreshTokens?: boolean;
  /** Presenting a used refresh token also revokes the one that replaced it (reuse detection). Default `false`. */
  revokeOnReuse?: boolean;
  /** The script of refresh requests of accounts without their own. Default: always `oauthReplies.tokens()`. */
  defaultScript?: OAuthScript;
  device?: MockDeviceFlowOptions;
  authorize?: MockAuthorizeOptions;
  /** `resource_url` of token answers (Qwen sends the host to use, e.g. `'portal.qwen.ai'`). Default: none. */
  resourceUrl?: string;
  /** The server's clock (access-token and device-code expiry). Default `Date.now`. */
  now?: () => number;
}

/** What `introspect` says about an access token. */
export interface AccessTokenInfo {
  active: boolean;
  accountId?: string;
  clientId?: string;
  expiresAt?: number;
}

/** A running mock OAuth authorization server on 127.0.0.1. */
export interface MockOAuthServer {
  /** The origin, `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly tokenUrl: string;
  readonly deviceCodeUrl: string;
  readonly authorizeUrl: string;
  /** Every request, in order, with secrets masked. */
  readonly requests: RecordedOAuthRequest[];
  /** Refresh-grant requests received (all, or one account's), whatever their answer. */
  refreshCount(accountId?: string): number;
  /** The refresh token valid now for an account (`undefined` once revoked, and while a rotating refresh is answered). */
  currentRefreshToken(accountId: string): string | undefined;
  /** Access tokens issued to an account, oldest first. */
  issuedAccessTokens(accountId: string): string[];
  /** Whether an access token is valid now, and whose it is. */
  introspect(accessToken: string): AccessTokenInfo;
  /** Revokes the access tokens of an account, or of every account: they stop passing `introspect` / `protect`. */
  revokeAccessTokens(accountId?: string): void;
  /** Revokes an account's refresh token: its next refresh fails with `invalid_grant`. */
  revokeRefreshToken(accountId: string): void;
  /** Registers another account. */
  addAccount(account: MockOAuthAccount): void;
  /** Replaces an account's script (or with `'default'` the default one) and restarts its counter. */
  setScript(accountIdOrDefault: string, script: OAuthScript): void;
  /** Replaces the device-poll script for device codes issued from now on. */
  setDeviceScript(script: readonly DevicePollOutcome[]): void;
  /**
   * Wraps a fetch as a resource server would: a request without `Authorization: Bearer <active access token>` gets a
   * 401 JSON answer (OpenAI-style `invalid_api_key` body) without reaching `inner`; others go through.
   */
  protect(inner?: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Requests `protect` turned away. */
  rejectedCount(): number;
  /** Clears `requests` and every counter (tokens stay as they are). */
  reset(): void;
  /** Stops listening and destroys every open socket (hanging answers end too). Safe to call twice. */
  close(): Promise<void>;
}

interface AccountState {
  id: string;
  clientId?: string;
  scope?: string;
  resourceUrl?: string;
  refreshToken?: string;
  generation: number;
  accessTokens: string[];
  script?: OAuthScript;
}

interface AccessTokenState {
  accountId: string;
  clientId?: string;
  expiresAt: number;
  revoked: boolean;
}

interface DeviceGrant {
  clientId?: string;
  codeChallenge?: string;
  expiresAt: number;
  polls: number;
  interval: number;
  script: readonly DevicePollOutcome[];
  used: boolean;
  scope?: string;
}

interface CodeGrant {
  clientId?: string;
  redirectUri?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  scope?: string;
  used: boolean;
}

const maskedFields = /^(refresh_token|client_secret|code|code_verifier|device_code|access_token|password|assertion)$/;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** What a behaviour ends with, after its delays. */
function finalBehaviour(behaviour: OAuthBehaviour): OAuthBehaviour {
  let last = behaviour;
  while (last.kind === 'delay') last = last.then;
  return last;
}

/** `BASE64URL(SHA256(verifier))`, as PKCE S256 (RFC 7636) compares it with the challenge. */
export function pkceChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(''));
  });
}

function basicAuth(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/**
 * Starts a mock OAuth 2.0 authorization server on 127.0.0.1 (random port): the refresh grant with single-use rotating
 * refresh tokens and per-account failure scripts, the device-code grant (RFC 8628) with PKCE, and the
 * authorization-code grant with PKCE for loopback logins. Token endpoints read form-encoded bodies only, as real ones
 * do. Always `close()` it.
 */
export async function createMockOAuthServer(options: MockOAuthServerOptions = {}): Promise<MockOAuthServer> {
  const paths: MockOAuthPaths = { ...presets[options.preset ?? 'generic'], ...options.paths };
  const now = options.now ?? Date.now;
  const lifetimeSeconds = options.accessTokenLifetimeSeconds ?? 3600;
  const rotate = options.rotateRefreshTokens ?? true;
  const clients = options.clients && new Map(options.clients.map((client) => [client.clientId, client]));
  let defaultScript: OAuthScript = options.defaultScript ?? { kind: 'tokens' };
  let deviceScript: readonly DevicePollOutcome[] = options.device?.script ?? ['authorization_pending', 'approve'];

  const accounts = new Map<string, AccountState>();
  const refreshTokens = new Map<string, string>(); // valid refresh token → account id
  const usedRefreshTokens = new Map<string, string>(); // used or revoked refresh token → account id
  const accessTokens = new Map<string, AccessTokenState>();
  const deviceGrants = new Map<string, DeviceGrant>();
  const codeGrants = new Map<string, CodeGrant>();
  const scriptCounters = new Map<string, number>();
  const refreshCounts = new Map<string, number>();
  const requests: RecordedOAuthRequest[] = [];
  let totalRefreshes = 0;
  let rejected = 0;
  let deviceCount = 0;
  let codeCount = 0;
  let grantAccountCount = 0;

  const addAccount = (account: MockOAuthAccount): void => {
    if (!account.id || !account.refreshToken) throw new Error('mock OAuth server: an account needs an id and a refreshToken');
    if (accounts.has(account.id)) throw new Error(`mock OAuth server: duplicate account "${account.id}"`);
    const state: AccountState = {
      id: account.id,
      generation: 0,
      accessTokens: [],
      refreshToken: account.refreshToken,
      ...(account.clientId ? { clientId: account.clientId } : {}),
      ...(account.scope ? { scope: account.scope } : {}),
      ...((account.resourceUrl ?? options.resourceUrl) ? { resourceUrl: account.resourceUrl ?? options.resourceUrl } : {}),
      ...(account.script ? { script: account.script } : {}),
    };
    accounts.set(account.id, state);
    refreshTokens.set(account.refreshToken, account.id);
    if (account.accessToken) {
      state.accessTokens.push(account.accessToken);
      accessTokens.set(account.accessToken, {
        accountId: account.id,
        ...(account.clientId ? { clientId: account.clientId } : {}),
        expiresAt: account.accessTokenExpiresAt ?? now() + lifetimeSeconds * 1000,
        revoked: false,
      });
    }
  };
  for (const account of options.accounts ?? []) addAccount(account);

  /** Issues tokens to an account; with `newRefreshToken` (rotation, new grants) a fresh refresh token replaces the old. */
  const issue = (account: AccountState, clientId: string | undefined, newRefreshToken: boolean, expiresInSeconds = lifetimeSeconds) => {
    const generation = ++account.generation;
    const accessToken = `test-access-token-${account.id}-${generation}`;
    account.accessTokens.push(accessToken);
    accessTokens.set(accessToken, { accountId: account.id, ...(clientId ? { clientId } : {}), expiresAt: now() + expiresInSeconds * 1000, revoked: false });
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: expiresInSeconds };
    if (newRefreshToken) {
      if (account.refreshToken) {
        refreshTokens.delete(account.refreshToken);
        usedRefreshTokens.set(account.refreshToken, account.id);
      }
      account.refreshToken = `test-refresh-token-${account.id}-${generation}`;
      refreshTokens.set(account.refreshToken, account.id);
      body.refresh_token = account.refreshToken;
    }
    if (account.scope) body.scope = account.scope;
    if (account.resourceUrl) body.resource_url = account.resourceUrl;
    return body;
  };

  /** Moves an account's refresh token to the used ones: presenting it again fails with `invalid_grant`. */
  const retire = (account: AccountState, token: string): void => {
    refreshTokens.delete(token);
    usedRefreshTokens.set(token, account.id);
    if (account.refreshToken === token) delete account.refreshToken;
  };

  const newAccount = (id: string, clientId: string | undefined, scope: string | undefined): AccountState => {
    let accountId = id;
    for (let n = 2; accounts.has(accountId); n++) accountId = `${id}-${n}`;
    const state: AccountState = {
      id: accountId,
      generation: 0,
      accessTokens: [],
      ...(clientId ? { clientId } : {}),
      ...(scope ? { scope } : {}),
      ...(options.resourceUrl ? { resourceUrl: options.resourceUrl } : {}),
    };
    accounts.set(accountId, state);
    return state;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const endpoint =
      url.pathname === paths.token ? 'token' : url.pathname === paths.deviceCode ? 'device-code' : url.pathname === paths.authorize ? 'authorize' : 'unknown';
    const contentType = request.headers['content-type'];
    const raw = await readBody(request);
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(contentType ?? '');
    const fields = method === 'GET' ? url.searchParams : new URLSearchParams(isForm ? raw : '');
    const form: Record<string, string> = {};
    for (const [name, value] of fields) form[name] = maskedFields.test(name) ? '***' : value;
    const basic = basicAuth(request.headers.authorization);
    const clientId = fields.get('client_id') ?? basic?.clientId;
    const record: RecordedOAuthRequest = { method, path: url.pathname, endpoint, form, at: now() };
    if (contentType) record.contentType = contentType;
    if (clientId) record.clientId = clientId;
    const grantType = fields.get('grant_type');
    if (endpoint === 'token' && grantType) record.grantType = grantType;
    requests.push(record);

    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (body && typeof body === 'object' && 'error' in body) record.error = String((body as { error: unknown }).error);
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      response.end(JSON.stringify(body));
    };
    const fail = (status: number, error: string, description: string, headers?: Record<string, string>) =>
      send(status, { error, error_description: description }, headers);

    if (endpoint === 'unknown') return fail(404, 'not_found', `no endpoint at ${method} ${url.pathname}`);

    if (endpoint === 'authorize') {
      if (method !== 'GET') return fail(405, 'invalid_request', 'the authorization endpoint takes GET');
      const redirectUri = fields.get('redirect_uri');
      if (!redirectUri || fields.get('response_type') !== 'code') return fail(400, 'invalid_request', 'response_type=code and redirect_uri are required');
      if (clients && !clients.has(clientId ?? '')) return fail(401, 'invalid_client', 'unknown client');
      const challengeMethod = fields.get('code_challenge_method');
      if (fields.get('code_challenge') && challengeMethod !== 'S256') return fail(400, 'invalid_request', 'only code_challenge_method=S256 is supported');
      const location = new URL(redirectUri);
      const state = fields.get('state');
      if ((options.authorize?.outcome ?? 'approve') === 'access_denied') {
        location.searchParams.set('error', 'access_denied');
      } else {
        const code = `test-auth-code-${++codeCount}`;
        codeGrants.set(code, {
          used: false,
          redirectUri,
          ...(clientId ? { clientId } : {}),
          ...(fields.get('code_challenge') ? { codeChallenge: fields.get('code_challenge') as string, codeChallengeMethod: 'S256' } : {}),
          ...(fields.get('scope') ? { scope: fields.get('scope') as string } : {}),
        });
        location.searchParams.set('code', code);
      }
      if (state !== null) location.searchParams.set('state', state);
      record.status = 302;
      response.writeHead(302, { location: location.toString() });
      response.end();
      return;
    }

    if (method !== 'POST') return fail(405, 'invalid_request', `${paths[endpoint === 'token' ? 'token' : 'deviceCode']} takes POST`);
    if (!isForm) return fail(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    if (clients) {
      const client = clients.get(clientId ?? '');
      const secret = fields.get('client_secret') ?? basic?.clientSecret;
      if (!client || (client.clientSecret !== undefined && client.clientSecret !== secret)) return fail(401, 'invalid_client', 'client authentication failed');
    }

    if (endpoint === 'device-code') {
      if (!clientId) return fail(400, 'invalid_request', 'client_id is required');
      const challenge = fields.get('code_challenge');
      if (challenge && fields.get('code_challenge_method') !== 'S256') return fail(400, 'invalid_request', 'only code_challenge_method=S256 is supported');
      const device = options.device ?? {};
      const n = ++deviceCount;
      const deviceCode = `test-device-code-${n}`;
      const userCode = `TEST-${String(n).padStart(4, '0')}`;
      const expiresIn = device.expiresIn ?? 600;
      const interval = device.interval ?? 5;
      deviceGrants.set(deviceCode, {
        clientId,
        expiresAt: now() + expiresIn * 1000,
        polls: 0,
        interval,
        script: deviceScript,
        used: false,
        ...(challenge ? { codeChallenge: challenge } : {}),
        ...(fields.get('scope') ? { scope: fields.get('scope') as string } : {}),
      });
      const verificationUri = device.verificationUri ?? `http://127.0.0.1:${port}/device`;
      return send(200, {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
        expires_in: expiresIn,
        interval,
      });
    }

    // The token endpoint.
    if (grantType === 'refresh_token') {
      totalRefreshes++;
      const token = fields.get('refresh_token');
      if (!token) return fail(400, 'invalid_request', 'refresh_token is required');
      const accountId = refreshTokens.get(token) ?? usedRefreshTokens.get(token);
      if (accountId) {
        record.accountId = accountId;
        refreshCounts.set(accountId, (refreshCounts.get(accountId) ?? 0) + 1);
      }
      const account = accountId === undefined ? undefined : accounts.get(accountId);
      if (!account || !refreshTokens.has(token)) {
        if (account && options.revokeOnReuse && account.refreshToken) {
          refreshTokens.delete(account.refreshToken);
          usedRefreshTokens.set(account.refreshToken, account.id);
          delete account.refreshToken;
        }
        return fail(400, 'invalid_grant', account ? 'the refresh token was already used or revoked' : 'unknown refresh token');
      }
      if (account.clientId && clientId !== account.clientId) return fail(400, 'invalid_grant', 'the refresh token was issued to another client');
      const scriptName = account.script ? account.id : 'default';
      const n = scriptCounters.get(scriptName) ?? 0;
      scriptCounters.set(scriptName, n + 1);
      let behaviour: OAuthBehaviour;
      try {
        behaviour = oauthBehaviourAt(account.script ?? defaultScript, record, n);
      } catch (error) {
        return fail(500, 'server_error', `mock OAuth server: the script threw: ${error instanceof Error ? error.message : String(error)}`);
      }
      // A request that will be answered with tokens uses its single-use refresh token up now, before any scripted
      // delay: a concurrent request with the same token fails with invalid_grant, as on a real server.
      if (rotate && finalBehaviour(behaviour).kind === 'tokens') retire(account, token);
      return run(behaviour, () => issue(account, clientId, rotate));
    }

    if (grantType === DEVICE_GRANT) {
      const grant = deviceGrants.get(fields.get('device_code') ?? '');
      if (!grant || grant.used) return fail(400, 'invalid_grant', 'unknown or used device_code');
      if (grant.clientId && clientId !== grant.clientId) return fail(400, 'invalid_grant', 'the device_code was issued to another client');
      const status = options.device?.errorStatus ?? 400;
      if (now() >= grant.expiresAt) return fail(status, 'expired_token', 'the device code has expired');
      const outcome = grant.script[Math.min(grant.polls++, grant.script.length - 1)] ?? 'approve';
      if (outcome === 'slow_down') grant.interval += 5;
      if (outcome !== 'approve') return fail(status, outcome, `device authorization: ${outcome.replace(/_/g, ' ')}`);
      if (grant.codeChallenge && pkceChallengeS256(fields.get('code_verifier') ?? '') !== grant.codeChallenge) {
        return fail(400, 'invalid_grant', 'PKCE verification failed: code_verifier does not match code_challenge');
      }
      grant.used = true;
      const account = newAccount(options.device?.accountId ?? `device-user-${++grantAccountCount}`, clientId, grant.scope);
      record.accountId = account.id;
      return send(200, issue(account, clientId, true));
    }

    if (grantType === 'authorization_code') {
      const grant = codeGrants.get(fields.get('code') ?? '');
      if (!grant || grant.used) return fail(400, 'invalid_grant', 'unknown or used authorization code');
      if (grant.clientId && clientId !== grant.clientId) return fail(400, 'invalid_grant', 'the code was issued to another client');
      if (grant.redirectUri && fields.get('redirect_uri') !== grant.redirectUri)
        return fail(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      if (grant.codeChallenge && pkceChallengeS256(fields.get('code_verifier') ?? '') !== grant.codeChallenge) {
        return fail(400, 'invalid_grant', 'PKCE verification failed: code_verifier does not match code_challenge');
      }
      grant.used = true;
      const account = newAccount(options.authorize?.accountId ?? `browser-user-${++grantAccountCount}`, clientId, grant.scope);
      record.accountId = account.id;
      return send(200, issue(account, clientId, true));
    }

    return fail(400, 'unsupported_grant_type', `grant_type ${grantType ?? '(none)'} is not supported`);

    function run(behaviour: OAuthBehaviour, tokens: () => Record<string, unknown>): Promise<void> {
      return playOAuthBehaviour(behaviour, {
        response,
        record,
        tokens: (expiresInSeconds) => send(200, expiresInSeconds === undefined ? tokens() : { ...tokens(), expires_in: expiresInSeconds }),
        error: ({ status, error, description, retryAfterSeconds }) =>
          fail(status, error, description ?? error, retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
      });
    }
  }

  const server = createServer((request, response) => {
    response.on('error', () => {});
    request.on('error', () => {});
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: 'server_error', error_description: `mock OAuth server: ${error instanceof Error ? error.message : String(error)}` }),
        );
      } else response.destroy();
    });
  });
  const listener = await listenOnLoopback(server);
  const { origin, port } = listener;

  const introspect = (accessToken: string): AccessTokenInfo => {
    const token = accessTokens.get(accessToken);
    if (!token) return { active: false };
    return {
      active: !token.revoked && now() < token.expiresAt,
      accountId: token.accountId,
      ...(token.clientId ? { clientId: token.clientId } : {}),
      expiresAt: token.expiresAt,
    };
  };

  return {
    url: origin,
    port,
    tokenUrl: origin + paths.token,
    deviceCodeUrl: origin + paths.deviceCode,
    authorizeUrl: origin + paths.authorize,
    requests,
    refreshCount: (accountId) => (accountId === undefined ? totalRefreshes : (refreshCounts.get(accountId) ?? 0)),
    currentRefreshToken: (accountId) => accounts.get(accountId)?.refreshToken,
    issuedAccessTokens: (accountId) => [...(accounts.get(accountId)?.accessTokens ?? [])],
    introspect,
    revokeAccessTokens(accountId) {
      for (const token of accessTokens.values()) if (accountId === undefined || token.accountId === accountId) token.revoked = true;
    },
    revokeRefreshToken(accountId) {
      const account = accounts.get(accountId);
      if (!account?.refreshToken) return;
      refreshTokens.delete(account.refreshToken);
      usedRefreshTokens.set(account.refreshToken, accountId);
      delete account.refreshToken;
    },
    addAccount,
    setScript(accountIdOrDefault, script) {
      if (accountIdOrDefault === 'default') defaultScript = script;
      else {
        const account = accounts.get(accountIdOrDefault);
        if (!account) throw new Error(`mock OAuth server: unknown account "${accountIdOrDefault}"`);
        account.script = script;
      }
      scriptCounters.delete(accountIdOrDefault);
    },
    setDeviceScript(script) {
      if (script.length === 0) throw new Error('mock OAuth server: a device script needs at least one outcome');
      deviceScript = script;
    },
    protect(inner = globalThis.fetch) {
      return async (input, init) => {
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        const token = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1];
        if (!token || !introspect(token).active) {
          rejected++;
          const error = { message: 'Invalid or expired access token.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' };
          return new Response(JSON.stringify({ error }), { status: 401, headers: { 'content-type': 'application/json' } });
        }
        return inner(input, init);
      };
    },
    rejectedCount: () => rejected,
    reset() {
      requests.length = 0;
      scriptCounters.clear();
      refreshCounts.clear();
      totalRefreshes = rejected = 0;
    },
    close: () => listener.close(),
  };
}
