import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenWithHandler, readTextBody } from './json-endpoint-server';

/** An app registration (service principal) the mock Entra ID tenant knows. */
export interface MockEntraApp {
  /** The directory (tenant) the app lives in: its token endpoint is `/{tenantId}/oauth2/v2.0/token`. */
  tenantId: string;
  /** The application (client) id. */
  clientId: string;
  /** The secret value that authenticates it (use obviously fake values, e.g. `test-client-secret-1`). */
  clientSecret: string;
}

/** Options of `createMockEntraServer`. */
export interface MockEntraServerOptions {
  /** The app registrations that may get tokens. */
  apps: readonly MockEntraApp[];
  /** `expires_in` of issued access tokens (s). Default 3599, as Entra answers. */
  accessTokenLifetimeSeconds?: number;
  /** Waits this long before answering each token request (to let concurrent callers pile up). Default 0. */
  responseDelayMs?: number;
  /** The server's clock (token expiry, `introspect`). Default `Date.now`. */
  now?: () => number;
}

/** One request to the mock Entra ID server, with the client secret masked. */
export interface RecordedEntraRequest {
  method: string;
  path: string;
  /** The tenant named in the path. */
  tenantId?: string;
  /** The form fields; `client_secret` and `client_assertion` read `***`. */
  form: Record<string, string>;
  /** The status of the answer, once sent. */
  status?: number;
  /** The OAuth `error` of the answer (`invalid_client`, …). */
  error?: string;
  /** When the request arrived (the server's clock). */
  at: number;
}

/** What `introspect` knows of an access token. */
export interface EntraAccessTokenInfo {
  active: boolean;
  tenantId?: string;
  clientId?: string;
  /** The resource the token is for (the scope without `/.default`), e.g. `https://cognitiveservices.azure.com`. */
  audience?: string;
  expiresAt?: number;
}

