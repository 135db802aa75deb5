import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server';
import { oauthBehaviourAt, playOAuthBehaviour, type OAuthBehaviour, type OAuthScript, type RecordedOAuthRequest } from './oauth-token-script';

/** A service account the mock Google token endpoint knows: its email and the public key its assertions must verify with. */
export interface MockServiceAccount {
  clientEmail: string;
  /** The public half of the key in its key file (`createTestServiceAccount().publicKey`). */
  publicKey: CryptoKey;
  /** The key was deleted or disabled: every assertion fails with `invalid_grant` "Invalid JWT Signature.", as on Google. */
  revoked?: boolean;
  /** `expires_in` of this account's tokens (s); default the endpoint's. */
  accessTokenLifetimeSeconds?: number;
  /** What this account's accepted assertions get (faults, delays); default: tokens. */
  script?: OAuthScript;
}

/** An `authorized_user` ADC account (refresh-token grant; Google does not rotate the refresh token). */
export interface MockAuthorizedUser {
  /** Names the account in records and counters. */
  id: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** Options of `createMockGoogleTokenEndpoint`. */
export interface MockGoogleTokenEndpointOptions {
  serviceAccounts?: readonly MockServiceAccount[];
  authorizedUsers?: readonly MockAuthorizedUser[];
  /** `expires_in` of issued tokens (s). Default 3599, as Google answers. */
  accessTokenLifetimeSeconds?: number;
  /** The endpoint's clock, for `iat` / `exp` checks and token expiry. Default `Date.now`. */
  now?: () => number;
  /** How far in the future an assertion's `iat` may be (s). Default 300. */
  clockSkewSeconds?: number;
}

/** What `introspect` says about an access token. */
export interface GoogleAccessTokenInfo {
  active: boolean;
  /** The service account's email, or the authorized user's id. */
  accountId?: string;
  scopes?: string[];
  expiresAt?: number;
}

/** A running mock of Google's OAuth 2.0 token endpoint (`oauth2.googleapis.com/token`) on 127.0.0.1. */
export interface MockGoogleTokenEndpoint {
  /** The origin, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `<url>/token`: the `token_uri` of the test key files, and the audience their assertions must name. */
  readonly tokenUrl: string;
  /** Every request, in order; `assertion`, `refresh_token` and `client_secret` read `***`. */
  readonly requests: RecordedOAuthRequest[];
  /** Token requests received (all, or one account's), whatever their answer. */
  tokenRequestCount(accountId?: string): number;
  /** Access tokens issued to an account, oldest first. */
  issuedAccessTokens(accountId: string): string[];
  introspect(accessToken: string): GoogleAccessTokenInfo;
  /** Deletes a service account's key: its next assertions fail with `invalid_grant`. */
  revokeKey(clientEmail: string): void;
  /**
   * Wraps a fetch as a Google API would: a request without `Authorization: Bearer <live token with the cloud-platform
   * scope>` gets Google's 401 `UNAUTHENTICATED` answer (403 `ACCESS_TOKEN_SCOPE_INSUFFICIENT` for a token lacking the
   * scope) without reaching `inner`.
   */
  protect(inner?: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Requests `protect` turned away. */
  rejectedCount(): number;
  close(): Promise<void>;
}

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
const maskedFields = /^(assertion|refresh_token|client_secret)$/;
const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

// Google's answers, as reported by its client libraries' users:
// - a deleted, disabled or wrong key: 400 {"error":"invalid_grant","error_description":"Invalid JWT Signature."}
//   (googleapis/google-cloud-python#10004, google-github-actions/setup-gcloud#76);
// - iat/exp out of range: "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.
//   Check your iat and exp values in the JWT claim." (erebusnz/gapi-google-analytics-php-interface#147, shorter form);
// - a wrong client secret: 401 {"error":"invalid_client","error_description":"Unauthorized"}.
const INVALID_SIGNATURE = 'Invalid JWT Signature.';
const BAD_TIMEFRAME =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

/** One answer: the status and the JSON body. */
type Answer = { status: number; body: Record<string, unknown> };
const fail = (status: number, error: string, description: string): Answer => ({ status, body: { error, error_description: description } });

function decodeSegment(segment: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) return undefined;
  try {
    const padded = segment
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(segment.length / 4) * 4, '=');
    return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  const bytes = decodeSegment(segment);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(''));
  });
}

/** Google's answer to an API call without a valid token (`ErrorInfo` reason as Google sends it). */
function unauthenticated(reason: string): Response {
  const body = {
    error: {
      code: 401,
      message:
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      status: 'UNAUTHENTICATED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' }],
    },
  };
  return new Response(JSON.stringify(body), { status: 401, headers: { 'content-type': 'application/json; charset=UTF-8' } });
}

