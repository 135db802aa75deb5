import type { ServerResponse } from 'node:http';

/** One request the mock OAuth server received, with every secret masked. */
export interface RecordedOAuthRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  /** Which endpoint answered: `'token'`, `'device-code'`, `'authorize'`, or `'unknown'`. */
  endpoint: 'token' | 'device-code' | 'authorize' | 'unknown';
  contentType?: string;
  /** The form's `grant_type` (token endpoint). */
  grantType?: string;
  /** The client, from the form, the query or HTTP Basic auth. */
  clientId?: string;
  /** The account the request concerned, when the server could tell. */
  accountId?: string;
  /**
   * The form fields (or, for `GET`, the query). `refresh_token`, `client_secret`, `code`, `code_verifier`,
   * `device_code`, `access_token`, `password` and `assertion` read `***`.
   */
  form: Record<string, string>;
  /** The status of the answer, once sent. */
  status?: number;
  /** The OAuth `error` of the answer (`invalid_grant`, `authorization_pending`, …). */
  error?: string;
  /** When the request arrived (epoch ms of the server's clock). */
  at: number;
}

/** What the token endpoint does with one refresh request. */
export type OAuthBehaviour =
  /** Issue new tokens (rotating the refresh token unless the server was created with `rotateRefreshTokens: false`). */
  | { kind: 'tokens'; expiresInSeconds?: number }
  /** An OAuth error answer: `{ "error": error, "error_description": description }`. */
  | { kind: 'error'; status: number; error: string; description?: string; retryAfterSeconds?: number }
  /** Accept the request and never answer (until the client aborts or the server closes). */
  | { kind: 'hang' }
  /** Wait `ms`, then behave like `then`. */
  | { kind: 'delay'; ms: number; then: OAuthBehaviour }
  /** Exactly this body and status (e.g. HTML from a proxy, or broken JSON). */
  | { kind: 'raw'; status: number; body: string; contentType?: string };

/** What a mock token endpoint does for each kind of behaviour that is its own (the rest is shared: `playOAuthBehaviour`). */
export interface OAuthBehaviourPlayer {
  /** Issue tokens, living `expiresInSeconds` when the behaviour says so. */
  tokens(expiresInSeconds: number | undefined): void;
  /** Answer an OAuth error. */
  error(behaviour: Extract<OAuthBehaviour, { kind: 'error' }>): void;
  /** The response a `raw` behaviour is written to, and the record of the request. */
  response: ServerResponse;
  record: RecordedOAuthRequest;
}

/**
 * Plays one scripted behaviour on a mock token endpoint (the OAuth token server and the Google token endpoint share
 * it): `hang` answers nothing, `delay` waits then plays its `then`, `raw` writes its body as it is; `tokens` and
 * `error` are the endpoint's own.
 */
export async function playOAuthBehaviour(behaviour: OAuthBehaviour, player: OAuthBehaviourPlayer): Promise<void> {
  switch (behaviour.kind) {
    case 'tokens':
      return player.tokens(behaviour.expiresInSeconds);
    case 'error':
      return player.error(behaviour);
    case 'hang':
      return;
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, behaviour.ms));
      return playOAuthBehaviour(behaviour.then, player);
    case 'raw': {
      const { response, record } = player;
      record.status = behaviour.status;
      if (response.destroyed) return;
      response.writeHead(behaviour.status, { 'content-type': behaviour.contentType ?? 'application/json' });
      response.end(behaviour.body);
      return;
    }
    default:
      return player.error({
        kind: 'error',
        status: 500,
        error: 'server_error',
        description: `mock token endpoint: unknown behaviour ${JSON.stringify(behaviour)}`,
      });
  }
}

/**
 * A refresh script: one behaviour for every request, a list consumed one per request (the last one repeating), or a
 * function of the request and `n` (that account's refresh requests, from 0).
 */
export type OAuthScript = OAuthBehaviour | readonly OAuthBehaviour[] | ((request: RecordedOAuthRequest, n: number) => OAuthBehaviour);

/**
 * What one poll of the device-code grant gets: an RFC 8628 error (`authorization_pending`, `slow_down`,
 * `expired_token`, `access_denied`), or `'approve'` — the user approved, tokens are issued.
 */
export type DevicePollOutcome = 'authorization_pending' | 'slow_down' | 'expired_token' | 'access_denied' | 'approve';

/** The behaviour of a script at request `n`. */
export function oauthBehaviourAt(script: OAuthScript, request: RecordedOAuthRequest, n: number): OAuthBehaviour {
  if (typeof script === 'function') return script(request, n);
  if (Array.isArray(script)) {
    if (script.length === 0) throw new Error('mock OAuth server: a script list needs at least one behaviour');
    return script[Math.min(n, script.length - 1)] as OAuthBehaviour;
  }
  return script as OAuthBehaviour;
}

/** Builders for successful token answers. */
export const oauthReplies = {
  /** New tokens; `expiresInSeconds` overrides the server's access-token lifetime for this answer. */
  tokens(options: { expiresInSeconds?: number } = {}): OAuthBehaviour {
    return { kind: 'tokens', ...options };
  },
};

/** Builders for failing token answers. */
export const oauthFaults = {
  /** 400 `invalid_grant`: the refresh token is revoked or expired (permanent). */
  invalidGrant(description = 'The refresh token is invalid or has been revoked.'): OAuthBehaviour {
    return { kind: 'error', status: 400, error: 'invalid_grant', description };
  },
  /** 401 `invalid_client`. */
  invalidClient(): OAuthBehaviour {
    return { kind: 'error', status: 401, error: 'invalid_client', description: 'Client authentication failed.' };
  },
  /** A 5xx answer (`server_error`). */
  serverError(status = 500): OAuthBehaviour {
    return { kind: 'error', status, error: 'server_error', description: 'The authorization server had an internal error.' };
  },
  /** 503 `temporarily_unavailable`. */
  temporarilyUnavailable(): OAuthBehaviour {
    return { kind: 'error', status: 503, error: 'temporarily_unavailable', description: 'Try again later.' };
  },
  /** 429 with an optional `retry-after`. */
  rateLimited(retryAfterSeconds?: number): OAuthBehaviour {
    return {
      kind: 'error',
      status: 429,
      error: 'rate_limit_exceeded',
      description: 'Too many requests.',
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  },
  /** Never answers. */
  hang(): OAuthBehaviour {
    return { kind: 'hang' };
  },
  /** Waits `ms`, then behaves like `then`. */
  slow(ms: number, then: OAuthBehaviour = oauthReplies.tokens()): OAuthBehaviour {
    return { kind: 'delay', ms, then };
  },
  /** Exactly this body. */
  raw(body: string, options: { status?: number; contentType?: string } = {}): OAuthBehaviour {
    return { kind: 'raw', status: options.status ?? 200, body, ...(options.contentType ? { contentType: options.contentType } : {}) };
  },
};
