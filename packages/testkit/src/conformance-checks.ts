import type { ChatProvider, CredentialLease, CredentialSource, FinishReason, GenerateOptions, KitError, KitEvent, StreamEvent } from '@kit/core';
import {
  collectEvents,
  ConformanceFailure,
  describeError,
  expectEqual,
  expectKitError,
  expectThat,
  failureOf,
  observableTextOf,
} from './conformance-assertions';
import type { MockCredential } from './credential-scripts';
import type { CustomDialect } from './custom-dialect';
import { createMockUpstream, type MockUpstream, type MockUpstreamOptions } from './mock-upstream';
import type { DialectName } from './upstream-dialect';
import { faults, replies, type Behaviour, type Script } from './upstream-script';

/** The settings the suite gives the provider under test: pass them to your factory as they are. */
export interface ConformanceProviderSettings {
  /** The mock upstream's URL, the dialect's path prefix included. */
  baseURL: string;
  /** One key (most checks). */
  apiKey?: string;
  /** A pool (the failover check): the provider must use it instead of a key. */
  credentials?: CredentialSource;
  maxRetries: number;
  timeoutMs: number;
  /** Events are scanned for secrets: a provider built on `createChatProvider` emits them here. */
  onEvent: (event: KitEvent) => void;
}

/** What the checks need, after `runProviderConformance` filled in the defaults. */
export interface ConformanceSetup {
  dialect: DialectName | CustomDialect;
  createProvider(settings: ConformanceProviderSettings): ChatProvider;
  createPool(keys: string[]): CredentialSource;
  model?: string;
  finishReasons: readonly ConformanceFinishReason[];
  quotaFault?: Behaviour;
  upstream: Omit<MockUpstreamOptions, 'dialect' | 'credentials' | 'defaultScript'>;
}

/** A finish reason the suite scripts and expects back. */
export type ConformanceFinishReason = 'stop' | 'length' | 'content-filter';

/** One named check of the contract. */
export interface ConformanceCheck {
  readonly name: string;
  run(): Promise<void>;
}

// Fake keys, long and distinct so that a leak is unambiguous.
const KEY = 'test-key-conformance-primary-7f3a9c2e';
const POOL_KEYS = ['test-key-conformance-pool-1-a81d4f', 'test-key-conformance-pool-2-b92e5a', 'test-key-conformance-pool-3-c03f6b'];
const PROMPT = 'Say hello to the conformance suite.';
const TIMEOUT_MS = 10_000;

const weatherArguments = '{"city":"Paris","unit":"celsius","days":[1,2]}';
const timeArguments = '{"timezone":"Europe/Paris"}';
const tools: GenerateOptions['tools'] = [
  {
    name: 'get_weather',
    description: 'The weather forecast for a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'array', items: { type: 'integer' } } },
      required: ['city'],
    },
  },
  {
    name: 'get_time',
    description: 'The time in a timezone.',
    parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] },
  },
];

/** The scripted finish reason (OpenAI's words, which every dialect translates) for each expected one. */
const scriptedFinish: Record<ConformanceFinishReason, string> = { stop: 'stop', length: 'length', 'content-filter': 'content_filter' };

/** One mock upstream for one check, closed afterwards however the check ends. */
async function withUpstream<T>(setup: ConformanceSetup, credentials: MockCredential[], run: (upstream: MockUpstream) => Promise<T>): Promise<T> {
  const upstream = await createMockUpstream({ ...setup.upstream, dialect: setup.dialect, credentials });
  try {
    return await run(upstream);
  } finally {
    await upstream.close();
  }
}

/** The provider under test with one key, no retries (a fault surfaces as the error it was classified as). */
function providerWithKey(setup: ConformanceSetup, upstream: MockUpstream, events: KitEvent[] = []): ChatProvider {
  return setup.createProvider({ baseURL: upstream.url, apiKey: KEY, maxRetries: 0, timeoutMs: TIMEOUT_MS, onEvent: (event) => events.push(event) });
}

/** Runs `run` against one key whose every request gets `script`. */
function withKey<T>(setup: ConformanceSetup, script: Script, run: (provider: ChatProvider, upstream: MockUpstream) => Promise<T>): Promise<T> {
  return withUpstream(setup, [{ id: 'conformance-key', secret: KEY, script }], (upstream) => run(providerWithKey(setup, upstream), upstream));
}

function callOptions(setup: ConformanceSetup, extra: Partial<GenerateOptions> = {}): GenerateOptions {
  return { prompt: PROMPT, ...(setup.model === undefined ? {} : { model: setup.model }), ...extra };
}

