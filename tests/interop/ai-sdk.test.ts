// The real `ai` package (7.x, pinned in the lockfile) over @kit/ai-sdk's `kitLanguageModel`, on @kit/anthropic with a
// KeyManager pool, against @kit/testkit loopback upstreams speaking Anthropic's Messages API. Nothing of `ai` is mocked.
import { createKitProvider, kitLanguageModel } from '@kit/ai-sdk';
import { createAnthropic } from '@kit/anthropic';
import { KitError } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { faults, replies, type RecordedRequest, type ScriptFunction } from '@kit/testkit';
import { APICallError } from '@ai-sdk/provider';
import { generateObject, generateText, isStepCount, Output, streamText, tool } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { eventLog, expectNoSecrets, fakeKeys, upstreams } from '../engine/helpers';

const servers = upstreams();
afterEach(() => servers.closeAll());

const [revokedKey, goodKey, limitedKey] = fakeKeys as [string, string, string];
const model = 'claude-sonnet-4-5';

type WireBlock = { type: string; text?: string; tool_use_id?: string; content?: unknown; signature?: string };
type WireMessage = { role: string; content: string | WireBlock[] };
const wireMessages = (request: RecordedRequest) => ((request.body as { messages?: WireMessage[] } | undefined)?.messages ?? []) as WireMessage[];
const blocksOf = (message: WireMessage | undefined): WireBlock[] =>
  typeof message?.content === 'string' ? [{ type: 'text', text: message.content }] : (message?.content ?? []);

/** The weather assistant: calls get_weather first, answers from the tool result once it comes back. */
const weatherScript: ScriptFunction = (request) => {
  const result = blocksOf(wireMessages(request).at(-1)).find((block) => block.type === 'tool_result');
  if (result) return replies.text(`It is ${JSON.parse(String(result.content)).temperature} °C in Paris.`);
  return replies.toolCalls([{ id: 'toolu_weather_1', name: 'get_weather', arguments: '{"city":"Paris"}' }], {
    reasoning: 'The user wants the weather: call the tool.',
    reasoningSignature: 'c2lnbmVkLXRoaW5raW5n',
  });
};

/** A pool whose first key is revoked: every call still has to succeed on the second. */
async function revokedFirstPool(script: Parameters<typeof replies.text>[0] | ScriptFunction = 'Hello from the pool.') {
  const upstream = await servers.start({
    dialect: 'anthropic',
    credentials: [
      { id: 'revoked', secret: revokedKey, script: faults.unauthorized() },
      { id: 'good', secret: goodKey, script: typeof script === 'string' ? replies.text(script, { usage: { inputTokens: 12, outputTokens: 4 } }) : script },
    ],
  });
  const keys = new KeyManager('anthropic', [
    { id: 'key-revoked', key: revokedKey },
    { id: 'key-good', key: goodKey },
  ]);
  const log = eventLog();
  const anthropic = createAnthropic({ credentials: keys, baseURL: upstream.url, onEvent: log.onEvent });
  return { upstream, keys, log, anthropic, model: kitLanguageModel(anthropic, model) };
}

const weatherTool = tool({
  description: 'The current weather of a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, temperature: 18 }),
});

