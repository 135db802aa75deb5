// @kit/ollama on real loopback upstreams speaking Ollama's native API (@kit/testkit's ollama dialect).
import { KitError, type CredentialSource, type GenerateOptions } from '@kit/core';
import { resolveGenerateOptions, singleKeySource } from '@kit/core/provider-utils';
import { KeyManager } from '@kit/keymanager';
import { createOllama, defineOllamaProvider } from '@kit/ollama';
import { faults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestEngine } from '../../packages/core/src/request-engine';
import { eventLog, expectNoSecrets, fakeKeys, upstreams } from '../engine/helpers';

const servers = upstreams();
afterEach(() => servers.closeAll());

/** The engine over Ollama's definition, with a sleep that records the backoff instead of waiting (no real sleeps). */
function ollamaEngine(baseURL: string, credentials: CredentialSource, maxRetries: number) {
  const sleeps: number[] = [];
  const log = eventLog();
  const engine = new RequestEngine({
    provider: 'ollama',
    definition: defineOllamaProvider(),
    credentials,
    baseURL,
    headers: {},
    timeoutMs: 5_000,
    maxRetries,
    emit: log.onEvent,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const generate = (options: GenerateOptions) =>
    engine.generate(resolveGenerateOptions(options, { provider: 'ollama', defaultModel: 'llama3.2', defaultStream: true }));
  return { generate, sleeps, log };
}

describe('@kit/ollama against the ollama dialect', () => {
  it('streams 20 concurrent calls, each with its reasoning, text and usage', async () => {
    const upstream = await servers.start({ dialect: 'ollama', defaultScript: replies.text('Blue light scatters more.', { reasoning: 'Rayleigh' }) });
    const ollama = createOllama({ baseURL: upstream.url, defaultModel: 'qwen3' });
    const completions = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => (await ollama.generateChatCompletion({ prompt: `why is the sky blue? ${index}` })).final()),
    );
    for (const completion of completions) {
      expect(completion).toMatchObject({ text: 'Blue light scatters more.', reasoning: 'Rayleigh', model: 'qwen3', finishReason: 'stop' });
      expect(completion.usage).toMatchObject({ outputTokens: 5 });
      expect(completion.usage.inputTokens).toBeGreaterThan(0);
      // The server's own durations (nanoseconds on the wire) arrive in milliseconds.
      expect(completion.serverTimings?.loadMs).toBe(2);
      expect(completion.serverTimings?.generationMs).toBeGreaterThan(0);
    }
    expect(upstream.requests).toHaveLength(20);
    for (const request of upstream.requests) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.body).toMatchObject({ model: 'qwen3', stream: true });
    }
  });

  it('a tool round trip: the call arrives with JSON-text arguments, the next turn sends them back as an object', async () => {
    const upstream = await servers.start({
      dialect: 'ollama',
      defaultScript: [replies.toolCalls([{ name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }]), replies.text('22 degrees in Paris.')],
    });
    const ollama = createOllama({ baseURL: upstream.url });
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } } } }];
    const first = await (await ollama.generateChatCompletion({ prompt: 'Weather in Paris?', tools })).final();
    expect(first.finishReason).toBe('tool-calls');
    const [call] = first.toolCalls;
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}', input: { city: 'Paris', unit: 'celsius' } });
    const second = await ollama.complete({
      messages: [{ role: 'user', content: 'Weather in Paris?' }, first.message, { role: 'tool', toolCallId: call?.id as string, content: '{"temp":22}' }],
      tools,
    });
    expect(second.text).toBe('22 degrees in Paris.');
    const { messages } = (upstream.requests[1]?.body ?? { messages: [] }) as { messages: Record<string, unknown>[] };
    expect(messages[1]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } } }],
    });
    expect(messages[2]).toEqual({ role: 'tool', content: '{"temp":22}', tool_name: 'get_weather' });
  });

  it('an error line mid-stream is thrown from the iterator after the partial text; before any content it is retried', async () => {
    const upstream = await servers.start({ dialect: 'ollama', defaultScript: [faults.errorMidStream(0), faults.errorMidStream(3)] });
    const { generate, sleeps, log } = ollamaEngine(
      upstream.url,
      singleKeySource(() => ''),
      1,
    );
    const stream = await generate({ prompt: 'hi' });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'text-delta') texts.push(event.text);
    })().catch((caught: unknown) => caught);
    expect(texts.join('')).toBe('The quick brown ');
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code: 'server_error', message: expect.stringContaining('an error was encountered while running the model') });
    // The first attempt failed before content (retried); the second after content (thrown, not retried).
    expect(upstream.requests).toHaveLength(2);
    expect(log.ofType('request-error').map((event) => event.error.code)).toEqual(['server_error', 'server_error']);
    expect(sleeps).toEqual([500]);
  });

  it('fails over past a 500 to the next key of a pool (maxRetries bounds the retries), Bearer keys never leaking', async () => {
    const [broken, good] = fakeKeys as [string, string];
    const upstream = await servers.start({
      dialect: 'ollama',
      credentials: [
        { id: 'broken', secret: broken, script: faults.serverError(500) },
        { id: 'good', secret: good, script: replies.text('from ollama.com') },
      ],
    });
    const keys = new KeyManager('ollama', [
      { id: 'broken', key: broken },
      { id: 'good', key: good },
    ]);
    const { generate, sleeps, log } = ollamaEngine(upstream.url, keys, 2);
    const results = await Promise.all(Array.from({ length: 4 }, async () => (await generate({ prompt: 'hi' })).final()));
    for (const completion of results) expect(completion).toMatchObject({ text: 'from ollama.com', credentialId: 'good' });
    expect(upstream.requests.filter((request) => request.credentialId === 'broken').length).toBeGreaterThanOrEqual(1);
    expect(log.ofType('request-error').every((event) => event.error.code === 'server_error' && event.error.status === 500)).toBe(true);
    // Every retry the 500 cost stayed within maxRetries (each recorded wait is one of them).
    expect(sleeps.length).toBeLessThanOrEqual(4 * 2);
    // The mock knew every request's key from its Bearer header (the recording masks the value).
    for (const request of upstream.requests) expect(['broken', 'good']).toContain(request.credentialId);
    expectNoSecrets([upstream.requests, log.events, keys.getKeyHealth()], [broken, good]);
  });

  it('with maxRetries 0 a single 500 is final: one request, a server_error', async () => {
    const upstream = await servers.start({ dialect: 'ollama', defaultScript: [faults.serverError(500), replies.text('too late')] });
    const ollama = createOllama({ baseURL: upstream.url, maxRetries: 0 });
    await expect(ollama.complete({ prompt: 'hi' })).rejects.toMatchObject({ code: 'server_error', status: 500 });
    expect(upstream.requests).toHaveLength(1);
  });

  it('getModels(), listRunningModels() and healthCheck() on /api/tags, /api/ps and /api/version', async () => {
    const upstream = await servers.start({ dialect: 'ollama', models: [{ id: 'qwen3:8b' }, { id: 'llava:7b' }] });
    const ollama = createOllama({ baseURL: upstream.url });
    expect((await ollama.getModels()).map((model) => [model.id, model.capabilities.vision, model.capabilities.reasoning])).toEqual([
      ['qwen3:8b', false, true],
      ['llava:7b', true, false],
    ]);
    const running = await ollama.listRunningModels();
    expect(running.map((model) => model.id)).toEqual(['qwen3:8b', 'llava:7b']);
    expect(running[0]?.expiresAt).toBeGreaterThan(Date.now());
    expect(await ollama.healthCheck()).toMatchObject({ healthy: true });
    expect(upstream.requests.map((request) => request.path)).toEqual(['/api/tags', '/api/ps', '/api/version']);
  });
});
