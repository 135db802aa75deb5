import type { OAuthCredential } from './oauth-credential';

/** Options of `OAuthManager.export()`. */
export interface ExportOptions {
  /** Include `accessToken`, `refreshToken` and `clientSecret`. Default `false`: the export is safe to log. */
  includeSecrets?: boolean;
}

/** One credential in an export; without `includeSecrets` its tokens and client secret are left out. */
export type ExportedCredential = Omit<OAuthCredential, 'accessToken' | 'refreshToken' | 'clientSecret'> & {
  accessToken?: string;
  refreshToken?: string;
  clientSecret?: string;
  /** Whether the credential has a refresh token (shown even without secrets). */
  hasRefreshToken: boolean;
};

/** What `OAuthManager.export()` returns and `import()` accepts. */
export interface OAuthManagerExport {
  version: 1;
  provider: string;
  /** When it was exported (epoch ms). */
  exportedAt: number;
  /** Whether the tokens are in it. */
  includesSecrets: boolean;
  credentials: ExportedCredential[];
}

/** The export of one credential (internal). */
export function exportCredential(credential: OAuthCredential, includeSecrets: boolean): ExportedCredential {
  const { accessToken, refreshToken, clientSecret, ...rest } = credential;
  const exported: ExportedCredential = { ...rest, hasRefreshToken: !!refreshToken };
  if (rest.scopes) exported.scopes = [...rest.scopes];
  if (includeSecrets) {
    exported.accessToken = accessToken;
    if (refreshToken !== undefined) exported.refreshToken = refreshToken;
    if (clientSecret !== undefined) exported.clientSecret = clientSecret;
  }
  return exported;
}
