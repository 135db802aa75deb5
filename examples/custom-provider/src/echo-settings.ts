import { nonEmptyStringSchema, providerSettingsShape } from '@kit/core/provider-utils';
import * as z from 'zod/mini';

/** The Echo API's base URL. */
export const ECHO_BASE_URL = 'https://api.echo.example/v1';
/** Read for the key when neither `apiKey` nor `credentials` is given. */
export const ECHO_API_KEY_ENV_VAR = 'ECHO_API_KEY';
/** The model of calls that name none. */
export const ECHO_DEFAULT_MODEL = 'echo-small';

/**
 * Settings of `createEcho`: every common provider setting (`apiKey`, `credentials`, `baseURL`, `timeoutMs`, …) plus
 * Echo's own `workspace`. Strict: an unknown or misspelt field is an `invalid_config` error naming it.
 */
export const echoSettingsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...providerSettingsShape,
    /** Sent as `echo-workspace`: bills the calls to this workspace of your Echo account. */
    workspace: z.optional(nonEmptyStringSchema()),
  }))();

/** Settings of `createEcho`, inferred from `echoSettingsSchema`. */
export type EchoSettings = z.infer<typeof echoSettingsSchema>;
