import { abortedError, createUpstreamError, KitError, maskSecrets, upstreamMessage, type KitErrorCode } from '@kit/core';

/** Qwen's OAuth token endpoint (refresh and device-code grants). */
export const QWEN_OAUTH_TOKEN_URL = 'https://chat.qwen.ai/api/v1/oauth2/token';
/** Qwen's device authorization endpoint. */
export const QWEN_OAUTH_DEVICE_CODE_URL = 'https://chat.qwen.ai/api/v1/oauth2/device/code';
/** The public client id of Qwen's device-code login (a public client: it has no secret). */
export const QWEN_OAUTH_CLIENT_ID = 'f0304373b74a44d2b584a3fb70ca9e56';
/** The scopes the device-code login asks for. */
export const QWEN_OAUTH_SCOPE = 'openid profile email model.completion';

/** How long one token-endpoint request may take by default. */
export const QWEN_OAUTH_TIMEOUT_MS = 30_000;

/** Transport options of a request to Qwen's OAuth endpoints. */
export interface QwenOAuthTransport {
  /** The `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
  /** Bound of one request (default 30 000). */
  timeoutMs?: number;
}

/** An OAuth endpoint's answer: status, parsed JSON (or text) body, headers. */
export interface QwenOAuthAnswer {
  status: number;
  ok: boolean;
  body: Record<string, unknown>;
  headers: Headers;
}

// RFC 6749 §5.2 / RFC 8628 §3.5 errors that mean "this grant or client is not valid": the credential's fault.
const rejectedGrant = /^(invalid_grant|invalid_token|invalid_client|unauthorized_client|access_denied|expired_token)$/;

/**
 * POSTs form fields (`application/x-www-form-urlencoded`, every value properly encoded; unset ones left out) to a
 * Qwen OAuth endpoint. A transport failure becomes a `KitError` (`network`, `timeout`, `aborted`) whose message
 * holds none of `secrets`.
 */
export async function postQwenOAuthForm(
  url: string,
  fields: Record<string, string | undefined>,
  transport: QwenOAuthTransport,
  secrets: readonly (string | undefined)[],
): Promise<QwenOAuthAnswer> {
  const form = new URLSearchParams();
  for (const name in fields) if (fields[name] !== undefined) form.append(name, fields[name] as string);
  const { signal, timeoutMs = QWEN_OAUTH_TIMEOUT_MS } = transport;
  if (signal?.aborted) throw abortedError('qwen');
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await (transport.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: controller.signal,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the message
    }
    return { status: response.status, ok: response.ok, body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : { message: body }, headers: response.headers };
  } catch (error) {
    if (signal?.aborted) throw abortedError('qwen');
    const code: KitErrorCode = timedOut ? 'timeout' : 'network';
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : maskSecrets(String((error as Error | undefined)?.message ?? error), secrets);
    throw new KitError(code, `qwen: ${new URL(url).pathname}: ${reason}`, { provider: 'qwen', secrets, cause: error });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The OAuth `error` of an answer, if it carries one (in an error status or, as Qwen sometimes does, in a 2xx body). */
export function oauthErrorOf(answer: QwenOAuthAnswer): string | undefined {
  const { error } = answer.body;
  return typeof error === 'string' && error !== '' ? error : undefined;
}

/**
 * The `KitError` of a refused OAuth request: `"qwen: <what>: <error> (<error_description>) (HTTP <status>)"`.
 * A rejected grant or client (`invalid_grant`, …) is `authentication`; otherwise the status decides (429 rate limit,
 * 5xx server error). `secrets` are masked out of the message.
 */
export function qwenOAuthError(answer: QwenOAuthAnswer, what: string, options: { credentialId?: string; secrets: readonly (string | undefined)[] }): KitError {
  const error = oauthErrorOf(answer);
  const description = answer.body.error_description;
  const status = answer.ok ? 400 : answer.status;
  return createUpstreamError(
    { status, body: answer.body, headers: answer.headers },
    {
      provider: 'qwen',
      credentialId: options.credentialId,
      secrets: options.secrets,
      refine: () => {
        if (!error) return { message: `${what}: ${upstreamMessage(answer.body)?.slice(0, 300) ?? 'refused'}` };
        const detail = typeof description === 'string' && description ? `${error} (${description.slice(0, 300)})` : error;
        return rejectedGrant.test(error) || status === 401 ? { message: `${what}: ${detail}`, code: 'authentication' } : { message: `${what}: ${detail}` };
      },
    },
  );
}
