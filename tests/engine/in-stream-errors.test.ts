// Errors an upstream sends inside a 2xx answer are classified like HTTP ones: they keep the response's request id
// (for the support ticket) and get the provider's own refinement.
import { createAnthropic } from '@kit/anthropic';
import { createOpenAI } from '@kit/openai';
import { createQwen } from '@kit/qwen';
import { describe, expect, it } from 'vitest';
import { blockStart, delta, errorEvent, MODEL, messageStart, ping, sseBody } from '../../packages/anthropic/src/__fixtures__/anthropic-streams';

const sse = (chunks: unknown[]) => chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('');
const contentChunk = (text: string) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  model: 'qwen-plus',
  choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
});
const respondWith = (body: string, headers: Record<string, string>) =>
  (async () => new Response(body, { headers: { 'content-type': 'text/event-stream', ...headers } })) as unknown as typeof globalThis.fetch;

async function iterationError(stream: AsyncIterable<unknown>): Promise<{ code?: string; requestId?: string; message?: string }> {
  try {
    for await (const _event of stream) {
      // read to the end
    }
  } catch (error) {
    return error as { code?: string; requestId?: string };
  }
  throw new Error('the stream ended without its error');
}

describe('in-stream errors keep the request id and the provider refinement', () => {
  it("Qwen's data_inspection_failed after content is content_filter (not server_error) and carries x-request-id", async () => {
    // The error object DashScope's compatible mode sends for moderated output (seen in 666ghj/BettaFish#449 and #572:
    // `{'error': {'message': '… may contain inappropriate content …', 'type': 'data_inspection_failed', 'param': None,
    // 'code': 'data_inspection_failed'}, 'id': 'chatcmpl-…', 'request_id': '…'}`), here sent inside the stream.
    const inStream = {
      error: {
        message: 'Output data may contain inappropriate content. For details, see: https://help.aliyun.com/zh/model-studio/error-code#inappropriate-content',
        type: 'data_inspection_failed',
        param: null,
        code: 'data_inspection_failed',
      },
      id: 'chatcmpl-c2b25c93',
      request_id: 'c2b25c93-9684-4d7e-91df-793f0cdbef88',
    };
    const qwen = createQwen({ apiKey: 'test-key-qwen', fetch: respondWith(sse([contentChunk('Once upon'), inStream]), { 'x-request-id': 'c2b25c93-header' }) });
    const stream = await qwen.generateChatCompletion({ model: 'qwen-plus', prompt: 'Tell a story.' });
    const error = await iterationError(stream);
    expect(error.code).toBe('content_filter');
    expect(error.requestId).toBe('c2b25c93-header');
  });

  it('30 concurrent Qwen streams: each error carries its own response request id (nothing shared between attempts)', async () => {
    const inStream = { error: { message: 'Output data may contain inappropriate content.', type: 'data_inspection_failed', code: 'data_inspection_failed' } };
    let served = 0;
    const fetch = (async () => {
      served += 1;
      return new Response(sse([contentChunk('Once'), inStream]), { headers: { 'content-type': 'text/event-stream', 'x-request-id': `req-${served}` } });
    }) as unknown as typeof globalThis.fetch;
    const qwen = createQwen({ apiKey: 'test-key-qwen', fetch });
    const errors = await Promise.all(
      Array.from({ length: 30 }, async () => iterationError(await qwen.generateChatCompletion({ model: 'qwen-plus', prompt: 'Tell a story.' }))),
    );
    expect(errors.every((error) => error.code === 'content_filter')).toBe(true);
    expect(new Set(errors.map((error) => error.requestId)).size).toBe(30);
  });

  it('an OpenAI in-stream error before content fails the call with the request id of the response', async () => {
    const body = sse([{ error: { message: 'The server had an error processing your request.', type: 'server_error', code: null } }]);
    const openai = createOpenAI({ apiKey: 'test-key-openai', maxRetries: 0, fetch: respondWith(body, { 'x-request-id': 'req_abc123' }) });
    const error = (await openai.generateChatCompletion({ prompt: 'hi' }).catch((thrown: unknown) => thrown)) as { code: string; requestId: string };
    expect(error.code).toBe('server_error');
    expect(error.requestId).toBe('req_abc123');
  });

  it("an Anthropic `event: error` mid-stream carries the response's request-id header", async () => {
    const events = [
      messageStart(),
      ping,
      blockStart(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'Hello' }),
      errorEvent('overloaded_error', 'Overloaded'),
    ];
    const anthropic = createAnthropic({ apiKey: 'test-key-anthropic', fetch: respondWith(sseBody(events), { 'request-id': 'req_011CSHoEeqs5C35K2UUqR7Fy' }) });
    const stream = await anthropic.generateChatCompletion({ model: MODEL, prompt: 'hi' });
    const error = await iterationError(stream);
    expect(error.code).toBe('server_error');
    expect(error.requestId).toBe('req_011CSHoEeqs5C35K2UUqR7Fy');
  });
});
