import type { Alert } from './alert';

/**
 * POSTs an alert as JSON to a webhook, fire-and-forget: it never throws, never rejects, and gives up after
 * `timeoutMs` (the timer does not keep a Node process alive).
 */
export function postWebhook(fetcher: typeof globalThis.fetch, url: string, alert: Alert, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  (timer as { unref?: () => void }).unref?.();
  let sent: Promise<Response>;
  try {
    sent = fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'alert', ...alert }),
      signal: controller.signal,
    });
  } catch {
    sent = Promise.reject();
  }
  return sent
    .then((response) => response.body?.cancel())
    .catch(() => {})
    .finally(() => clearTimeout(timer));
}
