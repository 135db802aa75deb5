import { describe, expect, it } from 'vitest';
import { faults, replies } from './upstream-script';
import { startUpstream } from './test-helpers';
import type { MockUpstream } from './mock-upstream';

type Line = Record<string, unknown> & { message?: Record<string, unknown> };

const lines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);

function chat(upstream: MockUpstream, body: Record<string, unknown>, key?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(`${upstream.url}/api/chat`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'why is the sky blue?' }], ...body }),
  });
}

describe('Ollama dialect', () => {
  it('streams NDJSON by default (no stream field): thinking, content, then done with the counts and durations', async () => {
    const upstream = await startUpstream({ dialect: 'ollama', defaultScript: replies.text('Rayleigh scattering.', { reasoning: 'Think light' }) });
    expect(upstream.url).toBe(upstream.origin);
    const response = await chat(upstream, {});
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const objects = lines(await response.text());
    expect(objects.map((object) => object.message?.thinking ?? object.message?.content)).toEqual(['Think ', 'light', 'Rayleigh ', 'scattering.', '']);
    expect(objects.slice(0, -1).every((object) => object.done === false && object.model === 'llama3.2')).toBe(true);
    expect(objects.at(-1)).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 5, eval_count: 4 });
    for (const field of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration']) expect(objects.at(-1)?.[field]).toBeGreaterThan(0);
  });

  it('answers stream: false with one object holding the whole message', async () => {
    const upstream = await startUpstream({
      dialect: 'ollama',
      defaultScript: replies.text('Hi you', { finishReason: 'length', usage: { inputTokens: 9, outputTokens: 2 } }),
    });
    const body = (await (await chat(upstream, { stream: false })).json()) as Line;
    expect(body).toMatchObject({ message: { role: 'assistant', content: 'Hi you' }, done: true, done_reason: 'length', prompt_eval_count: 9, eval_count: 2 });
  });

  it('sends each tool call whole, arguments as an object, an id only when scripted, done_reason stop', async () => {
    const upstream = await startUpstream({
      dialect: 'ollama',
      defaultScript: replies.toolCalls([
        { id: 'call_weather', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { name: 'get_time', arguments: '' },
      ]),
    });
    const objects = lines(await (await chat(upstream, {})).text());
    const calls = objects.flatMap((object) => (object.message?.tool_calls as unknown[] | undefined) ?? []);
    expect(calls).toEqual([
      { id: 'call_weather', function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } } },
      { function: { index: 1, name: 'get_time', arguments: {} } },
    ]);
    expect(objects.at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
  });

  it('renders faults as { error } bodies and a mid-stream error as an NDJSON error line', async () => {
    const upstream = await startUpstream({ dialect: 'ollama', defaultScript: [faults.notFound(), faults.serverError(), faults.errorMidStream(2)] });
    const missing = await chat(upstream, { model: 'nope' });
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'model "nope" not found, try pulling it first' }]);
    const broken = await chat(upstream, {});
    expect([broken.status, await broken.json()]).toEqual([500, { error: 'an error was encountered while running the model' }]);
    const objects = lines(await (await chat(upstream, {})).text());
    expect(objects).toHaveLength(3);
    expect(objects.at(-1)).toEqual({ error: 'an error was encountered while running the model' });
  });

  it('refuses a request without a model, checks Bearer keys, and serves /api/tags, /api/ps and /api/version', async () => {
    const upstream = await startUpstream({
      dialect: 'ollama',
      credentials: [{ id: 'cloud', secret: 'test-key-ollama-1' }],
      models: [{ id: 'qwen3:8b' }, { id: 'llava:7b' }],
    });
    const noModel = await chat(upstream, { model: '' }, 'test-key-ollama-1');
    expect([noModel.status, await noModel.json()]).toEqual([400, { error: 'model is required' }]);
    const unauthorized = await chat(upstream, {}, 'wrong-key');
    expect([unauthorized.status, await unauthorized.json()]).toEqual([401, { error: 'unauthorized' }]);
    const get = async (path: string) =>
      (await (await fetch(`${upstream.url}${path}`, { headers: { authorization: 'Bearer test-key-ollama-1' } })).json()) as Record<string, unknown>;
    expect(((await get('/api/tags')).models as { name: string }[]).map((model) => model.name)).toEqual(['qwen3:8b', 'llava:7b']);
    const running = (await get('/api/ps')).models as Record<string, unknown>[];
    expect(running.map((model) => model.name)).toEqual(['qwen3:8b', 'llava:7b']);
    expect(Date.parse(running[0]?.expires_at as string)).toBeGreaterThan(Date.now());
    expect(await get('/api/version')).toEqual({ version: '0.12.6' });
    expect(upstream.requests.map((request) => request.credentialId)).toEqual(['cloud', undefined, 'cloud', 'cloud', 'cloud']);
  });
});
