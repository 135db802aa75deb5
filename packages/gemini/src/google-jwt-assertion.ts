import { KitError } from '@kit/core';
import { base64Url } from '@kit/core/provider-utils';

/** What a service account's JWT assertion (RFC 7523) says, and the key that signs it. */
export interface ServiceAccountAssertion {
  /** The PKCS#8 PEM private key of the key file (`private_key`). */
  privateKey: string;
  /** The service account's email (`client_email`): the issuer. */
  clientEmail: string;
  /** The token endpoint the assertion is for (`token_uri`): the audience. */
  audience: string;
  /** Space-separated OAuth scopes. */
  scope: string;
  /** The issue time, in epoch seconds. */
  issuedAt: number;
  /** The name in errors (default `'gemini'`). */
  provider?: string;
  /** The credential in errors. */
  credentialId?: string;
}

/** An assertion lives one hour, the longest Google accepts. */
const ASSERTION_LIFETIME_SECONDS = 3600;
const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const pemBody = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s\\n]+)-----END PRIVATE KEY-----/;

/** Whether `text` holds a PKCS#8 PEM private key (the form of a Google key file's `private_key`). */
export function isPkcs8PrivateKey(text: unknown): text is string {
  return typeof text === 'string' && pemBody.test(text);
}

const json64 = (value: unknown) => base64Url(new TextEncoder().encode(JSON.stringify(value)));

/** The DER bytes of a PKCS#8 PEM key (a key pasted with literal `\n` sequences, as in an env var, too). */
function pkcs8Bytes(pem: string): Uint8Array<ArrayBuffer> | undefined {
  const body = pemBody.exec(pem)?.[1]?.replace(/\\n|\s/g, '');
  if (!body) return undefined;
  try {
    return Uint8Array.from(atob(body), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * Signs a service account's JWT-bearer assertion (`RS256`, RFC 7515/7523) with Web Crypto: header
 * `{ alg: 'RS256', typ: 'JWT' }`, claims `{ iss, scope, aud, iat, exp: iat + 3600 }`. A key that is not a PKCS#8
 * RSA private key is an `authentication` error (the credential cannot get tokens) that names no part of the key.
 */
export async function signServiceAccountAssertion(assertion: ServiceAccountAssertion): Promise<string> {
  const provider = assertion.provider ?? 'gemini';
  const unusable = () =>
    new KitError('authentication', `${provider}: the service account's private_key is not a PKCS#8 RSA private key (use the key file as Google issued it)`, {
      provider,
      credentialId: assertion.credentialId,
    });
  const der = pkcs8Bytes(assertion.privateKey);
  if (!der) throw unusable();
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
  } catch {
    throw unusable();
  }
  // Google's documented header: no `kid` is needed, the token endpoint checks the account's keys.
  const header = { alg: 'RS256', typ: 'JWT' };
  const { issuedAt } = assertion;
  const claims = { iss: assertion.clientEmail, scope: assertion.scope, aud: assertion.audience, iat: issuedAt, exp: issuedAt + ASSERTION_LIFETIME_SECONDS };
  const signingInput = `${json64(header)}.${json64(claims)}`;
  const signature = await crypto.subtle.sign(algorithm, key, new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64Url(new Uint8Array(signature))}`;
}
