/**
 * Opaque blocks a provider needs back unchanged (Anthropic's `redacted_thinking`, OpenRouter's `reasoning.encrypted`)
 * travel inside a reasoning part's `signature`, after the part's own signature, as `<kind>:<payload>;` segments. The
 * payload must hold no `;` (base64 data, or URI-encoded JSON), and a real signature holds no `:` or `;`, so the
 * signature splits back into both.
 */
export function signatureSegment(kind: string, payload: string): string {
  return `${kind}:${payload};`;
}

/** A reasoning part's `signature` split into its own signature and the payloads of its `kind` segments, in order. */
export function splitSignature(signature: string, kind: string): { own: string; payloads: string[] } {
  // A segment's closing `;` may be missing at the very end (a signature cut by hand): still a segment.
  const segment = new RegExp(`${kind.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:([^;]*);?`, 'g');
  const payloads: string[] = [];
  for (const [, payload] of signature.matchAll(segment)) payloads.push(payload as string);
  return { own: signature.replace(segment, ''), payloads };
}
