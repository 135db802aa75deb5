import type { FinishReason, ServerTimings, Usage } from './chat-completion';
import type { KitErrorCode } from './error-codes';
import type { RateLimitInfo } from './rate-limit-info';

export interface EventBase {
  at: number;
  provider: string;
  model?: string;
  credentialId?: string;
  requestId?: string;
}

/** The error as events carry it: plain, masked data. */
export interface EventError {
  code: KitErrorCode;
  status?: number;
  message: string;
}

/** Everything \@kit reports: the engine, the credential managers and the router emit these. */
export type KitEvent =
  | (EventBase & { type: 'request-start'; streaming: boolean; attempt: number })
  | (EventBase & {
      type: 'request-success';
      latencyMs: number;
      usage: Usage;
      streaming: boolean;
      ttftMs?: number;
      finishReason: FinishReason;
      /** What the upstream reported about its own time (metrics prefer its generation time for tokens per second). */
      serverTimings?: ServerTimings;
    })
  | (EventBase & { type: 'request-error'; latencyMs: number; error: EventError; willRetry: boolean; streaming?: boolean })
  /** A call failed for good (after its attempts, or before any: every credential cooling down, deadline passed). */
  | (EventBase & { type: 'call-error'; latencyMs: number; error: EventError; attempts: number })
  | (EventBase & { type: 'stream-first-token'; ttftMs: number })
  | (EventBase & { type: 'credential-failure'; error: EventError; consecutiveFailures: number; backoffMs: number })
  | (EventBase & { type: 'credential-unhealthy'; consecutiveFailures: number })
  | (EventBase & { type: 'credential-recovered' })
  | (EventBase & { type: 'token-refresh'; success: boolean; latencyMs: number; error?: EventError })
  | (EventBase & { type: 'failover'; from: string; to?: string; reason: KitErrorCode })
  | (EventBase & { type: 'rate-limit'; rateLimit: RateLimitInfo })
  | (EventBase & { type: 'alert'; kind: string; message: string; severity: 'info' | 'warning' | 'critical' })
  /** A manager's shared state store (`stateStore`) cannot be reached (or its tokens opened): it goes on with local state. */
  | (EventBase & { type: 'store-unavailable'; message: string });

export type KitEventType = KitEvent['type'];

/** Anything that consumes events (`MetricsCollector` implements it). */
export interface MetricsSink {
  record(event: KitEvent): void;
}

export type KitEventListener = (event: KitEvent) => void;

/** Calls every listener, so that a throwing listener never breaks a request. */
export function createEventEmitter(listeners: readonly (KitEventListener | undefined)[]): KitEventListener {
  const active = listeners.filter((listener): listener is KitEventListener => typeof listener === 'function');
  return (event) => {
    for (const listener of active) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the request goes on.
      }
    }
  };
}

/** A `KitEvent` before `at` and `provider` are stamped on it. */
export type KitEventInput = KitEvent extends infer E ? (E extends KitEvent ? Omit<E, 'at' | 'provider'> : never) : never;
