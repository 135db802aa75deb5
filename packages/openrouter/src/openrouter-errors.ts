import { truncateMasked, type ErrorRefiner } from '@kit/core/provider-utils';

const fields = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/**
 * OpenRouter's error body is `{ error: { code, message, metadata? } }` with `code` the HTTP status. Core classifies
 * it by status and message, and the OpenAI dialect reads `metadata.raw` (the upstream provider's own answer behind a
 * "Provider returned error"). This adds what only OpenRouter's metadata says:
 * - `metadata.reasons` (a moderation flag, 403): `content_filter`, the reasons in the message — never the flagged
 *   input itself (`metadata.flagged_input` may quote the user's text);
 * - `metadata.limit_source: 'openrouter_in_flight_budget'` on a 402: a spending budget held by requests still
 *   running, freed within seconds (OpenRouter sends `Retry-After`) — a `rate_limit`, not an exhausted balance.
 */
export const refineOpenRouterError: ErrorRefiner = ({ status, body }) => {
  const error = fields(fields(body).error);
  const metadata = fields(error.metadata);
  const reasons = Array.isArray(metadata.reasons) ? metadata.reasons.filter((reason): reason is string => typeof reason === 'string') : [];
  if (reasons.length > 0) {
    const message = typeof error.message === 'string' && error.message ? error.message : 'the input was flagged by moderation';
    return { code: 'content_filter', message: `${truncateMasked(message, 300)} (moderation: ${reasons.join(', ')})` };
  }
  if (status === 402 && metadata.limit_source === 'openrouter_in_flight_budget') return { code: 'rate_limit' };
  return undefined;
};
