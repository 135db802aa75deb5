import { PROVIDER_SPECIFICATION_VERSION, toKitError, type CallOptions, type Provider } from '@kit/core';
import {
  createChatProvider,
  DEFAULT_TIMEOUT_MS,
  mergeHeaders,
  ndjsonFraming,
  parseOrThrow,
  readEnvironmentVariable,
  requestJsonOnce,
  type ProviderDefinition,
} from '@kit/core/provider-utils';
import { buildOllamaEmbedRequest, parseOllamaEmbeddings, validateOllamaEmbedOptions, type OllamaEmbeddings, type OllamaEmbedOptions } from './ollama-embed';
import { ollamaHostToBaseURL } from './ollama-host';
import { ollamaFallbackModels, parseOllamaModels, parseOllamaRunningModels, type OllamaRunningModel } from './ollama-models';
import { buildOllamaRequest, validateOllamaProviderOptions } from './ollama-request';
import {
  OLLAMA_API_KEY_ENV_VAR,
  OLLAMA_BASE_URL,
  OLLAMA_DEFAULT_MODEL,
  OLLAMA_HOST_ENV_VAR,
  ollamaSettingsSchema,
  type OllamaSettings,
} from './ollama-settings';
import { createOllamaStreamMapper, parseOllamaResponse } from './ollama-stream-mapper';

/** An Ollama provider: a `Provider` that can also list the models loaded in memory and embed text. */
export interface OllamaProvider extends Provider {
  /** `GET /api/ps`: the models loaded right now, with their memory use and when they unload. */
  listRunningModels(options?: CallOptions): Promise<OllamaRunningModel[]>;
  /**
   * `POST /api/embed`: one vector per input, in order. `model` is required (an embedding model such as
   * `'embeddinggemma'`; the chat `defaultModel` cannot embed). Bad options throw `invalid_request` before any
   * request; an answer without one vector of numbers per input throws `invalid_response`.
   */
  embed(options: OllamaEmbedOptions): Promise<OllamaEmbeddings>;
}

/** Bearer for ollama.com; a local server gets no auth header at all (no key configured). */
const bearer = (secret: string): Record<string, string> => ({ authorization: `Bearer ${secret}` });

/**
 * Ollama's wire definition (for `createChatProvider` or a custom factory): the native `POST /api/chat` (NDJSON when
 * streaming, one JSON object with `stream: false`), `GET /api/tags` for models, `GET /api/version` as the health
 * check; no key needed (`OLLAMA_API_KEY` as a Bearer token when set, for ollama.com).
 */
export function defineOllamaProvider({ keepAlive }: Pick<OllamaSettings, 'keepAlive'> = {}): ProviderDefinition {
  return {
    specificationVersion: PROVIDER_SPECIFICATION_VERSION,
    type: 'ollama',
    defaultBaseURL: OLLAMA_BASE_URL,
    defaultModel: OLLAMA_DEFAULT_MODEL,
    apiKeyEnvVar: OLLAMA_API_KEY_ENV_VAR,
    apiKeyOptional: true,
    capabilities: { streaming: true, tools: true, vision: true, documents: false, audio: false, reasoning: true, json: true },
    fallbackModels: ollamaFallbackModels,
    authHeaders: (lease) => bearer(lease.secret),
    chat: {
      framing: ndjsonFraming,
      buildRequest: (options, context) => ({ path: '/api/chat', body: buildOllamaRequest(options, context.provider, keepAlive) }),
      createStreamMapper: createOllamaStreamMapper,
      parseResponse: parseOllamaResponse,
    },
    models: { request: { path: '/api/tags', method: 'GET' }, parse: parseOllamaModels },
    healthCheckRequest: { path: '/api/version', method: 'GET' },
    validateProviderOptions: (options) => {
      validateOllamaProviderOptions(options);
    },
  };
}

/**
 * The Ollama provider, on Ollama's native API (not its OpenAI shim): `http://localhost:11434` by default, or the
 * server `OLLAMA_HOST` names (`host:port` without a scheme works, as in Ollama's CLI), or `baseURL`. No key is
 * needed locally; for Ollama's cloud use `baseURL: 'https://ollama.com'` with `apiKey` or `OLLAMA_API_KEY`.
 *
 * @example
 * const ollama = createOllama({ defaultModel: 'qwen3' });
 * for await (const event of await ollama.generateChatCompletion({ prompt: 'Why is the sky blue?' })) {
 *   if (event.type === 'text-delta') process.stdout.write(event.text);
 * }
 */
export function createOllama(settings: OllamaSettings = {}): OllamaProvider {
  const { keepAlive, ...common } = parseOrThrow(ollamaSettingsSchema, settings ?? {}, 'invalid_config', {
    what: 'invalid ollama settings',
    provider: 'ollama',
  });
  const baseURL = (common.baseURL ?? ollamaHostToBaseURL(readEnvironmentVariable(OLLAMA_HOST_ENV_VAR, common.env))).replace(/\/+$/, '');
  const provider = createChatProvider(defineOllamaProvider({ keepAlive }), { ...common, baseURL });

  /**
   * One request to the server's own API (not chat) with a credential of the pool: the Bearer header only when the
   * lease has a secret, a `json` body makes it a POST. `read` turns the answer into the result before the success is
   * reported, so an answer it refuses counts as the lease's failure; the caller's abort counts as nobody's.
   */
  async function requestWithLease<T>(
    path: string,
    what: string,
    options: CallOptions,
    read: (body: unknown, credentialId: string) => T,
    json?: unknown,
  ): Promise<T> {
    const { credentials } = provider;
    const lease = await credentials.acquire(options.signal ? { signal: options.signal } : {});
    const report = lease.sequence === undefined ? {} : { sequence: lease.sequence };
    try {
      const body = await requestJsonOnce(`${baseURL}${path}`, {
        provider: provider.name,
        what,
        json,
        headers: mergeHeaders(common.headers, lease.secret ? bearer(lease.secret) : undefined),
        timeoutMs: options.timeoutMs ?? common.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: options.signal,
        fetch: common.fetch,
        hooks: common.hooks,
        secrets: [lease.secret],
        credentialId: lease.id,
      });
      const result = read(body, lease.id);
      credentials.reportSuccess(lease.id, report);
      return result;
    } catch (error) {
      const kitError = toKitError(error);
      if (kitError.code !== 'aborted') credentials.reportFailure(lease.id, kitError, report);
      throw kitError;
    }
  }

  function listRunningModels(options: CallOptions = {}): Promise<OllamaRunningModel[]> {
    return requestWithLease('/api/ps', 'running models', options, parseOllamaRunningModels);
  }

  async function embed(options: OllamaEmbedOptions): Promise<OllamaEmbeddings> {
    const valid = validateOllamaEmbedOptions(options, provider.name);
    const context = { provider: provider.name, model: valid.model, count: typeof valid.input === 'string' ? 1 : valid.input.length };
    const read = (body: unknown, credentialId: string) => parseOllamaEmbeddings(body, { ...context, credentialId });
    return requestWithLease('/api/embed', 'embeddings', valid, read, buildOllamaEmbedRequest(valid, keepAlive));
  }

  return { ...provider, listRunningModels, embed };
}
