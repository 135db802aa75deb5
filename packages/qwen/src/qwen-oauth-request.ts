/** Qwen's OAuth token endpoint (refresh and device-code grants). */
export const QWEN_OAUTH_TOKEN_URL = 'https://chat.qwen.ai/api/v1/oauth2/token';
/** Qwen's device authorization endpoint. */
export const QWEN_OAUTH_DEVICE_CODE_URL = 'https://chat.qwen.ai/api/v1/oauth2/device/code';
/** The public client id of Qwen's device-code login (a public client: it has no secret). */
export const QWEN_OAUTH_CLIENT_ID = 'f0304373b74a44d2b584a3fb70ca9e56';
/** The scopes the device-code login asks for. */
export const QWEN_OAUTH_SCOPE = 'openid profile email model.completion';

/** Transport options of a request to Qwen's OAuth endpoints (passed to core's `postOAuthForm`). */
export interface QwenOAuthTransport {
  /** The `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
  /** Bound of one request (default 30 000). */
  timeoutMs?: number;
}