const ofType = <T extends StreamEvent['type']>(events: readonly StreamEvent[], type: T) =>
  events.filter((event): event is Extract<StreamEvent, { type: T }> => event.type === type);

/** Start first, finish last and once: the shape of every successful stream. */
function expectStreamShape(events: readonly StreamEvent[], what: string): Extract<StreamEvent, { type: 'finish' }> {
  expectThat(events[0]?.type === 'start', `${what}: the first event must be 'start', got ${events[0]?.type ?? 'none'}`);
  const finishes = ofType(events, 'finish');
  expectThat(finishes.length === 1, `${what}: expected exactly one 'finish' event, got ${finishes.length}`);
  expectThat(events.at(-1)?.type === 'finish', `${what}: 'finish' must be the last event, got ${events.at(-1)?.type}`);
  return finishes[0] as Extract<StreamEvent, { type: 'finish' }>;
}

const textOf = (events: readonly StreamEvent[]) =>
  ofType(events, 'text-delta')
    .map((event) => event.text)
    .join('');

// ---- text ------------------------------------------------------------------------------------------------------

const streamedText = 'Hello from the conformance suite, in five pieces.';
const streamedPieces = 5;

async function streamsText(setup: ConformanceSetup): Promise<void> {
  await withKey(setup, replies.text(streamedText, { chunks: streamedPieces }), async (provider) => {
    const events = await collectEvents(await provider.generateChatCompletion(callOptions(setup)));
    const finish = expectStreamShape(events, 'a streamed answer');
    const deltas = ofType(events, 'text-delta');
    expectEqual(textOf(events), streamedText, 'the text deltas put together');
    expectThat(
      deltas.length === streamedPieces,
      `the upstream streamed the text in ${streamedPieces} deltas: every one must be yielded as it came, got ${deltas.length} text-delta events`,
    );
    expectEqual(finish.finishReason, 'stop', 'the finish reason of a complete answer');
  });
}

async function answersWithoutStreaming(setup: ConformanceSetup): Promise<void> {
  const text = 'A complete answer in one JSON body.';
  await withKey(setup, replies.text(text), async (provider) => {
    const completion = await provider.complete(callOptions(setup));
    expectEqual(completion.text, text, 'complete() text');
    expectEqual(completion.finishReason, 'stop', 'complete() finish reason');
    expectEqual(completion.message?.role, 'assistant', 'complete() message role');
    const events = await collectEvents(await provider.generateChatCompletion(callOptions(setup, { stream: false })));
    expectStreamShape(events, 'a non-streaming answer replayed as events (stream: false)');
    expectEqual(textOf(events), text, 'the replayed text (stream: false)');
  });
}

async function reportsUsage(setup: ConformanceSetup): Promise<void> {
  const usage = { inputTokens: 17, outputTokens: 5 };
  const expected = { inputTokens: 17, outputTokens: 5, totalTokens: 22 };
  await withKey(setup, replies.text('Counting tokens for you.', { usage }), async (provider) => {
    const finish = expectStreamShape(await collectEvents(await provider.generateChatCompletion(callOptions(setup))), 'a streamed answer');
    const streamed = finish.usage;
    expectEqual(
      { inputTokens: streamed.inputTokens, outputTokens: streamed.outputTokens, totalTokens: streamed.totalTokens },
      expected,
      'usage of a streamed answer (the finish event)',
    );
    const completed = (await provider.complete(callOptions(setup))).usage;
    expectEqual(
      { inputTokens: completed.inputTokens, outputTokens: completed.outputTokens, totalTokens: completed.totalTokens },
      expected,
      'usage of a non-streaming answer',
    );
  });
}

async function mapsFinishReasons(setup: ConformanceSetup): Promise<void> {
  for (const expected of setup.finishReasons) {
    await withKey(setup, replies.text('An answer that ends for a reason.', { finishReason: scriptedFinish[expected] }), async (provider) => {
      for (const stream of [true, false]) {
        const what = `finish reason '${expected}' (${stream ? 'streamed' : 'not streamed'})`;
        let finishReason: FinishReason | undefined;
        try {
          finishReason = expectStreamShape(await collectEvents(await provider.generateChatCompletion(callOptions(setup, { stream }))), what).finishReason;
        } catch (error) {
          // An API whose filtered answers are errors may throw `content_filter` instead.
          if (expected === 'content-filter' && !(error instanceof ConformanceFailure)) {
            expectKitError(error, { code: 'content_filter' }, what);
            continue;
          }
          throw error;
        }
        expectEqual(finishReason, expected, what);
      }
    });
  }
}

