// Runs in the edge-runtime project too: the adapter's wire code uses web-standard APIs only.
import type { StreamEvent } from '@kit/core';
import { resolveGenerateOptions, sseFraming } from '@kit/core/provider-utils';
import { describe, expect, it } from 'vitest';
import { parallelTools, sseBody, thinkingThenText } from './__fixtures__/anthropic-streams';
import { buildAnthropicRequest } from './anthropic-request';
import { createAnthropicStreamMapper } from './anthropic-stream-mapper';

const context = { provider: 'anthropic', model: 'claude-sonnet-5-5', stream: true, credential: { id: 'key-1', kind: 'api-key' as const } };

/** Feeds an SSE body through core's framing in small pieces, as a network would deliver it. */
function mapBody(body: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  const mapper = createAnthropicStreamMapper(context);
  const framing = sseFraming((chunk) => mapper.push(chunk, (event) => events.push(event)));
  for (let at = 0; at < body.length; at += 7) framing.feed(body.slice(at, at + 7));
  framing.end();
  mapper.end((event) => events.push(event));
  return events;
}

describe('@kit/anthropic on an edge runtime', () => {
  it('maps SSE bytes split anywhere: tool calls and thinking', () => {
    const tools = mapBody(sseBody(parallelTools)).filter((event) => event.type === 'tool-call');
    expect(tools.map((event) => event.type === 'tool-call' && event.toolCall.arguments)).toEqual(['{"city": "Paris"}', '{"city": "Rome"}']);
    const thinking = mapBody(sseBody(thinkingThenText));
    expect(
      thinking
        .filter((event) => event.type === 'reasoning-delta')
        .map((event) => event.type === 'reasoning-delta' && event.text)
        .join(''),
    ).toBe('The user wants 2+2. That is 4.');
  });

  it('builds a request', () => {
    const options = resolveGenerateOptions(
      { prompt: 'Hi', system: 'Be brief.' },
      { provider: 'anthropic', defaultModel: 'claude-haiku-4-5', defaultStream: true },
    );
    expect(buildAnthropicRequest(options, 'anthropic').body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 64_000,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
  });
});
