import type { ChatCompletion, Usage } from './chat-completion';
import type { ChatStream } from './chat-stream.types';
import type { GenerateOptions } from './generate-options';
import type { HealthStatus, ModelInfo } from './model-info';
import type { CredentialSource } from './credential-source';

/** What a provider can do. */
export interface ProviderCapabilities {
  streaming: boolean;
  tools: boolean;
  vision: boolean;
  documents: boolean;
  audio: boolean;
  reasoning: boolean;
  json: boolean;
}

/** In-memory counters core keeps for every provider instance. Attempts are counted (a retried call counts twice). */
export interface ProviderMetrics {
  requestCount: number;
  successCount: number;
  errorCount: number;
  totalLatencyMs: number;
  averageLatencyMs: number;
  tokens: Usage;
  lastRequestAt?: number;
  lastSuccessAt?: number;
  lastErrorAt?: number;
  lastError?: { code: string; status?: number; message: string };
  health?: HealthStatus;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface GetModelsOptions extends CallOptions {
  /** Skip the cache and ask the API again. */
  refresh?: boolean;
}

/** Name and type: what every provider has. */
export interface CoreProvider {
  readonly name: string;
  readonly type: string;
}

export interface ModelProvider extends CoreProvider {
  getModels(options?: GetModelsOptions): Promise<ModelInfo[]>;
  getDefaultModel(): string;
}

export interface ChatProvider extends CoreProvider {
  generateChatCompletion(options: GenerateOptions): Promise<ChatStream>;
  /**
   * The whole answer at once. With a Standard Schema as `responseFormat.schema`, the completion's `object` is typed by
   * it: `complete({ prompt, responseFormat: { type: 'json-schema', schema: z.object({ city: z.string() }) } })`
   * resolves to a `ChatCompletion<{ city: string }>`.
   */
  complete<OUTPUT = unknown>(options: GenerateOptions<OUTPUT>): Promise<ChatCompletion<OUTPUT>>;
}

export interface ToolCallingProvider extends ChatProvider {
  readonly capabilities: ProviderCapabilities & { tools: true };
}

export interface CapabilityProvider extends CoreProvider {
  readonly capabilities: ProviderCapabilities;
}

export interface HealthCheckProvider extends CoreProvider {
  healthCheck(options?: CallOptions): Promise<HealthStatus>;
  getMetrics(): ProviderMetrics;
}

export interface ConfigurableProvider extends CoreProvider {
  /** The validated settings, secrets masked. */
  getConfig(): Record<string, unknown>;
}

export interface AuthenticatedProvider extends CoreProvider {
  readonly credentials: CredentialSource;
}

export interface OAuthProvider extends AuthenticatedProvider {
  readonly authKind: 'oauth';
}

/** A complete provider: everything @kit's own adapters implement. Third parties may implement any subset. */
export interface Provider extends ModelProvider, ChatProvider, CapabilityProvider, HealthCheckProvider, ConfigurableProvider, AuthenticatedProvider {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const hasFunctions = (value: unknown, ...names: string[]) => isObject(value) && names.every((name) => typeof value[name] === 'function');

export function isCoreProvider(value: unknown): value is CoreProvider {
  return isObject(value) && typeof value.name === 'string' && typeof value.type === 'string';
}
export function isModelProvider(value: unknown): value is ModelProvider {
  return isCoreProvider(value) && hasFunctions(value, 'getModels', 'getDefaultModel');
}
export function isChatProvider(value: unknown): value is ChatProvider {
  return isCoreProvider(value) && hasFunctions(value, 'generateChatCompletion', 'complete');
}
export function isCapabilityProvider(value: unknown): value is CapabilityProvider {
  return isCoreProvider(value) && isObject((value as unknown as Record<string, unknown>).capabilities);
}
export function isToolCallingProvider(value: unknown): value is ToolCallingProvider {
  return isChatProvider(value) && isCapabilityProvider(value) && value.capabilities.tools === true;
}
export function isHealthCheckProvider(value: unknown): value is HealthCheckProvider {
  return isCoreProvider(value) && hasFunctions(value, 'healthCheck', 'getMetrics');
}
export function isConfigurableProvider(value: unknown): value is ConfigurableProvider {
  return isCoreProvider(value) && hasFunctions(value, 'getConfig');
}
export function isAuthenticatedProvider(value: unknown): value is AuthenticatedProvider {
  return isCoreProvider(value) && hasFunctions((value as unknown as Record<string, unknown>).credentials, 'acquire', 'reportSuccess', 'reportFailure');
}
export function isOAuthProvider(value: unknown): value is OAuthProvider {
  return isAuthenticatedProvider(value) && (value as unknown as Record<string, unknown>).authKind === 'oauth';
}