// ---- tools -----------------------------------------------------------------------------------------------------

async function assemblesToolCalls(setup: ConformanceSetup): Promise<void> {
  const script = replies.toolCalls(
    [
      { id: 'call_conformance_weather', name: 'get_weather', arguments: weatherArguments },
      { id: 'call_conformance_time', name: 'get_time', arguments: timeArguments },
    ],
    { splitArguments: 4 },
  );
  await withKey(setup, script, async (provider, upstream) => {
    for (const stream of [true, false]) {
      const what = `two parallel tool calls, arguments in 4 pieces each (${stream ? 'streamed' : 'not streamed'})`;
      const events = await collectEvents(await provider.generateChatCompletion(callOptions(setup, { tools, stream })));
      const finish = expectStreamShape(events, what);
      const calls = ofType(events, 'tool-call').map((event) => event.toolCall);
      expectEqual(
        calls.map((call) => call.name),
        ['get_weather', 'get_time'],
        `${what}: the tool-call events' names`,
      );
      const parsed = calls.map((call) => {
        try {
          return JSON.parse(call.arguments) as unknown;
        } catch {
          throw new ConformanceFailure(`${what}: the arguments of '${call.name}' must be complete JSON text, got ${JSON.stringify(call.arguments)}`);
        }
      });
      expectEqual(parsed, [JSON.parse(weatherArguments), JSON.parse(timeArguments)], `${what}: the assembled arguments`);
      const ids = calls.map((call) => call.id);
      expectThat(
        ids.every((id) => typeof id === 'string' && id !== '') && new Set(ids).size === ids.length,
        `${what}: every call needs its own non-empty id, got ${JSON.stringify(ids)}`,
      );
      expectEqual(finish.finishReason, 'tool-calls', `${what}: the finish reason`);
    }
    expectThat(
      upstream.requests.every((request) => JSON.stringify(request.body).includes('get_weather')),
      'the tool definitions must be sent with the request (no request body named get_weather)',
    );
  });
}

// ---- errors ----------------------------------------------------------------------------------------------------

/** Drives a streamed call to its end: the failure is thrown from `generateChatCompletion` or from the iterator. */
async function streamToEnd(provider: ChatProvider, options: GenerateOptions): Promise<StreamEvent[]> {
  return collectEvents(await provider.generateChatCompletion(options));
}

function classifies(expected: { code: string; status?: number; retryAfterMs?: number }, script: Script, what: string) {
  return async (setup: ConformanceSetup): Promise<void> => {
    await withKey(setup, script, async (provider) => {
      const error = await failureOf(() => streamToEnd(provider, callOptions(setup)), what);
      expectKitError(error, expected, what);
    });
  };
}

async function classifiesServerErrors(setup: ConformanceSetup): Promise<void> {
  await classifies({ code: 'server_error' }, faults.serverError(500), 'a 500 answer')(setup);
  await withKey(setup, faults.overloaded(), async (provider) => {
    const error = await failureOf(() => streamToEnd(provider, callOptions(setup)), 'an overloaded answer (503, or the API’s own status)');
    expectKitError(error, { code: 'server_error' }, 'an overloaded answer (503, or the API’s own status)');
  });
}

async function classifiesMalformedAnswers(setup: ConformanceSetup): Promise<void> {
  await withKey(setup, faults.malformed(0), async (provider) => {
    const streamed = await failureOf(() => streamToEnd(provider, callOptions(setup)), 'a stream whose first frame is not JSON');
    expectKitError(streamed, { code: 'invalid_response' }, 'a stream whose first frame is not JSON');
    const cut = await failureOf(() => provider.complete(callOptions(setup)), 'a non-streaming answer whose JSON is cut short');
    expectKitError(cut, { code: 'invalid_response' }, 'a non-streaming answer whose JSON is cut short');
  });
  await withKey(setup, faults.malformed(2), async (provider) => {
    const stream = await provider.generateChatCompletion(callOptions(setup));
    const seen: StreamEvent[] = [];
    const error = await failureOf(async () => {
      for await (const event of stream) seen.push(event);
    }, 'a stream that turns malformed after two deltas');
    expectKitError(error, { code: 'invalid_response' }, 'a stream that turns malformed after two deltas, thrown from the iterator');
    expectThat(ofType(seen, 'text-delta').length === 2, `the two deltas before the malformed frame must be yielded, got ${ofType(seen, 'text-delta').length}`);
  });
}

// ---- pools -----------------------------------------------------------------------------------------------------

