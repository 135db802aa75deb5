import type { JSONObject, SharedV4ProviderMetadata } from '@ai-sdk/provider';

/** What \@kit tells the AI SDK about a call, under `providerMetadata.kit`. */
export interface KitCallMetadata {
  /** The \@kit provider instance's name (`anthropic`, or the `name` setting). */
  provider: string;
  /** The pool's id of the credential that answered (`key-2`, an OAuth account id…); never the secret. */
  credentialId?: string | undefined;
  /** The upstream's id of the request (`request-id` / `x-request-id`), for support tickets. */
  requestId?: string | undefined;
  /** What the provider says the call cost, in US dollars, when it reports one. */
  cost?: number | undefined;
}

/** `{ kit: { provider, credentialId, requestId, cost } }` with the unknown fields left out. */
export function kitProviderMetadata(metadata: KitCallMetadata): SharedV4ProviderMetadata {
  const kit: JSONObject = {};
  for (const [key, value] of Object.entries(metadata)) if (value !== undefined) kit[key] = value;
  return { kit };
}
