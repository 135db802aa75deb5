import { describe, expect, it } from 'vitest';
import { replies } from './upstream-script';
import { chatRequest, postChat, sseChunks, startUpstream } from './test-helpers';

describe('OpenAI dialect: text', () => {
  it('streams a role chunk, one content delta per word, a finish chunk and [DONE]', async () => {
    const upstream = await startUpstream({ defaultScript: replies.text('Hello there, world!') });
    const response = await postChat(upstream, chatRequest({ stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const chunks = sseChunks(await response.text());
    expect(chunks.map((chunk) => chunk.choices[0]!.delta)).toEqual([
      { role: 'assistant', content: '', refusal: null },
      { content: 'Hello ' },
      { content: 'there, ' },
      { content: 'world!' },
      {},
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]!.finish_reason)).toEqual([null, null, null, null, 'stop']);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-test' });
      expect(chunk).not.toHaveProperty('usage');
    }
  });

  it('splits text into the requested number of chunks and reports the finish reason', async () => {
    const upstream = await startUpstream({ defaultScript: replies.text('abcdefghi', { chunks: 3, finishReason: 'length' }) });
    const chunks = sseChunks(await (await postChat(upstream, chatRequest({ stream: true }))).text());
    expect(chunks.slice(1, -1).map((chunk) => chunk.choices[0]!.delta.content)).toEqual(['abc', 'def', 'ghi']);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length');
  });

  it('streams reasoning as reasoning_content before the text', async () => {
    const upstream = await startUpstream({ defaultScript: replies.text('Four.', { reasoning: 'Two plus two' }) });
    const chunks = sseChunks(await (await postChat(upstream, chatRequest({ stream: true }))).text());
    expect(chunks.slice(1, -1).map((chunk) => chunk.choices[0]!.delta)).toEqual([
      { reasoning_content: 'Two ' },
      { reasoning_content: 'plus ' },
      { reasoning_content: 'two' },
      { content: 'Four.' },
    ]);
  });

  it('sends a usage-only chunk before [DONE] only when include_usage is set', async () => {
    const upstream = await startUpstream({ defaultScript: replies.text('one two three') });
    const withUsage = sseChunks(await (await postChat(upstream, chatRequest({ stream: true, stream_options: { include_usage: true } }))).text());
    const last = withUsage.at(-1)!;
    expect(last.choices).toEqual([]);
    // "Say hello to the world" is 5 words; 3 content deltas.
    expect(last.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
    expect(withUsage.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);

    const withoutUsage = sseChunks(await (await postChat(upstream, chatRequest({ stream: true }))).text());
    expect(withoutUsage.some((chunk) => chunk.usage)).toBe(false);
    expect(withoutUsage.every((chunk) => chunk.choices.length === 1)).toBe(true);
  });

  it('reports scripted usage as given', async () => {
    const upstream = await startUpstream({
      defaultScript: replies.text('hi', { usage: { inputTokens: 11, outputTokens: 22, cachedInputTokens: 3, reasoningTokens: 4 } }),
    });
    const body = (await (await postChat(upstream, chatRequest())).json()) as Record<string, unknown>;
    expect(body.usage).toEqual({
      prompt_tokens: 11,
      completion_tokens: 22,
      total_tokens: 33,
      prompt_tokens_details: { cached_tokens: 3 },
      completion_tokens_details: { reasoning_tokens: 4 },
    });
  });

  it('answers a non-streaming request with one chat.completion', async () => {
    const upstream = await startUpstream({ defaultScript: replies.text('Hi you', { reasoning: 'Be brief' }) });
    const response = await postChat(upstream, chatRequest());
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-test',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi you', reasoning_content: 'Be brief' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9, completion_tokens_details: { reasoning_tokens: 2 } },
    });
  });

  it('echoes the request model, falls back to the default model, and numbers the ids', async () => {
    const upstream = await startUpstream({ model: 'gpt-default' });
    const first = (await (await postChat(upstream, { messages: [] })).json()) as Record<string, unknown>;
    const second = (await (await postChat(upstream, chatRequest({ model: 'gpt-other' }))).json()) as Record<string, unknown>;
    expect([first.model, first.id]).toEqual(['gpt-default', 'chatcmpl-1']);
    expect([second.model, second.id]).toEqual(['gpt-other', 'chatcmpl-2']);
  });
});

