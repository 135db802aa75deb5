import { KitError, type ChatProvider, type ChatStream, type CoreProvider, type GenerateOptions } from '@kit/core';
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamResult,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { convertCallOptions } from './convert-call-options';
import { kitProviderMetadata, type KitCallMetadata } from './kit-provider-metadata';
import { mapKitCompletionContent } from './map-kit-completion';
import { mapKitError } from './map-kit-error';
import { mapKitStream } from './map-kit-stream';
import { mapKitFinishReason, mapKitUsage } from './map-kit-usage';
import { defaultSupportedUrls } from './supported-urls';

/** What `kitLanguageModel` needs of a \@kit provider: a chat provider (every \@kit adapter, router and third-party one). */
export type KitChatProvider = ChatProvider & CoreProvider & { getConfig?(): Record<string, unknown> };

/** Options of `kitLanguageModel` and `createKitProvider`. */
export interface KitLanguageModelSettings {
  /**
   * URLs the provider takes as they are, by media type (the AI SDK downloads the others and sends the bytes).
   * Default: http(s) images and PDFs for Anthropic, http(s) images for OpenAI-style providers, nothing otherwise.
   */
  supportedUrls?: Record<string, RegExp[]>;
}

/** A stream's ids: `ChatStream.credentialId` / `requestId` (present on every stream @kit's engine makes). */

/** Whether what the call threw is the caller's abort (an `aborted` @kit error, or the signal's own reason). */
function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  if (KitError.is(error)) return error.code === 'aborted';
  return signal?.aborted === true && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'));
}

/**
 * A \@kit provider as an AI SDK language model (specification `v4`, the one `ai` 7 uses):
 * `generateText`, `streamText`, `generateObject` and agents then run on @kit's engine, with its credential pools,
 * OAuth refresh, failover and metrics.
 *
 * ```ts
 * const anthropic = createAnthropic({ credentials: new KeyManager('anthropic', keys) });
 * const { text } = await generateText({ model: kitLanguageModel(anthropic, 'claude-sonnet-4-5'), prompt: 'Hi', maxRetries: 0 });
 * ```
 *
 * @kit's engine retries and fails over before an error reaches the AI SDK, so set the AI SDK's `maxRetries: 0` unless
 * you want its retries on top of @kit's. Errors are `APICallError`s whose `isRetryable` is @kit's own verdict; every
 * result carries `providerMetadata.kit` with the id of the credential that answered and the upstream's request id.
 */
export function kitLanguageModel(provider: KitChatProvider, modelId: string, settings: KitLanguageModelSettings = {}): LanguageModelV4 {
  const providerType = provider.type;
  const baseURL = provider.getConfig?.().baseURL;
  const url = typeof baseURL === 'string' && baseURL !== '' ? baseURL : `kit://${provider.name}`;
  const supportedUrls = settings.supportedUrls ?? defaultSupportedUrls(providerType);

  /** Starts the @kit call: resolves once the upstream accepted it (after any failover), or throws the mapped error. */
  async function start(
    call: LanguageModelV4CallOptions,
    stream: boolean,
  ): Promise<{ chatStream: ChatStream; warnings: SharedV4Warning[]; options: GenerateOptions }> {
    const { options, warnings } = convertCallOptions(call, providerType, stream);
    options.model = modelId;
    try {
      return { chatStream: await provider.generateChatCompletion(options), warnings, options };
    } catch (error) {
      throw mapKitError(error, { url, abortSignal: call.abortSignal });
    }
  }

  const metadataOf = (
    chatStream: Pick<ChatStream, 'credentialId' | 'requestId'>,
    credentialId: string | undefined,
    cost: number | undefined,
  ): KitCallMetadata => ({
    provider: provider.name,
    credentialId: credentialId ?? chatStream.credentialId,
    requestId: chatStream.requestId,
    cost,
  });

  return {
    specificationVersion: 'v4',
    provider: `kit.${provider.name}`,
    modelId,
    supportedUrls,

    async doGenerate(call: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
      const { chatStream, warnings, options } = await start(call, false);
      let completion: Awaited<ReturnType<ChatStream['final']>>;
      try {
        completion = await chatStream.final();
      } catch (error) {
        throw mapKitError(error, { url, abortSignal: call.abortSignal });
      }
      return {
        content: mapKitCompletionContent(completion),
        finishReason: mapKitFinishReason(completion.finishReason),
        usage: mapKitUsage(completion.usage),
        providerMetadata: kitProviderMetadata(metadataOf(chatStream, completion.credentialId, completion.usage.cost)),
        request: { url, body: requestBody(options) },
        response: { id: completion.id, modelId: completion.model },
        warnings,
      };
    },

    async doStream(call: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
      const { chatStream, warnings, options } = await start(call, true);
      const stream = mapKitStream(chatStream, {
        warnings,
        includeRawChunks: call.includeRawChunks,
        finishMetadata: (cost) => kitProviderMetadata(metadataOf(chatStream, undefined, cost)),
        mapError: (error) => mapKitError(error, { url, abortSignal: call.abortSignal }),
        isAbort: (error) => isAbort(error, call.abortSignal),
      });
      return { stream, request: { url, body: requestBody(options) } };
    },
  };
}

/**
 * A function of a model id over one \@kit provider, the way AI SDK provider packages are used:
 * `const kit = createKitProvider(anthropic); generateText({ model: kit('claude-sonnet-4-5'), … })`.
 */
export function createKitProvider(provider: KitChatProvider, settings: KitLanguageModelSettings = {}): (modelId: string) => LanguageModelV4 {
  return (modelId) => kitLanguageModel(provider, modelId, settings);
}

/**
 * What `result.request.body` reports: the call options @kit sent, without the signal and without the caller's
 * headers — they may hold credentials, and the AI SDK passes this body to telemetry and logs.
 */
function requestBody(options: GenerateOptions): GenerateOptions {
  const { signal: _signal, headers: _headers, ...body } = options;
  return body;
}