function scopeInsufficient(): Response {
  const body = {
    error: {
      code: 403,
      message: 'Request had insufficient authentication scopes.',
      status: 'PERMISSION_DENIED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com' }],
    },
  };
  return new Response(JSON.stringify(body), { status: 403, headers: { 'content-type': 'application/json; charset=UTF-8' } });
}

/**
 * Starts a mock of Google's token endpoint on 127.0.0.1 (random port), as service accounts and ADC files use it:
 * - `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`: the `assertion` must be an RS256 JWT whose signature
 *   verifies with the account's public key (a revoked key or another key → `invalid_grant` "Invalid JWT
 *   Signature."), `iss` a known account, `aud` this endpoint's `tokenUrl`, `iat` not in the future (beyond
 *   `clockSkewSeconds`), `exp` after now and at most one hour after `iat`, and a non-empty `scope`;
 * - `grant_type=refresh_token` for `authorizedUsers` (client id and secret checked, no rotation, as Google does).
 *
 * Issued tokens are `test-google-token-<n>`, recorded with their account, scopes and expiry; `protect()` turns a fetch
 * into a Google API that accepts only them. Always `close()` it.
 */
export async function createMockGoogleTokenEndpoint(options: MockGoogleTokenEndpointOptions = {}): Promise<MockGoogleTokenEndpoint> {
  const now = options.now ?? Date.now;
  const skew = options.clockSkewSeconds ?? 300;
  const serviceAccounts = new Map((options.serviceAccounts ?? []).map((account) => [account.clientEmail, { ...account }]));
  const users = new Map((options.authorizedUsers ?? []).map((user) => [user.refreshToken, user]));
  const liveTokens = new Map<string, { accountId: string; scopes: string[]; expiresAt: number }>();
  const issued = new Map<string, string[]>();
  const counts = new Map<string, number>();
  const scriptCounters = new Map<string, number>();
  const requests: RecordedOAuthRequest[] = [];
  let issuedCount = 0;
  let rejected = 0;
  let tokenUrl = '';

  const issue = (accountId: string, scopes: string[], lifetimeSeconds: number): Answer => {
    const accessToken = `test-google-token-${++issuedCount}`;
    liveTokens.set(accessToken, { accountId, scopes, expiresAt: now() + lifetimeSeconds * 1000 });
    issued.set(accountId, [...(issued.get(accountId) ?? []), accessToken]);
    return { status: 200, body: { access_token: accessToken, expires_in: lifetimeSeconds, token_type: 'Bearer' } };
  };

  /** Checks a JWT-bearer assertion the way Google's endpoint does; the account's email once it is known. */
  async function checkAssertion(assertion: string, record: RecordedOAuthRequest): Promise<Answer | { account: MockServiceAccount; scopes: string[] }> {
    const parts = assertion.split('.');
    const [headerPart = '', claimsPart = '', signaturePart = ''] = parts;
    const header = decodeJson(headerPart);
    const claims = decodeJson(claimsPart);
    const signature = decodeSegment(signaturePart);
    if (parts.length !== 3 || !header || !claims || !signature) return fail(400, 'invalid_grant', 'Invalid JWT: malformed assertion');
    if (header.alg !== 'RS256') return fail(400, 'invalid_grant', 'Invalid JWT: the algorithm must be RS256');
    const account = typeof claims.iss === 'string' ? serviceAccounts.get(claims.iss) : undefined;
    if (!account) return fail(400, 'invalid_grant', 'Invalid grant: account not found');
    record.accountId = account.clientEmail;
    counts.set(account.clientEmail, (counts.get(account.clientEmail) ?? 0) + 1);
    const signed = new TextEncoder().encode(`${headerPart}.${claimsPart}`);
    const valid = !account.revoked && (await crypto.subtle.verify(algorithm, account.publicKey, signature, signed));
    if (!valid) return fail(400, 'invalid_grant', INVALID_SIGNATURE);
    if (claims.aud !== tokenUrl) return fail(400, 'invalid_grant', 'Invalid JWT: the audience must be the token endpoint');
    const nowSeconds = now() / 1000;
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || typeof exp !== 'number' || iat > nowSeconds + skew || exp <= nowSeconds || exp - iat > 3600) {
      return fail(400, 'invalid_grant', BAD_TIMEFRAME);
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    if (scopes.length === 0) return fail(400, 'invalid_scope', 'Empty or missing scope not allowed.');
    return { account, scopes };
  }

  async function answer(fields: URLSearchParams, record: RecordedOAuthRequest): Promise<Answer | { behaviour: OAuthBehaviour; tokens: () => Answer }> {
    const grantType = fields.get('grant_type');
    if (grantType === JWT_BEARER_GRANT) {
      const checked = await checkAssertion(fields.get('assertion') ?? '', record);
      if ('status' in checked) return checked;
      const { account, scopes } = checked;
      const n = scriptCounters.get(account.clientEmail) ?? 0;
      scriptCounters.set(account.clientEmail, n + 1);
      const lifetime = account.accessTokenLifetimeSeconds ?? options.accessTokenLifetimeSeconds ?? 3599;
      return { behaviour: oauthBehaviourAt(account.script ?? { kind: 'tokens' }, record, n), tokens: () => issue(account.clientEmail, scopes, lifetime) };
    }
    if (grantType === 'refresh_token') {
      const user = users.get(fields.get('refresh_token') ?? '');
      if (user) {
        record.accountId = user.id;
        counts.set(user.id, (counts.get(user.id) ?? 0) + 1);
      }
      if (user && (fields.get('client_id') !== user.clientId || fields.get('client_secret') !== user.clientSecret)) {
        return fail(401, 'invalid_client', 'Unauthorized');
      }
      if (!user) return fail(400, 'invalid_grant', 'Bad Request');
      return issue(user.id, [CLOUD_PLATFORM], options.accessTokenLifetimeSeconds ?? 3599);
    }
    return fail(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const contentType = request.headers['content-type'];
    const raw = await readBody(request);
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(contentType ?? '');
    const fields = new URLSearchParams(isForm ? raw : '');
    const form: Record<string, string> = {};
    for (const [name, value] of fields) form[name] = maskedFields.test(name) ? '***' : value;
    const record: RecordedOAuthRequest = { method, path: url.pathname, endpoint: url.pathname === '/token' ? 'token' : 'unknown', form, at: now() };
    if (contentType) record.contentType = contentType;
    const grantType = fields.get('grant_type');
    if (grantType) record.grantType = grantType;
    if (fields.get('client_id')) record.clientId = fields.get('client_id') as string;
    requests.push(record);
    const send = ({ status, body }: Answer) => {
      record.status = status;
      if (typeof body.error === 'string') record.error = body.error;
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' });
      response.end(JSON.stringify(body));
    };
    if (record.endpoint !== 'token') return send(fail(404, 'not_found', `no endpoint at ${method} ${url.pathname}`));
    if (method !== 'POST' || !isForm) return send(fail(400, 'invalid_request', 'Required parameter is missing: grant_type'));
    const result = await answer(fields, record);
    if ('status' in result) return send(result);
    return run(result.behaviour, result.tokens);

    function run(behaviour: OAuthBehaviour, tokens: () => Answer): Promise<void> {
      return playOAuthBehaviour(behaviour, {
        response,
        record,
        tokens: (expiresInSeconds) => {
          const issuedAnswer = tokens();
          if (expiresInSeconds !== undefined) {
            const state = liveTokens.get(String(issuedAnswer.body.access_token));
            if (state) state.expiresAt = now() + expiresInSeconds * 1000;
            issuedAnswer.body.expires_in = expiresInSeconds;
          }
          send(issuedAnswer);
        },
        error: ({ status, error, description }) => send(fail(status, error, description ?? error)),
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
          JSON.stringify({
            error: 'internal_failure',
            error_description: `mock Google token endpoint: ${error instanceof Error ? error.message : String(error)}`,
          }),
        );
      } else response.destroy();
    });
  });
  const listener = await listenOnLoopback(server);
  tokenUrl = `${listener.origin}/token`;

  const introspect = (accessToken: string): GoogleAccessTokenInfo => {
    const token = liveTokens.get(accessToken);
    if (!token) return { active: false };
    return { active: now() < token.expiresAt, accountId: token.accountId, scopes: [...token.scopes], expiresAt: token.expiresAt };
  };

  return {
    url: listener.origin,
    tokenUrl,
    requests,
    tokenRequestCount: (accountId) => (accountId === undefined ? [...counts.values()].reduce((sum, n) => sum + n, 0) : (counts.get(accountId) ?? 0)),
    issuedAccessTokens: (accountId) => [...(issued.get(accountId) ?? [])],
    introspect,
    revokeKey(clientEmail) {
      const account = serviceAccounts.get(clientEmail);
      if (!account) throw new Error(`mock Google token endpoint: unknown service account "${clientEmail}"`);
      account.revoked = true;
    },
    protect(inner = globalThis.fetch) {
      return async (input, init) => {
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        const token = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1];
        const info = token ? introspect(token) : undefined;
        if (!info?.active) {
          rejected++;
          return unauthenticated(!token ? 'CREDENTIALS_MISSING' : info?.accountId ? 'ACCESS_TOKEN_EXPIRED' : 'ACCESS_TOKEN_TYPE_UNSUPPORTED');
        }
        if (!info.scopes?.includes(CLOUD_PLATFORM)) {
          rejected++;
          return scopeInsufficient();
        }
        return inner(input, init);
      };
    },
    rejectedCount: () => rejected,
    close: () => listener.close(),
  };
}