describe('OpenAI dialect: tool calls', () => {
  const calls = [
    { id: 'call_weather', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
    { name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' },
  ];

  it('interleaves parallel calls so only assembly by index gives the right arguments', async () => {
    const upstream = await startUpstream({ defaultScript: replies.toolCalls(calls) });
    const chunks = sseChunks(await (await postChat(upstream, chatRequest({ stream: true }))).text());
    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    // 2 openings + 3 argument pieces each.
    expect(toolDeltas).toHaveLength(8);
    expect(toolDeltas.map((delta: { index: number }) => delta.index)).toEqual([0, 0, 1, 1, 0, 1, 0, 1]);
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: 'call_weather',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(toolDeltas[2]).toMatchObject({ index: 1, id: 'call_1_1', type: 'function', function: { name: 'get_time' } });

    // Naive "append to the last opened call" assembly goes wrong…
    const naive: string[] = [];
    for (const delta of toolDeltas) {
      if (delta.id) naive.push('');
      naive[naive.length - 1] += delta.function.arguments;
    }
    expect(naive).not.toEqual(calls.map((call) => call.arguments));
    // …assembly by index is right.
    const byIndex: { id?: string; name?: string; arguments: string }[] = [];
    for (const delta of toolDeltas) {
      const call = byIndex[delta.index] ?? { arguments: '' };
      byIndex[delta.index] = call;
      if (delta.id) call.id = delta.id;
      if (delta.function.name) call.name = delta.function.name;
      call.arguments += delta.function.arguments;
    }
    expect(byIndex).toEqual([
      { id: 'call_weather', name: 'get_weather', arguments: calls[0]!.arguments },
      { id: 'call_1_1', name: 'get_time', arguments: calls[1]!.arguments },
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: null, refusal: null });
  });

  it('splits arguments into the requested number of pieces and streams text first', async () => {
    const upstream = await startUpstream({
      defaultScript: replies.toolCalls([{ name: 'f', arguments: '{"a":1}' }], { splitArguments: 2, text: 'Let me check.' }),
    });
    const chunks = sseChunks(await (await postChat(upstream, chatRequest({ stream: true }))).text());
    const deltas = chunks.slice(1, -1).map((chunk) => chunk.choices[0]!.delta);
    expect(deltas).toEqual([
      { content: 'Let ' },
      { content: 'me ' },
      { content: 'check.' },
      { tool_calls: [{ index: 0, id: 'call_1_0', type: 'function', function: { name: 'f', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"a' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '":1}' } }] },
    ]);
  });

  it('answers a non-streaming request with message.tool_calls', async () => {
    const upstream = await startUpstream({ defaultScript: replies.toolCalls(calls) });
    const body = (await (await postChat(upstream, chatRequest())).json()) as { choices: unknown[] };
    expect(body.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: calls[0]!.arguments } },
          { id: 'call_1_1', type: 'function', function: { name: 'get_time', arguments: calls[1]!.arguments } },
        ],
      },
    });
  });
});

describe('OpenAI dialect: models', () => {
  it('lists the configured models', async () => {
    const upstream = await startUpstream({ models: [{ id: 'gpt-a' }, { id: 'gpt-b', ownedBy: 'mock-org' }] });
    const response = await fetch(`${upstream.url}/models`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      object: 'list',
      data: [
        { id: 'gpt-a', object: 'model', owned_by: 'openai' },
        { id: 'gpt-b', object: 'model', owned_by: 'mock-org' },
      ],
    });
  });

  it('lists the default model when none are configured', async () => {
    const upstream = await startUpstream({ model: 'gpt-only' });
    const body = (await (await fetch(`${upstream.url}/models`)).json()) as { data: { id: string }[] };
    expect(body.data.map((model) => model.id)).toEqual(['gpt-only']);
  });
});
