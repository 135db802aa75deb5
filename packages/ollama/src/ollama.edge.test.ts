// Runs in the edge-runtime project too: the adapter's wire code uses web-standard APIs only.
import type { StreamEvent } from '@kit/core';
import { ndjsonFraming, resolveGenerateOptions } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { ndjson, thinkingThenToolCall } from './__fixtures__/ollama-chat';
import { singleEmbedding } from './__fixtures__/ollama-embed';
import { createOllama } from './ollama-provider';
import { buildOllamaRequest } from './ollama-request';
import { createOllamaStreamMapper } from './ollama-stream-mapper';

const context = { provider: 'ollama', model: 'qwen3', stream: true, credential: { id: 'default', kind: 'api-key' as const } };

describe('@kit/ollama on an edge runtime', () => {
  it('maps NDJSON bytes split anywhere: thinking and a tool call', () => {
    const events: StreamEvent[] = [];
    const mapper = createOllamaStreamMapper(context);
    const framing = ndjsonFraming((chunk) => mapper.push(chunk, (event) => events.push(event)));
    const body = ndjson(thinkingThenToolCall);
    for (let at = 0; at < body.length; at += 7) framing.feed(body.slice(at, at + 7));
    framing.end();
    mapper.end((event) => events.push(event));
    expect(events.map((event) => event.type)).toEqual(['start', 'reasoning-delta', 'reasoning-delta', 'tool-call-delta', 'tool-call', 'finish']);
  });

  it('builds a request', () => {
    const options = resolveGenerateOptions({ prompt: 'Hi', maxTokens: 10 }, { provider: 'ollama', defaultModel: 'qwen3', defaultStream: true });
    expect(buildOllamaRequest(options, 'ollama')).toEqual({
      model: 'qwen3',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      options: { num_predict: 10 },
    });
  });

  it('embeds through a custom fetch', async () => {
    const bodies: unknown[] = [];
    const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)));
      return Response.json(singleEmbedding);
    };
    const result = await createOllama({ fetch }).embed({ model: 'embeddinggemma', input: 'Why is the sky blue?', dimensions: 10 });
    expect(bodies).toEqual([{ model: 'embeddinggemma', input: 'Why is the sky blue?', dimensions: 10 }]);
    expect(result).toMatchObject({ model: 'embeddinggemma', embeddings: singleEmbedding.embeddings, usage: { inputTokens: 8 } });
  });
});
