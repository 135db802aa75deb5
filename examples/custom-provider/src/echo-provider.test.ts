import { KitError } from '@kit/core';
import { KeyManager } from '@kit/keymanager';
import { createMockUpstream, faults, replies, runProviderConformance } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { echoDialect } from './echo-dialect';
import { createEcho } from './echo-provider';

// The contract suite of @kit/testkit, run the way any provider package runs it: one vitest test per check.
runProviderConformance({
  dialect: echoDialect,
  createProvider: (settings) => createEcho(settings),
  createPool: (keys) => new KeyManager('echo', keys),
  test: it,
  describe,
});

const key = 'test-key-echo-unit-0001';
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

describe('createEcho', () => {
  it('refuses a misspelt or bad setting, naming it', () => {
    expect(() => createEcho({ apikey: key } as never)).toThrow(/invalid echo settings: apikey: is not a known option/);
    expect(() => createEcho({ workspace: '' })).toThrow(/workspace: must not be empty/);
    expect(() => createEcho({ timeoutMs: -1 })).toThrow(KitError);
  });

  it('sends Echo’s request: turns, functions, its key and workspace headers, unset knobs left out', async () => {
    const upstream = await createMockUpstream({ dialect: echoDialect, defaultScript: replies.text('Hi!') });
    closing.push(() => upstream.close());
    const echo = createEcho({ baseURL: upstream.url, apiKey: key, workspace: 'team-a' });
    const answer = await echo.complete({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'tool', toolCallId: 'call_1', content: '{"temp":3}' },
      ],
      tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      maxTokens: 64,
    });
    expect(answer.text).toBe('Hi!');
    const [request] = upstream.requests;
    expect(request?.headers['echo-api-key']).toBe('***');
    expect(request?.headers['echo-workspace']).toBe('team-a');
    expect(request?.body).toEqual({
      model: 'echo-small',
      turns: [
        { speaker: 'system', says: 'Be brief.' },
        { speaker: 'user', says: 'Weather?' },
        { speaker: 'bot', says: '', calls: [{ ref: 'call_1', fn: 'get_weather', args: '{"city":"Oslo"}' }] },
        { speaker: 'tool', says: '{"temp":3}', ref: 'call_1' },
      ],
      stream: false,
      functions: [{ name: 'get_weather', params: { type: 'object', properties: { city: { type: 'string' } } } }],
      limit: 64,
    });
  });

  it('refuses an image part before sending anything', async () => {
    const echo = createEcho({ apiKey: key, baseURL: 'http://127.0.0.1:9/v1' });
    const image = { type: 'image' as const, source: { type: 'url' as const, url: 'https://example.test/cat.png' } };
    await expect(echo.complete({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, image] }] })).rejects.toThrow(
      /messages\[0\]\.content\[1\]: echo accepts text only, not image/,
    );
  });

  it('classifies Echo’s own error types the status does not tell: a context-length 400 and an unknown model', async () => {
    const upstream = await createMockUpstream({ dialect: echoDialect, defaultScript: [faults.contextLength(), faults.notFound()] });
    closing.push(() => upstream.close());
    const echo = createEcho({ baseURL: upstream.url, apiKey: key, maxRetries: 0 });
    await expect(echo.complete({ prompt: 'A very long prompt' })).rejects.toMatchObject({ code: 'context_length', status: 400 });
    await expect(echo.complete({ prompt: 'Hi' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });
});
