import type { OAuthCredential, RefreshedToken } from '@kit/core';

/** A Qwen OAuth account: core's `OAuthCredential`, so it can be handed to an `OAuthManager` as is. */
export type QwenOAuthCredential = OAuthCredential;

/**
 * What `qwenOAuthRefresh` returns: an `OAuthManager` refresh result. `refreshToken` is the rotated one, or
 * the credential's own when the server did not rotate it; `resourceUrl` when the answer names one.
 */
export type QwenTokenRefreshResult = RefreshedToken;
