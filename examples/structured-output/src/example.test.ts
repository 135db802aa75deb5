import { KeyManager } from '@kit/keymanager';
import { createOpenAI } from '@kit/openai';
import { describe, expect, it } from 'vitest';
import { runExample } from './example';
import { localKeys, startLocalUpstream, startSloppyUpstream } from './local-upstream';
import { runMain } from './run';

type WireBody = {
  messages: { role: string; content: string | null; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; parameters: Record<string, unknown> } }[];
  response_format?: { type: string; json_schema: { name: string; strict?: boolean; schema: Record<string, unknown> } };
};

describe('structured-output (default mode: local upstreams)', () => {
  it('prints the typed object, the mismatch error with its path, the tool input and a pool that succeeded, and no key', async () => {
    let output = '';
    const allAsExpected = await runMain({}, (text) => (output += text));

    expect(output).toContain('object: Lisbon, Portugal: 3 days (72 hours)');
    expect(output).toContain('object:   3. Pastéis de Belém');
    expect(output).toContain('object: validated by tripSchema, answered by key-good');

    expect(output).toContain(
      'mismatch: KitError invalid_response: the answer does not match responseFormat.schema: object.days: Invalid input: expected number, received string',
    );

    expect(output).toContain('tools: the model calls get_weather({"city":"Lisbon","days":"two"})');
    expect(output).toContain('tools:   refused by the schema, sent back to the model: input.days: Invalid input: expected number, received string');
    expect(output).toContain('tools:   input: city=Lisbon days=2 unit=celsius');
    expect(output).toContain('tools: the model answers: Lisbon: 21 °C and sunny today, 19 °C and cloudy tomorrow.');

    expect(output).toMatch(/key-revoked +unhealthy, benched +requests=1 successes=0 failures=1 last error=authentication/);
    expect(output).toMatch(/key-good +healthy, available +requests=4 successes=4 failures=0\n/);
    expect(output).toContain('3/3 steps went as expected.');
    expect(output).not.toContain('FAILED');
    expect(allAsExpected).toBe(true);
    for (const secret of Object.values(localKeys)) expect(output).not.toContain(secret);
  });

  it('sends the zod schemas as closed JSON Schema, tries the revoked key first, and sends the refusal back as the tool result', async () => {
    const upstream = await startLocalUpstream();
    const sloppyUpstream = await startSloppyUpstream();
    try {
      const keys = new KeyManager('openai', [
        { id: 'key-revoked', key: localKeys.revoked },
        { id: 'key-good', key: localKeys.good },
      ]);
      const openai = createOpenAI({ credentials: keys, baseURL: upstream.url });
      const sloppy = createOpenAI({ apiKey: localKeys.sloppy, baseURL: sloppyUpstream.url });
      await runExample({ openai, keys, sloppy, write: () => {} });

      const requests = upstream.requests;
      const bodyOf = (index: number) => requests[index]?.body as WireBody | undefined;
      expect(requests.map((request) => request.credentialId)).toEqual(['revoked', 'good', 'good', 'good', 'good']);

      const trip = bodyOf(1)?.response_format;
      expect(trip).toMatchObject({ type: 'json_schema', json_schema: { name: 'trip', strict: true } });
      expect(trip?.json_schema.schema).toMatchObject({
        type: 'object',
        required: ['city', 'country', 'days', 'highlights'],
        additionalProperties: false,
        properties: { days: { type: 'integer' }, highlights: { type: 'array', items: { type: 'string' } } },
      });

      const tool = bodyOf(2)?.tools?.[0];
      expect(tool?.function.name).toBe('get_weather');
      // `unit` has a default: the model may leave it out.
      expect(tool?.function.parameters).toMatchObject({ type: 'object', required: ['city', 'days'], additionalProperties: false });
      expect(tool?.function.parameters.properties).toHaveProperty('unit');

      const refusal = bodyOf(3)?.messages.at(-1);
      expect(refusal).toMatchObject({ role: 'tool', content: 'Invalid arguments: input.days: Invalid input: expected number, received string' });
      const result = bodyOf(4)?.messages.at(-1);
      expect(JSON.parse(result?.content ?? '')).toEqual({
        city: 'Lisbon',
        unit: 'celsius',
        days: [
          { day: 1, temperature: 21, sky: 'sunny' },
          { day: 2, temperature: 19, sky: 'cloudy' },
        ],
      });
      expect(sloppyUpstream.requests).toHaveLength(1);
    } finally {
      await upstream.close();
      await sloppyUpstream.close();
    }
  });
});
