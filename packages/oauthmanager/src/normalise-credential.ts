import { array, number, object, optional, parseOrThrow, string } from '@kit/core';
import { copyCredential } from './credential-store';
import type { OAuthCredential } from './oauth-credential';
import { check } from './invalid-config';

const filled = () => string({ min: 1 });
const time = () => optional(number({ min: 0 }));

function credentialShape() {
  return {
    id: filled(),
    clientId: optional(string()),
    clientSecret: optional(string()),
    accessToken: filled(),
    refreshToken: optional(filled()),
    expiresAt: time(),
    scopes: optional(array(string())),
    lastRefreshAt: time(),
    refreshCount: optional(number({ int: true, min: 0 })),
    resourceUrl: optional(filled()),
    projectId: optional(filled()),
    createdAt: time(),
  };
}

const fields: readonly (keyof OAuthCredential)[] = [
  'id',
  'clientId',
  'clientSecret',
  'accessToken',
  'refreshToken',
  'expiresAt',
  'scopes',
  'lastRefreshAt',
  'refreshCount',
  'resourceUrl',
  'projectId',
  'createdAt',
];

/**
 * Validates one credential and returns a copy holding only the known fields. `strict` (credentials given in code)
 * also rejects unknown fields, which catches typos like `refresh_token`; stored or imported data is read leniently.
 * Errors name the field (`credentials[1].accessToken`), never a value.
 */
export function normaliseCredential(input: unknown, field: string, provider: string, strict: boolean): OAuthCredential {
  const credential = parseOrThrow(object(credentialShape(), strict), input, 'invalid_config', {
    what: `OAuthManager(${provider})`,
    provider,
    prefix: field,
  }) as OAuthCredential;
  // The id labels events and metrics: it must not carry a token.
  const { id, accessToken, refreshToken } = credential;
  check(!id.includes(accessToken) && !(refreshToken && id.includes(refreshToken)), provider, `${field}.id`, 'must not contain a token');
  const copy = {} as Record<string, unknown>;
  for (const name of fields) if (credential[name] !== undefined) copy[name] = credential[name];
  return copyCredential(copy as unknown as OAuthCredential);
}
