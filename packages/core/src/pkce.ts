import { base64Url, randomBase64Url } from './base64url';

/** A PKCE pair (RFC 7636): a random `verifier` and its S256 `challenge`. */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/** The S256 challenge of a verifier: `BASE64URL(SHA-256(verifier))`, no padding (web-standard `crypto.subtle`). */
export async function pkceChallenge(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** A fresh PKCE pair: a 43-character verifier from 32 random bytes, and its S256 challenge. */
export async function createPkcePair(): Promise<PkcePair> {
  const verifier = randomBase64Url(32);
  return { verifier, challenge: await pkceChallenge(verifier) };
}
