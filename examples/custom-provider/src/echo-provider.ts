import { PROVIDER_SPECIFICATION_VERSION, type ModelInfo, type Provider } from '@kit/core';
import { createChatProvider, ndjsonFraming, parseOrThrow, type ProviderDefinition } from '@kit/core/provider-utils';
import { refineEchoError } from './echo-errors';
import { buildEchoRequest } from './echo-request';
import { ECHO_API_KEY_ENV_VAR, ECHO_BASE_URL, ECHO_DEFAULT_MODEL, echoSettingsSchema, type EchoSettings } from './echo-settings';
import { createEchoStreamMapper, parseEchoResponse } from './echo-stream';

const capabilities = { streaming: true, tools: true, vision: false, reasoning: false, json: false };

/** Served by `getModels()` when `GET /models` cannot be reached. */
export const echoFallbackModels: readonly ModelInfo[] = [
  { id: 'echo-small', provider: 'echo', contextWindow: 32_768, capabilities },
  { id: 'echo-large', provider: 'echo', contextWindow: 131_072, capabilities },
];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Echo's wire definition for core's `createChatProvider`: `POST /reply` (NDJSON when streaming), `GET /models`, the
 * key in `echo-api-key`. Only wire knowledge: credentials, retries, failover, timeouts, events and metrics are core's.
 */
export function defineEchoProvider({ workspace }: { workspace?: string } = {}): ProviderDefinition {
  return {
    // The provider contract this package is written for: core refuses the definition if it implements another.
    specificationVersion: PROVIDER_SPECIFICATION_VERSION,
    type: 'echo',
    defaultBaseURL: ECHO_BASE_URL,
    defaultModel: ECHO_DEFAULT_MODEL,
    apiKeyEnvVar: ECHO_API_KEY_ENV_VAR,
    // Left out: vision, documents, audio, reasoning, json (off by default).
    capabilities: { streaming: true, tools: true },
    fallbackModels: echoFallbackModels,
    authHeaders: (lease) => ({ 'echo-api-key': lease.secret }),
    ...(workspace ? { headers: { 'echo-workspace': workspace } } : {}),
    chat: {
      framing: ndjsonFraming,
      buildRequest: buildEchoRequest,
      createStreamMapper: createEchoStreamMapper,
      parseResponse: parseEchoResponse,
    },
    models: {
      request: { path: '/models', method: 'GET' },
      parse: (body, provider) =>
        (isRecord(body) && Array.isArray(body.models) ? body.models.filter(isRecord) : []).map((model) => ({
          id: String(model.name),
          provider,
          capabilities,
        })),
    },
    refineError: refineEchoError,
  };
}

/**
 * The Echo provider. Key from `ECHO_API_KEY` unless `apiKey` or `credentials` (a `KeyManager` pool, or any
 * `CredentialSource`) is given.
 *
 * @example
 * const echo = createEcho({ credentials: new KeyManager('echo', [process.env.ECHO_KEY_A!, process.env.ECHO_KEY_B!]) });
 * for await (const event of await echo.generateChatCompletion({ prompt: 'Say hi' })) {
 *   if (event.type === 'text-delta') process.stdout.write(event.text);
 * }
 */
export function createEcho(settings: EchoSettings = {}): Provider {
  const { workspace, ...common } = parseOrThrow(echoSettingsSchema, settings ?? {}, 'invalid_config', { what: 'invalid echo settings', provider: 'echo' });
  return createChatProvider(defineEchoProvider({ workspace }), common);
}
