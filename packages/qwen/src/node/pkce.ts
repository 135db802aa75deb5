import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636): a random `verifier` and its S256 `challenge`. */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)), no padding. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** A fresh PKCE pair: a 43-character verifier from 32 random bytes, and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}
