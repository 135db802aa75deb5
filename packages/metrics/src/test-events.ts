import type { EventError, KitEvent, Usage } from '@kit/core';

/** Builders of scripted events for the tests (one attempt at a time, like the engine emits them). */
export function events(base: { provider?: string; model?: string; credentialId?: string; at?: number } = {}) {
  const provider = base.provider ?? 'openai';
  const common = () => ({
    provider,
    at: base.at ?? 1_000,
    ...(base.model ? { model: base.model } : {}),
    ...(base.credentialId ? { credentialId: base.credentialId } : {}),
  });
  return {
    start: (streaming = true, attempt = 1): KitEvent => ({ ...common(), type: 'request-start', streaming, attempt }),
    success: (latencyMs: number, usage: Partial<Usage> = {}, extra: { streaming?: boolean; ttftMs?: number } = {}): KitEvent => ({
      ...common(),
      type: 'request-success',
      latencyMs,
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, ...usage },
      streaming: extra.streaming ?? true,
      ...(extra.ttftMs !== undefined ? { ttftMs: extra.ttftMs } : {}),
      finishReason: 'stop',
    }),
    error: (latencyMs: number, error: EventError, willRetry: boolean): KitEvent => ({
      ...common(),
      type: 'request-error',
      latencyMs,
      error,
      willRetry,
      streaming: true,
    }),
    // Like the engine: no credentialId on a call-error (a call spans credentials).
    callError: (error: EventError, attempts: number, latencyMs = 100): KitEvent => {
      const { credentialId: _ignored, ...rest } = common() as { credentialId?: string };
      return { ...(rest as ReturnType<typeof common>), type: 'call-error', latencyMs, error, attempts };
    },
    firstToken: (ttftMs: number): KitEvent => ({ ...common(), type: 'stream-first-token', ttftMs }),
    // Like the engine: no credentialId on a failover.
    failover: (from: string, to: string, reason: EventError['code']): KitEvent => {
      const { credentialId: _ignored, ...rest } = common() as { credentialId?: string };
      return { ...(rest as ReturnType<typeof common>), type: 'failover', from, to, reason };
    },
    refresh: (success: boolean, latencyMs = 120): KitEvent => ({
      ...common(),
      type: 'token-refresh',
      success,
      latencyMs,
      ...(success ? {} : { error: { code: 'authentication', message: 'refresh rejected' } }),
    }),
    credentialFailure: (consecutiveFailures: number, backoffMs: number, code: EventError['code'] = 'server_error'): KitEvent => ({
      ...common(),
      type: 'credential-failure',
      error: { code, message: 'failed' },
      consecutiveFailures,
      backoffMs,
    }),
    unhealthy: (consecutiveFailures = 3): KitEvent => ({ ...common(), type: 'credential-unhealthy', consecutiveFailures }),
    recovered: (): KitEvent => ({ ...common(), type: 'credential-recovered' }),
    rateLimit: (requestsRemaining: number): KitEvent => ({ ...common(), type: 'rate-limit', rateLimit: { requestsRemaining, requestsLimit: 100 } }),
    alert: (): KitEvent => ({ ...common(), type: 'alert', kind: 'failure-rate', message: 'too many failures', severity: 'warning' }),
  };
}
