import { createOpenAI } from '@kit/openai';
import { createMockUpstream, replies, type MockUpstream } from '@kit/testkit';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';

let upstream: MockUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

const weatherTool = { name: 'get_weather', description: 'Weather of a city', parameters: z.object({ city: z.string(), unit: z.enum(['c', 'f']) }) };

describe('schema-typed tools and structured output, end to end', () => {
  for (const stream of [true, false]) {
    it(`tool calls carry input validated by the zod parameters (${stream ? 'streaming' : 'non-streaming'})`, async () => {
      upstream = await createMockUpstream({
        dialect: 'openai',
        defaultScript: replies.toolCalls([
          { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
          { name: 'get_weather', arguments: '{"city":"Oslo","unit":"kelvin"}' },
        ]),
      });
      const openai = createOpenAI({ apiKey: 'test-key-abcdefghij', baseURL: upstream.url });
      const completion = await openai.complete({ prompt: 'weather?', tools: [weatherTool], stream });
      const [good, bad] = completion.toolCalls;
      expect(good).toMatchObject({ name: 'get_weather', input: { city: 'Paris', unit: 'c' } });
      expect(good?.inputError).toBeUndefined();
      expect(bad?.inputError?.message).toMatch(/input\.unit/);
      // The wire got JSON Schema, not zod internals.
      const sent = upstream.requests[0]?.body as { tools: { function: { parameters: unknown } }[] };
      expect(sent.tools[0]?.function.parameters).toMatchObject({ type: 'object', properties: { city: { type: 'string' } }, required: ['city', 'unit'] });
    });
  }

  it('responseFormat with a zod schema gives a typed, validated object', async () => {
    upstream = await createMockUpstream({ dialect: 'openai', defaultScript: replies.text('{"city":"Paris","population":2100000}', { chunks: 4 }) });
    const openai = createOpenAI({ apiKey: 'test-key-abcdefghij', baseURL: upstream.url });
    const completion = await openai.complete({
      prompt: 'a city',
      responseFormat: { type: 'json-schema', schema: z.object({ city: z.string(), population: z.number() }) },
    });
    expectTypeOf(completion.object).toEqualTypeOf<{ city: string; population: number }>();
    expect(completion.object).toEqual({ city: 'Paris', population: 2_100_000 });
    const streamed = await (await openai.generateChatCompletion({ prompt: 'a city', responseFormat: { type: 'json' } })).final();
    expect(streamed.object).toEqual({ city: 'Paris', population: 2_100_000 });
  });

  it('an answer that does not match the schema is invalid_response naming the failing path', async () => {
    upstream = await createMockUpstream({ dialect: 'openai', defaultScript: replies.text('{"city":42}') });
    const openai = createOpenAI({ apiKey: 'test-key-abcdefghij', baseURL: upstream.url });
    await expect(openai.complete({ prompt: 'a city', responseFormat: { type: 'json-schema', schema: z.object({ city: z.string() }) } })).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringMatching(/object\.city/),
    });
  });
});
