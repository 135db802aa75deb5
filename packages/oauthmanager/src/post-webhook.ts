import type { HttpHooks } from '@kit/core';
import { sendRequest } from '@kit/core/provider-utils';
import type { Alert } from './alert';

/** Retries of a webhook POST that failed in transit or got a 408/429/5xx answer. */
const WEBHOOK_RETRIES = 2;

/**
 * POSTs an alert as JSON (`{ type: 'alert', …alert }`) to a webhook through core's HTTP client, fire-and-forget: it
 * never throws and never rejects. Each attempt gives up after `timeoutMs`; a network failure, a timeout or a
 * 408/429/5xx answer is retried up to twice with backoff (and the server's `Retry-After` up to 10 s), so the whole
 * delivery ends within about `3 × timeoutMs`. The payload is the same on every attempt: a receiver that got an
 * attempt whose answer was lost sees the alert twice and can tell (same `credentialId`, `kind` and `at`).
 */
export function postWebhook(fetcher: typeof globalThis.fetch | undefined, url: string, alert: Alert, timeoutMs: number, hooks?: HttpHooks): Promise<void> {
  return sendRequest(url, {
    provider: alert.provider,
    what: 'alert webhook',
    json: { type: 'alert', ...alert },
    timeoutMs,
    retry: WEBHOOK_RETRIES,
    fetch: fetcher,
    hooks,
  }).then(
    () => {},
    () => {},
  );
}
