/** The provider's id of a request (`x-request-id`, Anthropic's `request-id`), for support tickets. */
export function requestIdOf(headers: Headers): string | undefined {
  return headers.get('x-request-id') ?? headers.get('request-id') ?? undefined;
}
