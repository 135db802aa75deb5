// A made-up third-party API, "Relay", for testkit's own tests of custom dialects and the conformance suite: SSE with
// named events (`begin`, `text`, `tool`, `end`, `error`), its own key header (`x-relay-key`) and its own error shape
// (`{ "fault": { "kind", "detail", "retryInSeconds"? } }`). The dialect renders it for the mock upstream; the provider,
// built on core's `createChatProvider`, speaks it. Not exported from the package.
import { KitError, PROVIDER_SPECIFICATION_VERSION, type CredentialSource, type KitErrorCode, type Provider, type ProviderSettings } from '@kit/core';
import {
  createChatProvider,
  createUpstreamError,
  parseStreamChunk,
  sseFraming,
  ToolCallAccumulator,
  type ErrorRefiner,
  type ProviderDefinition,
  type RequestContext,
} from '@kit/core/provider-utils';
import type { CustomDialect, CustomDialectError } from './custom-dialect';

/** Relay's words for the faults the mock scripts. */
const faultKinds: Record<string, string> = {
  unauthorized: 'bad_key',
  forbidden: 'not_allowed',
  'rate-limited': 'slow_down',
  'insufficient-quota': 'quota_spent',
  'payment-required': 'quota_spent',
  'server-error': 'relay_failed',
  overloaded: 'relay_busy',
  'bad-request': 'bad_input',
  'context-length': 'too_long',
  'not-found': 'no_such_model',
};

/** Relay's `reason` words. */
const reasons: Record<string, string> = { stop: 'done', length: 'cut_at_limit', content_filter: 'withheld', tool_calls: 'wants_tools' };

const relayError = (error: CustomDialectError) => {
  const fault: Record<string, unknown> = { kind: error.type ?? (error.fault ? faultKinds[error.fault] : undefined) ?? 'relay_failed', detail: error.message };
  if (error.retryAfterMs !== undefined) fault.retryInSeconds = Math.ceil(error.retryAfterMs / 1000);
  return { fault };
};

/** Relay's wire, as the mock upstream renders it. */
export const relayDialect: CustomDialect = {
  name: 'relay',
  framing: 'sse',
  basePath: '/relay/v2',
  route(method, pathname) {
    if (method === 'POST' && pathname === '/relay/v2/generate') return 'generate';
    if (method === 'GET' && pathname === '/relay/v2/models') return 'models';
    return undefined;
  },
  readSecret: (headers) => headers['x-relay-key'],
  defaultModel: 'relay-small',
  start: (reply) => ({ event: 'begin', data: { id: reply.id, model: reply.model } }),
  textDelta: (text) => ({ event: 'text', data: { text } }),
  toolCallDelta: (call) => ({
    event: 'tool',
    data: call.first ? { slot: call.index, callId: call.id, tool: call.name, args: call.argumentsDelta } : { slot: call.index, args: call.argumentsDelta },
  }),
  finish: ({ finishReason, usage }) => ({
    event: 'end',
    data: { reason: reasons[finishReason] ?? finishReason, tokens: { in: usage.inputTokens, out: usage.outputTokens } },
  }),
  response: (answer, reply) => ({
    id: reply.id,
    model: reply.model,
    text: answer.text,
    tools: answer.toolCalls.map((call) => ({ callId: call.id, tool: call.name, args: call.arguments })),
    reason: reasons[answer.finishReason] ?? answer.finishReason,
    tokens: { in: answer.usage.inputTokens, out: answer.usage.outputTokens },
  }),
  error: (error) => ({ body: relayError(error) }),
  streamError: (error) => ({ event: 'error', data: relayError(error) }),
  models: (models) => ({ models: models.map((model) => model.id) }),
};

const finishReasons: Record<string, 'stop' | 'length' | 'content-filter' | 'tool-calls'> = {
  done: 'stop',
  cut_at_limit: 'length',
  withheld: 'content-filter',
  wants_tools: 'tool-calls',
};

const codesByKind: Record<string, KitErrorCode> = { quota_spent: 'quota_exceeded', too_long: 'context_length' };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Relay's error identifiers: the kinds a status alone does not tell. */
export const refineRelayError: ErrorRefiner = (response) => {
  const fault = isRecord(response.body) && isRecord(response.body.fault) ? response.body.fault : undefined;
  if (!fault) return undefined;
  const refinement: { code?: KitErrorCode; message?: string } = {};
  if (typeof fault.detail === 'string') refinement.message = fault.detail;
  const code = typeof fault.kind === 'string' ? codesByKind[fault.kind] : undefined;
  if (code) refinement.code = code;
  return refinement;
};

function inStreamError(body: unknown, context: RequestContext): KitError {
  return createUpstreamError(
    { status: 500, body, headers: new Headers() },
    { provider: context.provider, credentialId: context.credential.id, refine: refineRelayError },
  );
}

