import { randomBytes } from 'node:crypto';
import { KitError, type HttpHooks } from '@kit/core';
import { abortedError, createPkcePair, postOAuthForm, sleep as timerSleep } from '@kit/core/provider-utils';
import type { QwenOAuthCredential } from '../qwen-oauth-credential';
import { readQwenTokenAnswer } from '../qwen-oauth-refresh';
import { QWEN_OAUTH_CLIENT_ID, QWEN_OAUTH_DEVICE_CODE_URL, QWEN_OAUTH_SCOPE, QWEN_OAUTH_TOKEN_URL, type QwenOAuthTransport } from '../qwen-oauth-request';

/** What the user must do to authorise the login. */
export interface QwenDeviceVerification {
  /** The page to open; it asks for `userCode`. */
  verificationUri: string;
  /** The same page with the code filled in, when the server gives one. */
  verificationUriComplete?: string;
  userCode: string;
  /** When the code stops working (epoch ms). */
  expiresAt: number;
}

/** Options of `loginWithQwenDevice`. */
export interface QwenDeviceLoginOptions extends QwenOAuthTransport {
  /** Id of the returned credential (default `qwen-<random hex>`). */
  id?: string;
  /** Default Qwen's public client id. */
  clientId?: string;
  /** Default `openid profile email model.completion`. */
  scope?: string;
  /** Default `https://chat.qwen.ai/api/v1/oauth2/device/code`. */
  deviceCodeURL?: string;
  /** Default `https://chat.qwen.ai/api/v1/oauth2/token`. */
  tokenURL?: string;
  /**
   * Shows the verification URL and code to the user (awaited before polling starts). Default: one line on stderr.
   * Nothing is opened: call your browser opener here if you want one.
   */
  onVerification?: (verification: QwenDeviceVerification) => void | Promise<void>;
  /** Waits between polls (default a timer; tests inject one that advances a fake clock). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock (default `Date.now`). */
  now?: () => number;
  /**
   * ky `beforeRequest` / `afterResponse` hooks on the device-code and token requests (tracing, logging). They see
   * the real requests: the token polls hold the device code and the PKCE verifier.
   */
  hooks?: HttpHooks;
}

/** RFC 8628: poll every 5 s unless told otherwise; `slow_down` adds 5 s. */
const DEFAULT_INTERVAL_MS = 5_000;
const SLOW_DOWN_STEP_MS = 5_000;
/** Used when the device-code answer has no `expires_in`. */
const DEFAULT_CODE_LIFETIME_MS = 10 * 60_000;

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
// RFC 8628 §3.5 answers of the polling that are not plain failures: handled below.
const pollingErrors = ['authorization_pending', 'slow_down', 'expired_token', 'access_denied'];

const seconds = (value: unknown, fallbackMs: number): number => {
  const parsed = Number(value);
  return value != null && value !== '' && Number.isFinite(parsed) && parsed > 0 ? Math.round(parsed * 1000) : fallbackMs;
};

function printVerification({ verificationUri, verificationUriComplete, userCode }: QwenDeviceVerification): void {
  process.stderr.write(`To sign in to Qwen, open ${verificationUriComplete ?? verificationUri} and confirm the code ${userCode}. Waiting for authorization…\n`);
}

/**
 * Logs a Qwen account in with the OAuth device-code flow and PKCE (S256), and returns its credential, ready for
 * an `OAuthManager` (store it: it holds the refresh token).
 *
 * 1. `POST https://chat.qwen.ai/api/v1/oauth2/device/code` with `client_id`, `scope`, `code_challenge`,
 *    `code_challenge_method=S256`.
 * 2. `onVerification` shows the verification URL and user code (nothing is opened automatically).
 * 3. The token endpoint is polled every `interval` seconds (default 5) with the device code and the PKCE verifier:
 *    `authorization_pending` keeps polling, `slow_down` adds 5 s to the interval; `expired_token` (or the code's
 *    lifetime running out) and `access_denied` end the login with a `KitError('authentication')` saying so.
 *
 * @example
 * const account = await loginWithQwenDevice({ id: 'work-account' });
 * await store.save(account);
 */