describe('generateText over kitLanguageModel', () => {
  it('answers through a pool whose first key is revoked, with the credential and request id in providerMetadata.kit', async () => {
    const { upstream, keys, log, model: languageModel } = await revokedFirstPool();
    const result = await generateText({ model: languageModel, prompt: 'Say hello.', maxRetries: 0 });
    expect(result.text).toBe('Hello from the pool.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ inputTokens: 12, outputTokens: 4, totalTokens: 16 });
    expect(result.providerMetadata?.kit).toMatchObject({ provider: 'anthropic', credentialId: 'key-good', requestId: expect.stringMatching(/.+/) });
    expect(result.response.modelId).toBe(model);
    // The revoked key was tried once, failed over without an error reaching the AI SDK, and is marked.
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['revoked', 'good']);
    expect(upstream.requests[1]?.body).toMatchObject({ model, messages: [{ role: 'user', content: 'Say hello.' }] });
    expect((upstream.requests[1]!.body as { stream?: boolean }).stream).not.toBe(true);
    const health = Object.fromEntries(keys.getKeyHealth().map((key) => [key.id, key]));
    expect(health['key-revoked']).toMatchObject({ consecutiveFailures: 1, lastErrorCode: 'authentication' });
    expect(health['key-good']).toMatchObject({ consecutiveFailures: 0, successes: 1 });
    expect(log.ofType('failover').map((event) => [event.from, event.to, event.reason])).toEqual([['key-revoked', 'key-good', 'authentication']]);
    expectNoSecrets([result.response, result.request, result.providerMetadata, log.events, upstream.requests], [revokedKey, goodKey]);
  });

  it('runs a tool loop with execute and isStepCount(3): the tool result goes back under the call id, the signed reasoning is replayed', async () => {
    const { upstream, model: languageModel } = await revokedFirstPool(weatherScript);
    const result = await generateText({
      model: languageModel,
      prompt: 'What is the weather in Paris?',
      tools: { get_weather: weatherTool },
      stopWhen: isStepCount(3),
      maxRetries: 0,
    });
    expect(result.text).toBe('It is 18 °C in Paris.');
    expect(result.steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(result.steps[0]?.toolCalls).toMatchObject([{ toolCallId: 'toolu_weather_1', toolName: 'get_weather', input: { city: 'Paris' } }]);
    expect(result.steps[0]?.toolResults).toMatchObject([{ toolCallId: 'toolu_weather_1', output: { city: 'Paris', temperature: 18 } }]);
    expect(result.steps[0]?.reasoningText).toBe('The user wants the weather: call the tool.');
    // The first step's request declared the tool with its JSON Schema; the second replayed thinking (signed), the call and its result.
    const generation = upstream.requests.filter((request) => request.credentialId === 'good');
    expect(generation).toHaveLength(2);
    expect(generation[0]?.body).toMatchObject({ tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }] });
    const [, assistant, toolTurn] = wireMessages(generation[1] as RecordedRequest);
    expect(blocksOf(assistant).map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(blocksOf(assistant)[0]?.signature).toBe('c2lnbmVkLXRoaW5raW5n');
    expect(blocksOf(toolTurn)).toMatchObject([{ type: 'tool_result', tool_use_id: 'toolu_weather_1', content: '{"city":"Paris","temperature":18}' }]);
  });

  it('answers concurrent calls through the pool: 12 at once, each one succeeds', async () => {
    const { upstream, keys, model: languageModel } = await revokedFirstPool();
    const results = await Promise.all(Array.from({ length: 12 }, (_, call) => generateText({ model: languageModel, prompt: `call ${call}`, maxRetries: 0 })));
    expect(results.map((result) => result.text)).toEqual(Array(12).fill('Hello from the pool.'));
    expect(results.every((result) => result.providerMetadata?.kit?.credentialId === 'key-good')).toBe(true);
    expect(upstream.requests.filter((request) => request.credentialId === 'good')).toHaveLength(12);
    expect(keys.getKeyHealth().find((key) => key.id === 'key-good')?.successes).toBe(12);
  });

  it('gives structured output (Output.object with a zod schema) from the native json_schema format', async () => {
    const { upstream, model: languageModel } = await revokedFirstPool('{"city":"Paris","temperature":18}');
    const result = await generateText({
      model: languageModel,
      prompt: 'Weather in Paris as JSON.',
      output: Output.object({ schema: z.object({ city: z.string(), temperature: z.number() }) }),
      maxRetries: 0,
    });
    expect(result.output).toEqual({ city: 'Paris', temperature: 18 });
    const good = upstream.requests.find((request) => request.credentialId === 'good');
    expect(good?.body).toMatchObject({
      output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: { city: { type: 'string' }, temperature: { type: 'number' } } } } },
    });
  });

  it('generateObject with a zod schema', async () => {
    const { model: languageModel } = await revokedFirstPool('{"name":"Ada","languages":["en","fr"]}');
    const { object } = await generateObject({
      model: languageModel,
      schema: z.object({ name: z.string(), languages: z.array(z.string()) }),
      prompt: 'A person.',
      maxRetries: 0,
    });
    expect(object).toEqual({ name: 'Ada', languages: ['en', 'fr'] });
  });
});

