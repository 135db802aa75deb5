import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server';

/** Options of `createMockOpenRouterAuthServer`. */
export interface MockOpenRouterAuthOptions {
  /** What `/auth` does: `'approve'` redirects to the callback with a `code`; `'deny'` answers 403 and redirects nowhere. Default `'approve'`. */
  outcome?: 'approve' | 'deny';
  /** The status of a refused exchange (unknown, used or mismatched code). Default 403. */
  refusalStatus?: number;
}

/** One request the server received, with the code and the verifier masked. */
export interface RecordedOpenRouterAuthRequest {
  method: string;
  path: string;
  status: number;
  /** `/auth`: the query; `/api/v1/auth/keys`: the JSON body (code and verifier as `***`). */
  fields: Record<string, string>;
}

/** A running stand-in for OpenRouter's "Sign in with OpenRouter" endpoints on 127.0.0.1. */
export interface MockOpenRouterAuthServer {
  readonly url: string;
  /** `<url>/auth`: pass it as `authUrl`. */
  readonly authUrl: string;
  /** `<url>/api/v1/auth/keys`: pass it as `keysUrl`. */
  readonly keysUrl: string;
  readonly requests: RecordedOpenRouterAuthRequest[];
  /** The keys issued so far (`test-key-openrouter-issued-<n>`), oldest first. */
  issuedKeys(): string[];
  /** Stops listening and destroys every open socket. Safe to call twice. */
  close(): Promise<void>;
}

interface CodeGrant {
  challenge: string | undefined;
  method: string | undefined;
  used: boolean;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(''));
  });
}

/**
 * Starts a mock of OpenRouter's OAuth PKCE endpoints on 127.0.0.1 (random port), as openrouter.ai/docs describes them:
 * - `GET /auth?callback_url=…&code_challenge=…&code_challenge_method=S256|plain` — the consent page, already approved:
 *   a 302 to `callback_url?code=…` (a test's "browser" follows it); with `outcome: 'deny'` a 403;
 * - `POST /api/v1/auth/keys` with JSON `{ code, code_verifier, code_challenge_method }` — the verifier is checked against
 *   the challenge, each code works once, and the answer is `{ key, user_id }`; a refusal is OpenRouter's error shape
 *   `{ error: { code, message } }`.
 * Always `close()` it.
 */
export async function createMockOpenRouterAuthServer(options: MockOpenRouterAuthOptions = {}): Promise<MockOpenRouterAuthServer> {
  const grants = new Map<string, CodeGrant>();
  const keys: string[] = [];
  const requests: RecordedOpenRouterAuthRequest[] = [];
  const refusalStatus = options.refusalStatus ?? 403;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const record: RecordedOpenRouterAuthRequest = { method: request.method ?? 'GET', path: url.pathname, status: 0, fields: {} };
    requests.push(record);
    const json = (status: number, body: unknown) => {
      record.status = status;
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const refuse = (status: number, message: string) => json(status, { error: { code: status, message } });

    if (record.method === 'GET' && url.pathname === '/auth') {
      record.fields = Object.fromEntries(url.searchParams);
      const callback = url.searchParams.get('callback_url');
      if (!callback || !/^https?:\/\//.test(callback)) return refuse(400, 'callback_url is required');
      if (options.outcome === 'deny') return refuse(403, 'The user did not authorize the app');
      const code = randomBytes(16).toString('hex');
      grants.set(code, {
        challenge: url.searchParams.get('code_challenge') ?? undefined,
        method: url.searchParams.get('code_challenge_method') ?? undefined,
        used: false,
      });
      const target = new URL(callback);
      target.searchParams.set('code', code);
      record.status = 302;
      response.writeHead(302, { location: target.toString() }).end();
      return;
    }

    if (record.method === 'POST' && url.pathname === '/api/v1/auth/keys') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      } catch {
        return refuse(400, 'the body must be JSON');
      }
      const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
      record.fields = { code: '***', code_verifier: field('code_verifier') ? '***' : '', code_challenge_method: field('code_challenge_method') };
      const grant = grants.get(field('code'));
      if (!grant || grant.used) return refuse(refusalStatus, 'Invalid code');
      if (grant.challenge !== undefined) {
        const verifier = field('code_verifier');
        const method = field('code_challenge_method') || grant.method || 'plain';
        const expected = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
        if (method !== grant.method || expected !== grant.challenge) return refuse(refusalStatus, 'Invalid code_verifier');
      }
      grant.used = true;
      const key = `test-key-openrouter-issued-${keys.length + 1}`;
      keys.push(key);
      return json(200, { key, user_id: `user_test_${keys.length}` });
    }

    return refuse(404, 'Not found');
  }

  const server = createServer((request, response) => {
    response.on('error', () => {});
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const listener = await listenOnLoopback(server);
  return {
    url: listener.origin,
    authUrl: `${listener.origin}/auth`,
    keysUrl: `${listener.origin}/api/v1/auth/keys`,
    requests,
    issuedKeys: () => [...keys],
    close: () => listener.close(),
  };
}
