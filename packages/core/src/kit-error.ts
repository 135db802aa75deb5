import { errorPolicies, type KitErrorCode } from './error-codes';
import { maskSecrets } from './mask-secrets';

export interface KitErrorOptions {
  status?: number;
  provider?: string;
  credentialId?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  requestId?: string;
  cause?: unknown;
  /** Exact secret values to mask out of the message (the credential of the failed attempt). */
  secrets?: readonly (string | undefined)[];
}

/**
 * The one error type of @kit. Its message, stack and cause never hold a credential, so the default
 * `util.inspect`, `String(error)` and `JSON.stringify(error)` (via `toJSON`) are all safe to log.
 */
export class KitError extends Error {
  override readonly name = 'KitError';
  readonly code: KitErrorCode;
  readonly status: number | undefined;
  readonly provider: string | undefined;
  readonly credentialId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;

  constructor(code: KitErrorCode, message: string, options: KitErrorOptions = {}) {
    const secrets = options.secrets ?? [];
    const cause = sanitiseCause(options.cause, secrets);
    super(maskSecrets(message, secrets), cause === undefined ? undefined : { cause });
    this.code = code;
    this.retryable = options.retryable ?? errorPolicies[code].retryable;
    this.status = options.status;
    this.provider = options.provider;
    this.credentialId = options.credentialId;
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
  }

  /** Whether a value is a `KitError` (also across bundled copies of core). */
  static is(value: unknown): value is KitError {
    return value instanceof KitError || (value instanceof Error && value.name === 'KitError' && 'code' in value);
  }

  /** Plain data without secrets, for logs and events (unset fields are left out by `JSON.stringify`). */
  toJSON(): Record<string, unknown> {
    const { name, code, message, retryable, status, provider, credentialId, retryAfterMs, requestId } = this;
    const cause = this.cause === undefined ? undefined : KitError.is(this.cause) ? this.cause.toJSON() : (this.cause as Error).message;
    return { name, code, message, retryable, status, provider, credentialId, retryAfterMs, requestId, cause };
  }

}

// A cause may be a fetch/ky error holding request headers; keep only a masked message, never the object.
function sanitiseCause(cause: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (cause === undefined || cause === null) return undefined;
  if (KitError.is(cause)) return cause;
  // String(error) is "Name: message"; the new error's stack holds that masked text and our frames, nothing else.
  return new Error(maskSecrets(String(cause), secrets));
}

/** Turns anything thrown into a `KitError` (unknown errors become `network`). */
export function toKitError(error: unknown, fallback: KitErrorCode = 'network', options: KitErrorOptions = {}): KitError {
  if (KitError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KitError(fallback, message, { ...options, cause: error });
}