export async function loginWithQwenDevice(options: QwenDeviceLoginOptions = {}): Promise<QwenOAuthCredential> {
  const { signal, now = Date.now, onVerification = printVerification } = options;
  const wait = options.sleep ?? timerSleep;
  const clientId = options.clientId ?? QWEN_OAUTH_CLIENT_ID;
  const scope = options.scope ?? QWEN_OAUTH_SCOPE;
  const id = options.id ?? `qwen-${randomBytes(4).toString('hex')}`;
  if (typeof id !== 'string' || id === '') throw new KitError('invalid_request', 'qwen: id: must be a non-empty string', { provider: 'qwen' });
  const pkce = await createPkcePair();

  const transport = { fetch: options.fetch, signal, timeoutMs: options.timeoutMs, provider: 'qwen', hooks: options.hooks };
  const authorization = await postOAuthForm(
    options.deviceCodeURL ?? QWEN_OAUTH_DEVICE_CODE_URL,
    { client_id: clientId, scope, code_challenge: pkce.challenge, code_challenge_method: 'S256' },
    { ...transport, what: 'device authorization', secrets: [pkce.verifier] },
  );
  const { device_code: deviceCode, user_code: userCode, verification_uri: uri, verification_uri_complete: uriComplete } = authorization;
  const verificationUri = typeof uri === 'string' && uri ? uri : typeof uriComplete === 'string' && uriComplete ? uriComplete : undefined;
  if (typeof deviceCode !== 'string' || !deviceCode || typeof userCode !== 'string' || !userCode || !verificationUri) {
    throw new KitError('invalid_response', 'qwen: device authorization: the answer lacks device_code, user_code or verification_uri', { provider: 'qwen' });
  }
  const secrets = [pkce.verifier, deviceCode];
  const expiresAt = now() + seconds(authorization.expires_in, DEFAULT_CODE_LIFETIME_MS);
  let intervalMs = seconds(authorization.interval, DEFAULT_INTERVAL_MS);
  await onVerification({
    verificationUri,
    ...(typeof uriComplete === 'string' && uriComplete ? { verificationUriComplete: uriComplete } : {}),
    userCode,
    expiresAt,
  });

  const expired = () =>
    new KitError('authentication', 'qwen: device login: the code expired before it was authorised; start the login again', { provider: 'qwen' });
  for (;;) {
    try {
      await wait(intervalMs, signal);
    } catch (error) {
      throw signal?.aborted ? abortedError('qwen') : error;
    }
    if (signal?.aborted) throw abortedError('qwen');
    if (now() >= expiresAt) throw expired();
    const answer = await postOAuthForm(
      options.tokenURL ?? QWEN_OAUTH_TOKEN_URL,
      { grant_type: DEVICE_CODE_GRANT, client_id: clientId, device_code: deviceCode, code_verifier: pkce.verifier },
      { ...transport, what: 'device login', secrets, passErrors: pollingErrors },
    );
    const { error } = answer;
    if (error === 'authorization_pending' || (!error && answer.status === 'pending')) continue;
    if (error === 'slow_down') {
      intervalMs += SLOW_DOWN_STEP_MS;
      continue;
    }
    if (error === 'expired_token') throw expired();
    if (error === 'access_denied') throw new KitError('authentication', 'qwen: device login: the user denied the authorization request', { provider: 'qwen' });

    const token = readQwenTokenAnswer(answer, 'device login', id);
    const grantedScope = typeof answer.scope === 'string' && answer.scope.trim() ? answer.scope : scope;
    const credential: QwenOAuthCredential = { id, clientId, accessToken: token.accessToken, scopes: grantedScope.split(/\s+/).filter(Boolean) };
    if (token.refreshToken) credential.refreshToken = token.refreshToken;
    if (token.expiresInMs !== undefined) credential.expiresAt = now() + token.expiresInMs;
    if (token.resourceUrl) credential.resourceUrl = token.resourceUrl;
    return credential;
  }
}
