// @kit/anthropic on real loopback upstreams speaking the Messages API (@kit/testkit's anthropic dialect).
import { createAnthropic, defineAnthropicProvider } from '@kit/anthropic';
import { KitError, type CredentialSource, type GenerateOptions } from '@kit/core';
import { resolveGenerateOptions } from '@kit/core/provider-utils';
import { KeyManager } from '@kit/keymanager';
import { faults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestEngine } from '../../packages/core/src/request-engine';
import { eventLog, expectNoSecrets, fakeKeys, upstreams } from './helpers';

const servers = upstreams();
afterEach(() => servers.closeAll());

/** The engine over Anthropic's definition, with a sleep that records instead of waiting. */
function anthropicEngine(baseURL: string, credentials: CredentialSource) {
  const sleeps: number[] = [];
  const log = eventLog();
  const engine = new RequestEngine({
    provider: 'anthropic',
    definition: defineAnthropicProvider(),
    credentials,
    baseURL,
    headers: {},
    timeoutMs: 5_000,
    maxRetries: 2,
    fetch: (input, init) => fetch(input, init),
    emit: log.onEvent,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const generate = (options: GenerateOptions) =>
    engine.generate(resolveGenerateOptions(options, { provider: 'anthropic', defaultModel: 'claude-sonnet-5-5', defaultStream: true }));
  return { generate, sleeps, log };
}

describe('an Anthropic key pool', () => {
  it('3 keys (authentication_error, 429 with retry-after, good): the good key answers every call, streaming or not, without sleeping', async () => {
    const [revoked, limited, good] = fakeKeys as [string, string, string];
    const upstream = await servers.start({
      dialect: 'anthropic',
      credentials: [
        { id: 'revoked', secret: revoked, script: faults.unauthorized() },
        { id: 'limited', secret: limited, script: faults.rateLimited({ retryAfterSeconds: 30 }) },
        { id: 'good', secret: good, script: replies.text('Claude answers.') },
      ],
    });
    const keys = new KeyManager('anthropic', [
      { id: 'revoked', key: revoked },
      { id: 'limited', key: limited },
      { id: 'good', key: good },
    ]);
    const { generate, sleeps, log } = anthropicEngine(upstream.url, keys);
    for (let call = 0; call < 6; call += 1) {
      const completion = await (await generate({ prompt: `call ${call}`, stream: call % 2 === 0 })).final();
      expect(completion).toMatchObject({ text: 'Claude answers.', credentialId: 'good', finishReason: 'stop' });
    }
    expect(sleeps).toEqual([]);
    const health = Object.fromEntries(keys.getKeyHealth().map((key) => [key.id, key]));
    expect([health.revoked?.requests, health.limited?.requests, health.good?.requests]).toEqual([1, 1, 6]);
    expect(health.revoked?.lastErrorCode).toBe('authentication');
    expect(health.limited?.lastErrorCode).toBe('rate_limit');
    // The 429's retry-after (30 s) is the limited key's backoff.
    expect((health.limited?.backoffUntil ?? 0) - Date.now()).toBeGreaterThan(25_000);
    expect(log.ofType('request-error').map((event) => [event.credentialId, event.error.code, event.error.status])).toEqual([
      ['revoked', 'authentication', 401],
      ['limited', 'rate_limit', 429],
    ]);
    // Every request carried the API version and its key in x-api-key; nothing observable holds a key.
    for (const request of upstream.requests) expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expectNoSecrets([upstream.requests, log.events, keys.getKeyHealth()], [revoked, limited, good]);
  });

  it('a 400 invalid_request_error is not retried nor failed over, and penalises no key', async () => {
    const upstream = await servers.start({ dialect: 'anthropic', defaultScript: faults.badRequest('max_tokens: Input should be greater than 0') });
    const keys = new KeyManager('anthropic', fakeKeys.slice(0, 3));
    const { generate, sleeps } = anthropicEngine(upstream.url, keys);
    const error = await generate({ prompt: 'hi' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, requestId: expect.stringMatching(/.+/) });
    expect((error as Error).message).toContain('max_tokens: Input should be greater than 0');
    expect(upstream.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(keys.getKeyHealth().map((key) => key.consecutiveFailures)).toEqual([0, 0, 0]);
  });

  it('a prompt over the context window is context_length, not retried', async () => {
    const upstream = await servers.start({ dialect: 'anthropic', defaultScript: faults.contextLength() });
    const anthropic = createAnthropic({ credentials: new KeyManager('anthropic', fakeKeys.slice(0, 2)), baseURL: upstream.url });
    await expect(anthropic.complete({ prompt: 'hi' })).rejects.toMatchObject({ code: 'context_length' });
    expect(upstream.requests).toHaveLength(1);
  });

  it('a 529 overloaded answer fails over to the next key', async () => {
    const upstream = await servers.start({
      dialect: 'anthropic',
      credentials: [
        { id: 'busy', secret: fakeKeys[0] as string, script: faults.overloaded() },
        { id: 'fine', secret: fakeKeys[1] as string, script: replies.text('ok') },
      ],
    });
    const anthropic = createAnthropic({ credentials: new KeyManager('anthropic', fakeKeys.slice(0, 2)), baseURL: upstream.url });
    expect((await anthropic.complete({ prompt: 'hi' })).text).toBe('ok');
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['busy', 'fine']);
  });
});

describe('Anthropic streams', () => {
  it('an overloaded_error event before the first content fails over to the next key', async () => {
    const upstream = await servers.start({
      dialect: 'anthropic',
      credentials: [
        { id: 'k1', secret: fakeKeys[0] as string, script: faults.errorMidStream(0) },
        { id: 'k2', secret: fakeKeys[1] as string, script: replies.text('from the second key') },
      ],
    });
    const log = eventLog();
    const anthropic = createAnthropic({ credentials: new KeyManager('anthropic', fakeKeys.slice(0, 2)), baseURL: upstream.url, onEvent: log.onEvent });
    const stream = await anthropic.generateChatCompletion({ prompt: 'hi' });
    expect((await stream.final()).text).toBe('from the second key');
    expect(log.ofType('failover').map((event) => [event.from, event.to, event.reason])).toEqual([['key-1', 'key-2', 'server_error']]);
  });

  it('an overloaded_error event after content is thrown from the iterator, with the partial text kept and no failover', async () => {
    const upstream = await servers.start({
      dialect: 'anthropic',
      credentials: [
        { id: 'k1', secret: fakeKeys[0] as string, script: faults.errorMidStream(2) },
        { id: 'k2', secret: fakeKeys[1] as string, script: replies.text('should never be asked') },
      ],
    });
    const keys = new KeyManager('anthropic', fakeKeys.slice(0, 2));
    const anthropic = createAnthropic({ credentials: keys, baseURL: upstream.url });
    const stream = await anthropic.generateChatCompletion({ prompt: 'hi' });
    let partial = '';
    let thrown: unknown;
    try {
      for await (const event of stream) if (event.type === 'text-delta') partial += event.text;
    } catch (error) {
      thrown = error;
    }
    expect(KitError.is(thrown) && [thrown.code, thrown.message]).toEqual(['server_error', 'anthropic: Overloaded']);
    expect(partial.trim().split(/\s+/)).toHaveLength(2);
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['k1']);
    expect(keys.getKeyHealth()[0]?.consecutiveFailures).toBe(1);
  });

  it('thinking with its signature and tool calls round-trip through a real upstream', async () => {
    const upstream = await servers.start({
      dialect: 'anthropic',
      defaultScript: (request) =>
        JSON.stringify(request.body).includes('tool_result')
          ? replies.text('It is 18 °C in Paris.')
          : replies.toolCalls([{ name: 'get_weather', arguments: '{"city":"Paris"}' }], {
              reasoning: 'I should call the tool.',
              reasoningSignature: 'c2lnbmF0dXJl',
            }),
    });
    const anthropic = createAnthropic({ apiKey: fakeKeys[0], baseURL: upstream.url });
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const first = await anthropic.complete({ prompt: 'Weather in Paris?', tools, stream: true });
    expect(first).toMatchObject({ reasoning: 'I should call the tool.', finishReason: 'tool-calls' });
    expect(first.toolCalls).toMatchObject([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    const second = await anthropic.complete({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        first.message,
        { role: 'tool', toolCallId: first.toolCalls[0]?.id as string, content: '{"temperature":18}' },
      ],
      tools,
    });
    expect(second.text).toBe('It is 18 °C in Paris.');
    const replayed = (upstream.requests[1]!.body as { messages: { content: { type: string; signature?: string }[] }[] }).messages[1]?.content;
    expect(replayed?.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(replayed?.[0]?.signature).toBe('c2lnbmF0dXJl');
  });

  it('lists models from the upstream', async () => {
    const upstream = await servers.start({
      dialect: 'anthropic',
      models: [{ id: 'claude-opus-5-5', displayName: 'Claude Opus 5.5' }, { id: 'claude-haiku-4-5' }],
    });
    const models = await createAnthropic({ apiKey: fakeKeys[0], baseURL: upstream.url }).getModels();
    expect(models.map((model) => [model.id, model.name, model.maxOutputTokens])).toEqual([
      ['claude-opus-5-5', 'Claude Opus 5.5', 128_000],
      ['claude-haiku-4-5', 'claude-haiku-4-5', 64_000],
    ]);
    expect(await createAnthropic({ apiKey: fakeKeys[0], baseURL: upstream.url }).healthCheck()).toMatchObject({ healthy: true });
  });
});
