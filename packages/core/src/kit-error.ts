import { isRetryableCode, type KitErrorCode } from './error-codes';
import { maskSecrets } from './mask-secrets';

export interface KitErrorOptions {
  status?: number;
  provider?: string;
  credentialId?: string;
  /**
   * Default: the code's (rate limits and transient faults), and `credentials_exhausted` when `retryAfterMs` says when
   * a credential comes back.
   */
  retryable?: boolean;
  retryAfterMs?: number;
  requestId?: string;
  cause?: unknown;
  /** Exact secret values to mask out of the message (the credential of the failed attempt). */
  secrets?: readonly (string | undefined)[];
}

// Marks every KitError, whichever copy of core made it: two bundled copies, or the ESM and CJS builds loaded together,
// share `Symbol.for` keys. Part of the contract between copies: never rename it.
const kitErrorBrand = Symbol.for('@kit/core.error');

/**
 * The one error type of @kit. Its message, stack and cause never hold a credential, so the default
 * `util.inspect`, `String(error)` and `JSON.stringify(error)` (via `toJSON`) are all safe to log.
 *
 * `error instanceof KitError` and `KitError.is(error)` hold for a `KitError` made by any copy of `@kit/core` in the
 * process (an app on one version, a provider package bringing another, ESM and CJS builds side by side): the check
 * reads a `Symbol.for` brand, not the prototype chain. `instanceof` a subclass still checks that subclass exactly.
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
    // Not enumerable: invisible to `util.inspect`, `Object.keys` and spreading; read by `KitError.is` of every copy.
    Object.defineProperty(this, kitErrorBrand, { value: true });
    this.code = code;
    // A code from a newer copy of core (a newer provider package) is unknown to this copy's table: final, blameless.
    this.retryable = options.retryable ?? (isRetryableCode(code) || (code === 'credentials_exhausted' && options.retryAfterMs !== undefined));
    this.status = options.status;
    this.provider = options.provider;
    this.credentialId = options.credentialId;
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
  }

  /**
   * Whether a value is a `KitError` made by any copy of `@kit/core` (its brand), or by an older copy without the brand
   * (an `Error` named `KitError` with a `code`).
   */
  static is(value: unknown): value is KitError {
    const candidate = value as { [kitErrorBrand]?: unknown; code?: unknown } | null | undefined;
    return candidate?.[kitErrorBrand] === true || (value instanceof Error && value.name === 'KitError' && typeof candidate?.code === 'string');
  }

  /**
   * `error instanceof KitError` is `KitError.is(error)`, so that it holds across copies of core. For a subclass
   * (`class MyError extends KitError`) it is the ordinary prototype check: precise for that subclass.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of `instanceof` (a subclass or KitError).
    return this === KitError ? KitError.is(value) : Function.prototype[Symbol.hasInstance].call(this, value);
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