describe('streamText over kitLanguageModel', () => {
  it('streams the text through a pool whose first key is revoked, and finishes with usage and providerMetadata.kit', async () => {
    const { upstream, model: languageModel } = await revokedFirstPool('One two three four.');
    const result = streamText({ model: languageModel, prompt: 'Count.', maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe('One two three four.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(await result.finishReason).toBe('stop');
    expect(await result.usage).toMatchObject({ inputTokens: 12, outputTokens: 4 });
    expect((await result.providerMetadata)?.kit).toMatchObject({ credentialId: 'key-good', requestId: expect.stringMatching(/.+/) });
    expect(upstream.requests.map((request) => [request.credentialId, (request.body as { stream?: boolean }).stream])).toEqual([
      ['revoked', true],
      ['good', true],
    ]);
  });

  it('runs a multi-step tool loop: tool input streams, the tool executes, the second step answers', async () => {
    const { model: languageModel } = await revokedFirstPool(weatherScript);
    const result = streamText({
      model: languageModel,
      prompt: 'What is the weather in Paris?',
      tools: { get_weather: weatherTool },
      stopWhen: isStepCount(3),
      maxRetries: 0,
    });
    const types: string[] = [];
    let toolInput = '';
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === 'tool-input-delta') toolInput += part.delta;
    }
    expect(await result.text).toBe('It is 18 °C in Paris.');
    expect(toolInput).toBe('{"city":"Paris"}');
    const steps = await result.steps;
    expect(steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(steps[0]?.toolResults).toMatchObject([{ toolName: 'get_weather', output: { city: 'Paris', temperature: 18 } }]);
    for (const type of [
      'reasoning-start',
      'reasoning-delta',
      'reasoning-end',
      'tool-input-start',
      'tool-input-end',
      'tool-call',
      'tool-result',
      'text-delta',
    ]) {
      expect(types).toContain(type);
    }
    expect(types.indexOf('tool-input-start')).toBeLessThan(types.indexOf('tool-call'));
  });

  it('an error after content ends the stream with an APICallError (partial text kept), and no other key is asked', async () => {
    const upstream = await servers.start({
      dialect: 'anthropic',
      credentials: [{ id: 'good', secret: goodKey, script: faults.errorMidStream(2) }],
    });
    const anthropic = createAnthropic({ credentials: new KeyManager('anthropic', [goodKey]), baseURL: upstream.url });
    const errors: unknown[] = [];
    const result = streamText({ model: kitLanguageModel(anthropic, model), prompt: 'Talk.', maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text.trim().split(/\s+/)).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(APICallError.isInstance(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ isRetryable: true, message: 'anthropic: Overloaded' });
  });
});

describe('errors as the AI SDK sees them', () => {
  it('a single revoked key: APICallError, status 401, isRetryable false, the @kit error as cause, no key anywhere', async () => {
    const upstream = await servers.start({ dialect: 'anthropic', credentials: [{ id: 'revoked', secret: revokedKey, script: faults.unauthorized() }] });
    const anthropic = createAnthropic({ credentials: new KeyManager('anthropic', [revokedKey]), baseURL: upstream.url });
    const error = await generateText({ model: kitLanguageModel(anthropic, model), prompt: 'hi', maxRetries: 0 }).catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false, url: upstream.url });
    expect(KitError.is((error as APICallError).cause) && (error as { cause: KitError }).cause.code).toBe('authentication');
    expectNoSecrets([error, String(error), (error as Error).stack, JSON.stringify(error)], [revokedKey]);
  });

  it('a rate-limited single key: APICallError with isRetryable true and the wait as retry-after-ms', async () => {
    // Ten minutes: longer than the call's deadline, so @kit's engine gives up at once instead of waiting for the key.
    const upstream = await servers.start({
      dialect: 'anthropic',
      credentials: [{ id: 'limited', secret: limitedKey, script: faults.rateLimited({ retryAfterSeconds: 600 }) }],
    });
    const anthropic = createAnthropic({ credentials: new KeyManager('anthropic', [limitedKey]), baseURL: upstream.url });
    const error = await generateText({ model: kitLanguageModel(anthropic, model), prompt: 'hi', maxRetries: 0 }).catch((caught: unknown) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ isRetryable: true, statusCode: 429 });
    expect(((error as APICallError).cause as KitError).code).toBe('rate_limit');
    expect(Number((error as APICallError).responseHeaders?.['retry-after-ms'])).toBeGreaterThan(500_000);
    expect(upstream.requests).toHaveLength(1);
    expectNoSecrets([error, JSON.stringify(error)], [limitedKey]);
  });

  it('an abort stops the call: the AI SDK sees an AbortError, not an APICallError', async () => {
    const upstream = await servers.start({ dialect: 'anthropic', defaultScript: faults.hang() });
    const anthropic = createAnthropic({ apiKey: goodKey, baseURL: upstream.url });
    const controller = new AbortController();
    const pending = generateText({ model: createKitProvider(anthropic)(model), prompt: 'hi', abortSignal: controller.signal, maxRetries: 0 }).catch(
      (caught: unknown) => caught,
    );
    await upstream.waitForRequests(1);
    controller.abort();
    const error = await pending;
    expect((error as Error).name).toBe('AbortError');
    expect(APICallError.isInstance(error)).toBe(false);
    await upstream.waitForIdle();
  });

  it('streamText with every key revoked: the stream reports the APICallError and produces no text', async () => {
    const upstream = await servers.start({ dialect: 'anthropic', credentials: [{ id: 'revoked', secret: revokedKey, script: faults.unauthorized() }] });
    const anthropic = createAnthropic({ credentials: new KeyManager('anthropic', [revokedKey]), baseURL: upstream.url });
    const errors: unknown[] = [];
    const result = streamText({ model: kitLanguageModel(anthropic, model), prompt: 'hi', maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ statusCode: 401, isRetryable: false });
    expectNoSecrets([errors[0], JSON.stringify(errors[0])], [revokedKey]);
  });

  it('aborting streamText mid-stream closes the upstream connection and reports an abort', async () => {
    const upstream = await servers.start({ dialect: 'anthropic', defaultScript: faults.stallMidStream(2) });
    const anthropic = createAnthropic({ apiKey: goodKey, baseURL: upstream.url });
    const controller = new AbortController();
    let aborted = false;
    const result = streamText({
      model: kitLanguageModel(anthropic, model),
      prompt: 'hi',
      abortSignal: controller.signal,
      maxRetries: 0,
      onAbort: () => {
        aborted = true;
      },
    });
    let text = '';
    for await (const delta of result.textStream) {
      text += delta;
      if (text.trim().split(/\s+/).length === 2) controller.abort();
    }
    expect(text.trim().split(/\s+/)).toHaveLength(2);
    expect(aborted).toBe(true);
    // The stalled answer ends only when the client closes its side: without the abort reaching the socket this
    // never resolves (and the test times out).
    await upstream.waitForIdle();
  });
});
