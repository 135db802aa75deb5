/**
 * OpenRouter's `GET /key` answer as health: `{ data: { label, limit, usage, limit_remaining, is_free_tier, … } }`
 * (API reference, "Get current API key"). A key whose credit limit is used up (`limit_remaining` ≤ 0) answers 200
 * but cannot serve a paid request: unhealthy, saying why. No limit (`limit: null`) or credit left: healthy.
 */
export function readOpenRouterKeyHealth(body: unknown): { healthy: boolean; message?: string } {
  const data = (body as { data?: { limit?: unknown; limit_remaining?: unknown; usage?: unknown } } | undefined)?.data;
  const remaining = data?.limit_remaining;
  if (typeof remaining === 'number' && remaining <= 0) {
    return { healthy: false, message: `openrouter: the key's credit limit is used up (limit ${String(data?.limit)}, usage ${String(data?.usage)})` };
  }
  return { healthy: true };
}