interface PoolReport {
  key: number;
  outcome: 'success' | 'failure';
  code?: string;
  retryAfterMs?: number;
}

/** Wraps the pool so the check sees what the provider reported for which key (by the lease's secret, never shown). */
function recordingPool(pool: CredentialSource, reports: PoolReport[]): CredentialSource {
  const keyOf = new Map<string, number>();
  const keyNumber = (id: string) => keyOf.get(id) ?? 0;
  const recording: CredentialSource = {
    async acquire(options) {
      const lease: CredentialLease = await pool.acquire(options);
      keyOf.set(lease.id, POOL_KEYS.indexOf(lease.secret) + 1);
      return lease;
    },
    reportSuccess(id, info) {
      reports.push({ key: keyNumber(id), outcome: 'success' });
      pool.reportSuccess(id, info);
    },
    reportFailure(id, error: KitError, info) {
      const report: PoolReport = { key: keyNumber(id), outcome: 'failure', code: error.code };
      if (error.retryAfterMs !== undefined) report.retryAfterMs = error.retryAfterMs;
      reports.push(report);
      pool.reportFailure(id, error, info);
    },
  };
  if (pool.onUnauthorized) recording.onUnauthorized = pool.onUnauthorized.bind(pool);
  if (pool.reportRateLimit) recording.reportRateLimit = pool.reportRateLimit.bind(pool);
  return recording;
}

