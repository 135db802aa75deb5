import { atLeast, integerSchema, nonEmptyStringSchema, parseOrThrow } from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import { copyCredential } from './credential-store';
import type { OAuthCredential } from './oauth-credential';
import { check } from './invalid-config';

const filled = nonEmptyStringSchema;
const time = () => z.optional(z.number().check(atLeast(0)));

function credentialShape() {
  return {
    id: filled(),
    clientId: z.optional(z.string()),
    clientSecret: z.optional(z.string()),
    accessToken: filled(),
    refreshToken: z.optional(filled()),
    expiresAt: time(),
    scopes: z.optional(z.array(z.string())),
    lastRefreshAt: time(),
    refreshCount: z.optional(integerSchema().check(atLeast(0))),
    resourceUrl: z.optional(filled()),
    projectId: z.optional(filled()),
    tokenUrl: z.optional(filled()),
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
  'tokenUrl',
  'createdAt',
];

/**
 * Validates one credential and returns a copy holding only the known fields. `strict` (credentials given in code)
 * also rejects unknown fields, which catches typos like `refresh_token`; stored or imported data is read leniently.
 * Errors name the field (`credentials[1].accessToken`), never a value.
 */
export function normaliseCredential(input: unknown, field: string, provider: string, strict: boolean): OAuthCredential {
  const schema = strict ? z.strictObject(credentialShape()) : z.object(credentialShape());
  const credential: OAuthCredential = parseOrThrow(schema, input, 'invalid_config', { what: `OAuthManager(${provider})`, provider, prefix: field });
  // The id labels events and metrics: it must not carry a token.
  const { id, accessToken, refreshToken } = credential;
  check(!id.includes(accessToken) && !(refreshToken && id.includes(refreshToken)), provider, `${field}.id`, 'must not contain a token');
  const copy: Record<string, unknown> = {};
  for (const name of fields) if (credential[name] !== undefined) copy[name] = credential[name];
  return copyCredential(copy as unknown as OAuthCredential);
}
