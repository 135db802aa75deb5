import type { CustomDialect, CustomDialectError, CustomFinishReason } from '@kit/testkit';

// The Echo API as @kit/testkit's mock upstream renders it, for this package's tests (not part of the published
// entry). It is written from Echo's API reference, the same source as the provider, so the conformance suite checks
// the provider against the wire, not against itself.

/** Echo's `outcome` words for the mock's finish reasons. */
const outcomes: Partial<Record<CustomFinishReason, string>> = { stop: 'complete', length: 'truncated', content_filter: 'blocked', tool_calls: 'calls' };

/** Echo's `problem.type` for each fault the mock scripts. */
const problemTypes: Record<string, string> = {
  unauthorized: 'key_invalid',
  forbidden: 'key_forbidden',
  'rate-limited': 'throttled',
  'insufficient-quota': 'out_of_credit',
  'payment-required': 'out_of_credit',
  'server-error': 'internal',
  overloaded: 'busy',
  'bad-request': 'bad_request',
  'context-length': 'too_long',
  'not-found': 'unknown_model',
  'invalid-json': 'bad_request',
  'unknown-route': 'not_found',
};

const problem = (error: CustomDialectError) => ({ problem: { type: (error.fault && problemTypes[error.fault]) || 'internal', text: error.message } });

/** Echo: `POST /v1/reply` (NDJSON when `stream: true`), `GET /v1/models`, the key in `echo-api-key`. */
export const echoDialect: CustomDialect = {
  name: 'echo',
  framing: 'ndjson',
  basePath: '/v1',
  defaultModel: 'echo-small',
  requestIdHeader: 'echo-request-id',
  route(method, pathname) {
    if (method === 'POST' && pathname === '/v1/reply') return 'generate';
    if (method === 'GET' && pathname === '/v1/models') return 'models';
    return undefined;
  },
  readSecret: (headers) => headers['echo-api-key'],
  start: (reply) => ({ data: { kind: 'open', reply: reply.id, model: reply.model } }),
  textDelta: (text) => ({ data: { kind: 'say', text } }),
  toolCallDelta: (call) => ({
    data: call.first
      ? { kind: 'call', n: call.index, ref: call.id, fn: call.name, argsPart: call.argumentsDelta }
      : { kind: 'call', n: call.index, argsPart: call.argumentsDelta },
  }),
  finish: ({ finishReason, usage }) => ({
    data: { kind: 'close', outcome: outcomes[finishReason] ?? finishReason, meter: { prompt: usage.inputTokens, reply: usage.outputTokens } },
  }),
  response: (answer, reply) => ({
    reply: reply.id,
    model: reply.model,
    text: answer.text,
    calls: answer.toolCalls.map((call) => ({ ref: call.id, fn: call.name, args: call.arguments })),
    outcome: outcomes[answer.finishReason] ?? answer.finishReason,
    meter: { prompt: answer.usage.inputTokens, reply: answer.usage.outputTokens },
  }),
  error: (error) => ({ body: problem(error) }),
  // Inside a stream Echo reports `busy` or `internal`.
  streamError: (error) => ({ data: { kind: 'oops', problem: { type: error.type === 'busy' ? 'busy' : 'internal', text: error.message } } }),
  models: (models) => ({ models: models.map((model) => ({ name: model.id })) }),
};