async function failsOverAcrossAPool(setup: ConformanceSetup): Promise<void> {
  const credentials: MockCredential[] = [
    { id: 'pool-1', secret: POOL_KEYS[0] as string, script: faults.unauthorized() },
    { id: 'pool-2', secret: POOL_KEYS[1] as string, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
    { id: 'pool-3', secret: POOL_KEYS[2] as string, script: replies.text('Served by the third key.') },
  ];
  await withUpstream(setup, credentials, async (upstream) => {
    const reports: PoolReport[] = [];
    const pool = recordingPool(setup.createPool([...POOL_KEYS]), reports);
    const provider = setup.createProvider({ baseURL: upstream.url, credentials: pool, maxRetries: 2, timeoutMs: TIMEOUT_MS, onEvent: () => {} });
    const events = await collectEvents(await provider.generateChatCompletion(callOptions(setup)));
    expectEqual(textOf(events), 'Served by the third key.', 'a pool whose first key is revoked (401) and second rate-limited (429): the text');
    expectEqual(
      upstream.requests.map((request) => request.credentialId ?? 'an unknown key'),
      ['pool-1', 'pool-2', 'pool-3'],
      'the keys the upstream saw, in order (the provider must send the pool’s keys and move on at once)',
    );
    expectEqual(
      reports,
      [
        { key: 1, outcome: 'failure', code: 'authentication' },
        { key: 2, outcome: 'failure', code: 'rate_limit', retryAfterMs: 30_000 },
        { key: 3, outcome: 'success' },
      ],
      'what the provider reported to the pool',
    );
    // Concurrent calls through the same pool: every one succeeds on the working key.
    const answers = await Promise.all(Array.from({ length: 4 }, async () => (await provider.generateChatCompletion(callOptions(setup))).text()));
    expectEqual(answers, Array(4).fill('Served by the third key.'), 'four concurrent calls through the pool');
  });
}

// ---- aborts ----------------------------------------------------------------------------------------------------

async function aborts(setup: ConformanceSetup): Promise<void> {
  await withKey(setup, faults.hang(), async (provider, upstream) => {
    const controller = new AbortController();
    const call = failureOf(() => provider.generateChatCompletion(callOptions(setup, { signal: controller.signal })), 'a call aborted while waiting');
    await upstream.waitForRequests(1);
    controller.abort();
    expectKitError(await call, { code: 'aborted' }, 'a call aborted while the upstream had not answered');
    await upstream.waitForIdle();
    expectThat(upstream.requests[0]?.aborted === true, 'an aborted call must close its connection: the upstream saw it still open');
  });
  await withKey(setup, faults.stallMidStream(2), async (provider, upstream) => {
    const stream = await provider.generateChatCompletion(callOptions(setup));
    const error = await failureOf(async () => {
      for await (const event of stream) if (event.type === 'text-delta') stream.abort();
    }, 'a stream aborted after its first delta');
    expectKitError(error, { code: 'aborted' }, 'a stream aborted after its first delta (abort())');
    await upstream.waitForIdle();
    expectThat(upstream.requests[0]?.aborted === true, 'abort() must close the stream’s connection: the upstream saw it still open');
  });
}

// ---- secrets ---------------------------------------------------------------------------------------------------

async function keepsSecretsOutOfErrors(setup: ConformanceSetup): Promise<void> {
  const observed: unknown[] = [];
  const events: KitEvent[] = [];
  // Upstreams that echo the key back: in error messages, in a stream error, in a body.
  const echoing: [string, Script][] = [
    ['a 401 echoing the key', faults.unauthorized(`Incorrect API key provided: ${KEY}.`)],
    ['a 429 echoing the key', faults.rateLimited({ retryAfterSeconds: 1, message: `Rate limit reached for key ${KEY}.` })],
    ['a 500 echoing the key', faults.serverError(500, `Internal error while serving ${KEY}.`)],
    ['a 400 echoing the key in a URL', faults.badRequest(`Invalid request: https://api.example.test/v1?key=${KEY}`)],
    ['an error inside the stream echoing the key', faults.errorMidStream(1, { type: 'server_error', message: `Stream failed for ${KEY}.` })],
    ['a malformed stream', faults.malformed(1)],
  ];
  for (const [, script] of echoing) {
    await withUpstream(setup, [{ id: 'conformance-key', secret: KEY, script }], async (upstream) => {
      const provider = providerWithKey(setup, upstream, events);
      observed.push(await failureOf(() => streamToEnd(provider, callOptions(setup)), 'a failing call'));
      observed.push(await failureOf(() => provider.complete(callOptions(setup)), 'a failing call'));
    });
  }
  // A pool where every key fails: the error holds the causes of several attempts.
  const revoked: MockCredential[] = POOL_KEYS.map((secret, index) => ({
    id: `pool-${index + 1}`,
    secret,
    script: faults.unauthorized(`Key ${secret} was revoked.`),
  }));
  await withUpstream(setup, revoked, async (upstream) => {
    const provider = setup.createProvider({
      baseURL: upstream.url,
      credentials: setup.createPool([...POOL_KEYS]),
      maxRetries: 0,
      timeoutMs: TIMEOUT_MS,
      onEvent: (event) => events.push(event),
    });
    observed.push(await failureOf(() => streamToEnd(provider, callOptions(setup)), 'a call through a pool of revoked keys'));
  });
  const secrets = [KEY, ...POOL_KEYS];
  observed.forEach((error, index) => {
    const text = observableTextOf(error);
    for (const secret of secrets) {
      expectThat(!text.includes(secret), `error ${index + 1} (${describeError(error).slice(0, 60)}…) shows a key (…${secret.slice(-6)})`);
    }
  });
  const eventText = observableTextOf(events);
  for (const secret of secrets) expectThat(!eventText.includes(secret), `an event shows a key (…${secret.slice(-6)})`);
}

/** The checks, in the order they run; the tool check only for a provider that has tools. */
export function conformanceChecks(setup: ConformanceSetup, options: { tools: boolean }): ConformanceCheck[] {
  const check = (name: string, run: (setup: ConformanceSetup) => Promise<void>): ConformanceCheck => ({ name, run: () => run(setup) });
  return [
    check('streams text: start first, every delta, finish last', streamsText),
    check('answers without streaming (complete, stream: false)', answersWithoutStreaming),
    check('reports usage, streamed and not', reportsUsage),
    check('maps finish reasons', mapsFinishReasons),
    ...(options.tools ? [check('assembles parallel tool calls split across chunks', assemblesToolCalls)] : []),
    // By code: an API may send its own status for a fault (Gemini refuses a bad key with a 400).
    check('classifies 401 as authentication', classifies({ code: 'authentication' }, faults.unauthorized(), 'an invalid key (401)')),
    check('classifies 403 as permission', classifies({ code: 'permission' }, faults.forbidden(), 'a forbidden key (403)')),
    check(
      'classifies 429 as rate_limit with its Retry-After',
      classifies({ code: 'rate_limit', retryAfterMs: 20_000 }, faults.rateLimited({ retryAfterSeconds: 20 }), 'a 429 answer with Retry-After: 20'),
    ),
    check(
      'classifies an exhausted quota as quota_exceeded',
      classifies({ code: 'quota_exceeded' }, setup.quotaFault ?? faults.insufficientQuota(), 'a quota answer'),
    ),
    check('classifies 5xx as server_error', classifiesServerErrors),
    check('classifies malformed answers as invalid_response', classifiesMalformedAnswers),
    check('fails over across a credential pool', failsOverAcrossAPool),
    check('aborts: the call and the stream, closing the connection', aborts),
    check('never shows a secret in an error or event', keepsSecretsOutOfErrors),
  ];
}