function usageOf(tokens: unknown) {
  const counts = isRecord(tokens) ? tokens : {};
  const inputTokens = typeof counts.in === 'number' ? counts.in : 0;
  const outputTokens = typeof counts.out === 'number' ? counts.out : 0;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** Relay's provider definition; `change` lets a test break one part of it. */
export function defineRelayProvider(change: (definition: ProviderDefinition) => ProviderDefinition = (definition) => definition): ProviderDefinition {
  return change({
    specificationVersion: PROVIDER_SPECIFICATION_VERSION,
    type: 'relay',
    defaultBaseURL: 'https://api.relay.example/relay/v2',
    defaultModel: 'relay-small',
    apiKeyEnvVar: 'RELAY_API_KEY',
    capabilities: { tools: true },
    fallbackModels: [],
    authHeaders: (lease) => ({ 'x-relay-key': lease.secret }),
    chat: {
      framing: sseFraming,
      buildRequest: (options) => ({
        path: '/generate',
        body: {
          model: options.model,
          input: options.messages.map((message) => ({ from: message.role, text: typeof message.content === 'string' ? message.content : '' })),
          stream: options.stream,
          ...(options.tools ? { tools: options.tools.map((tool) => ({ name: tool.name, schema: tool.parameters })) } : {}),
        },
      }),
      createStreamMapper(context) {
        const tools = new ToolCallAccumulator();
        let end: Record<string, unknown> | undefined;
        return {
          push({ event, data }, emit) {
            const json = parseStreamChunk(data, context);
            const frame = isRecord(json) ? json : {};
            if (event === 'error') throw inStreamError(frame, context);
            if (event === 'begin') emit({ type: 'start', id: String(frame.id), model: String(frame.model) });
            else if (event === 'text' && typeof frame.text === 'string') emit({ type: 'text-delta', text: frame.text });
            else if (event === 'tool') {
              const piece: { id?: string; name?: string; argumentsDelta?: string } = { argumentsDelta: String(frame.args ?? '') };
              if (typeof frame.callId === 'string') piece.id = frame.callId;
              if (typeof frame.tool === 'string') piece.name = frame.tool;
              tools.add(Number(frame.slot), piece, emit);
            } else if (event === 'end') end = frame;
          },
          end(emit) {
            if (!end) return;
            tools.flush(emit);
            emit({ type: 'finish', finishReason: finishReasons[String(end.reason)] ?? 'other', usage: usageOf(end.tokens) });
          },
        };
      },
      parseResponse(body, context, emit) {
        if (!isRecord(body) || isRecord(body.fault)) throw inStreamError(body, context);
        emit({ type: 'start', id: String(body.id), model: String(body.model) });
        if (typeof body.text === 'string' && body.text !== '') emit({ type: 'text-delta', text: body.text });
        const calls = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
        calls.forEach((call, index) => {
          emit({ type: 'tool-call', toolCall: { id: String(call.callId ?? `call_${index}`), name: String(call.tool), arguments: String(call.args ?? '{}') } });
        });
        emit({ type: 'finish', finishReason: finishReasons[String(body.reason)] ?? 'other', usage: usageOf(body.tokens) });
      },
    },
    models: {
      request: { path: '/models', method: 'GET' },
      parse: (body, provider) =>
        (isRecord(body) && Array.isArray(body.models) ? body.models : []).map((id) => ({
          id: String(id),
          provider,
          capabilities: { streaming: true, tools: true, vision: false, reasoning: false, json: false },
        })),
    },
    refineError: refineRelayError,
  });
}

/** The Relay provider (a correct one, unless `change` breaks its definition). */
export function createRelay(settings: ProviderSettings = {}, change?: (definition: ProviderDefinition) => ProviderDefinition): Provider {
  return createChatProvider(defineRelayProvider(change), settings);
}

/**
 * A small pool for testkit's own tests (testkit does not depend on `@kit/keymanager`): round-robin over the keys,
 * skipping keys reported failed and those the engine excludes; `credentials_exhausted` when none is left.
 */
export function rotatingPool(keys: readonly string[]): CredentialSource {
  const failed = new Set<string>();
  let next = 0;
  return {
    async acquire(options) {
      for (let offset = 0; offset < keys.length; offset += 1) {
        const index = (next + offset) % keys.length;
        const id = `key-${index + 1}`;
        if (failed.has(id) || options.exclude?.has(id)) continue;
        next = index + 1;
        return { id, secret: keys[index] as string, kind: 'api-key' };
      }
      throw new KitError('credentials_exhausted', 'rotating pool: every key failed', { provider: 'relay' });
    },
    reportSuccess: (id) => {
      failed.delete(id);
    },
    reportFailure: (id) => {
      failed.add(id);
    },
  };
}