/** A running mock Microsoft Entra ID token endpoint on 127.0.0.1. */
export interface MockEntraServer {
  /** The authority host to configure: `http://127.0.0.1:PORT` (in place of `https://login.microsoftonline.com`). */
  readonly url: string;
  readonly port: number;
  /** Every request, in order, with secrets masked. */
  readonly requests: RecordedEntraRequest[];
  /** The token endpoint of a tenant: `{url}/{tenantId}/oauth2/v2.0/token`. */
  tokenUrl(tenantId: string): string;
  /** Token requests received (all, or one client's), whatever their answer. */
  tokenRequestCount(clientId?: string): number;
  /** Access tokens issued to a client, oldest first. */
  issuedAccessTokens(clientId: string): string[];
  /** Whether an access token is valid now, whose it is and for which resource. */
  introspect(accessToken: string): EntraAccessTokenInfo;
  /** Replaces an app's secret (a rotated or deleted secret): the old one now fails with `invalid_client`. */
  setClientSecret(clientId: string, clientSecret: string): void;
  /** Revokes every token issued so far (all, or one client's): they stop passing `introspect` / `protect`. */
  revokeAccessTokens(clientId?: string): void;
  /**
   * Wraps a fetch as Azure OpenAI checks Entra tokens: a request with `Authorization: Bearer <token>` whose token is not
   * active for `https://cognitiveservices.azure.com` gets Azure's 401 JSON answer without reaching `inner`; requests
   * without a Bearer token (an `api-key`) go through untouched.
   */
  protect(inner?: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Requests `protect` turned away. */
  rejectedCount(): number;
  /** Clears `requests` and the counters (tokens stay as they are). */
  reset(): void;
  /** Stops listening and destroys every open socket. Safe to call twice. */
  close(): Promise<void>;
}

const COGNITIVE_SERVICES = 'https://cognitiveservices.azure.com';
const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const maskedFields = /^(client_secret|client_assertion)$/;

/**
 * Azure OpenAI's 401 for a missing, expired or wrong-audience Entra token: a top-level `statusCode` and `message`, not
 * the `{ error: { code, message } }` of its other errors. Seen in github.com/Azure-Samples/azure-search-openai-demo
 * issue #458 (token expired after an hour) and github.com/MuiseDestiny/zotero-gpt issue #412.
 */
export const azureEntraUnauthorizedBody = {
  statusCode: 401,
  message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
};

/**
 * Entra ID's error body: `error`, `error_description` (the AADSTS code, message, trace and correlation ids, timestamp,
 * separated by `\r\n`), `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`. The shape is Entra's own,
 * as quoted in public reports, e.g. github.com/OfficeDev/microsoft-365-agents-toolkit issue #8621 and
 * github.com/Azure/sap-automation issue #418 (AADSTS7000215), github.com/james-gould/azure-keyvault-emulator issue #324
 * (AADSTS90002).
 */
function entraError(error: string, code: number, message: string, at: number) {
  const timestamp = new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    error,
    error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

/**
 * Starts a mock Microsoft Entra ID v2.0 token endpoint on 127.0.0.1 (random port): the OAuth 2.0 client-credentials
 * grant for the configured app registrations, answered as Entra answers — tokens `{ token_type, expires_in,
 * ext_expires_in, access_token }`; a wrong secret 401 `invalid_client` (AADSTS7000215); an app unknown in the tenant
 * 400 `unauthorized_client` (AADSTS700016); an unknown tenant 400 `invalid_tenant` (AADSTS90002); a scope without
 * `/.default` 400 `invalid_scope` (AADSTS1002012); another grant 400 `unsupported_grant_type` (AADSTS70003); no secret 401
 * `invalid_client` (AADSTS7000218). AADSTS7000215, 90002 and 1002012 are transcribed from public reports (cited at
 * `entraError` and in github.com/databricks/databricks-sql-nodejs issue #226); 700016, 70003 and 7000218 are worded
 * after Microsoft's AADSTS error-code reference. Point
 * `azureEntraCredential({ authorityHost: server.url })` at it. Always `close()` it.
 */
export async function createMockEntraServer(options: MockEntraServerOptions): Promise<MockEntraServer> {
  const now = options.now ?? Date.now;
  const lifetime = options.accessTokenLifetimeSeconds ?? 3599;
  const apps = new Map(options.apps.map((app) => [app.clientId, { ...app }]));
  const tenants = new Set(options.apps.map((app) => app.tenantId.toLowerCase()));
  const tokens = new Map<string, Required<Omit<EntraAccessTokenInfo, 'active'>> & { revoked: boolean }>();
  const issued = new Map<string, string[]>();
  const counts = new Map<string, number>();
  const requests: RecordedEntraRequest[] = [];
  let total = 0;
  let rejected = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const raw = await readTextBody(request);
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
    const fields = new URLSearchParams(isForm ? raw : '');
    const form: Record<string, string> = {};
    for (const [name, value] of fields) form[name] = maskedFields.test(name) ? '***' : value;
    const tenantId = tokenPath.exec(url.pathname)?.[1];
    const record: RecordedEntraRequest = { method, path: url.pathname, form, at: now(), ...(tenantId ? { tenantId: decodeURIComponent(tenantId) } : {}) };
    requests.push(record);
    const send = (status: number, body: Record<string, unknown>) => {
      record.status = status;
      if (typeof body.error === 'string') record.error = body.error;
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache' });
      response.end(JSON.stringify(body));
    };
    const fail = (status: number, error: string, code: number, message: string) => send(status, entraError(error, code, message, now()));

    if (!tenantId || method !== 'POST') return fail(404, 'invalid_request', 900561, `The endpoint only accepts POST requests. Received a ${method} request.`);
    if (options.responseDelayMs) await new Promise((resolve) => setTimeout(resolve, options.responseDelayMs));
    const clientId = fields.get('client_id') ?? '';
    if (clientId) {
      total += 1;
      counts.set(clientId, (counts.get(clientId) ?? 0) + 1);
    }
    const tenant = decodeURIComponent(tenantId);
    if (!tenants.has(tenant.toLowerCase())) {
      return fail(
        400,
        'invalid_tenant',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
      );
    }
    const grantType = fields.get('grant_type');
    if (grantType !== 'client_credentials') {
      return fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
    }
    const app = apps.get(clientId);
    if (!app || app.tenantId.toLowerCase() !== tenant.toLowerCase()) {
      return fail(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    const secret = fields.get('client_secret');
    if (!secret) return fail(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    if (secret !== app.clientSecret) {
      return fail(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    const scope = fields.get('scope') ?? '';
    if (!/^\S+\/\.default$/.test(scope)) {
      return fail(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const list = issued.get(clientId) ?? [];
    issued.set(clientId, list);
    const accessToken = `test-entra-access-token-${clientId}-${list.length + 1}`;
    list.push(accessToken);
    tokens.set(accessToken, {
      tenantId: app.tenantId,
      clientId,
      audience: scope.replace(/\/\.default$/, ''),
      expiresAt: now() + lifetime * 1000,
      revoked: false,
    });
    return send(200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken });
  }

  const listener = await listenWithHandler(handle, (message) => ({ error: 'server_error', error_description: `mock Entra server: ${message}` }));

  const introspect = (accessToken: string): EntraAccessTokenInfo => {
    const token = tokens.get(accessToken);
    if (!token) return { active: false };
    const { revoked, ...info } = token;
    return { active: !revoked && now() < token.expiresAt, ...info };
  };

  return {
    url: listener.origin,
    port: listener.port,
    requests,
    tokenUrl: (tenantId) => `${listener.origin}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    tokenRequestCount: (clientId) => (clientId === undefined ? total : (counts.get(clientId) ?? 0)),
    issuedAccessTokens: (clientId) => [...(issued.get(clientId) ?? [])],
    introspect,
    setClientSecret(clientId, clientSecret) {
      const app = apps.get(clientId);
      if (!app) throw new Error(`mock Entra server: unknown client "${clientId}"`);
      app.clientSecret = clientSecret;
    },
    revokeAccessTokens(clientId) {
      for (const token of tokens.values()) if (clientId === undefined || token.clientId === clientId) token.revoked = true;
    },
    protect(inner = globalThis.fetch) {
      return async (input, init) => {
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        const bearer = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1];
        if (bearer !== undefined) {
          const info = introspect(bearer);
          if (!info.active || info.audience !== COGNITIVE_SERVICES) {
            rejected += 1;
            return new Response(JSON.stringify(azureEntraUnauthorizedBody), { status: 401, headers: { 'content-type': 'application/json' } });
          }
        }
        return inner(input, init);
      };
    },
    rejectedCount: () => rejected,
    reset() {
      requests.length = 0;
      counts.clear();
      total = rejected = 0;
    },
    close: () => listener.close(),
  };
}
