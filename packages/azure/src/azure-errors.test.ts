// Azure OpenAI's error answers, classified through the provider (status, body, headers as Azure sends them).
import { KitError, type KitErrorCode } from '@kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorCorpus } from '../../core/src/__fixtures__/error-corpus';
import { createAzure } from './azure-provider';

interface Fixture {
  name: string;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Where the body was seen. */
  source: string;
  code: KitErrorCode;
  retryAfterMs?: number;
}

/** Azure's answers in core's error corpus (content filter, the S0 tier's token limits), classified through the provider. */
const fromCorpus: Fixture[] = errorCorpus
  .filter((entry) => entry.provider === 'azure')
  .map(({ id, status, headers, body, source, expected }) => ({
    name: id,
    status,
    headers: { ...headers },
    body,
    source,
    code: expected.code,
    retryAfterMs: expected.retryAfterMs,
  }));

/** Azure-only answers beside them. */
const azureOnly: Fixture[] = [
  {
    name: 'token rate limit with retry-after-ms (read before retry-after)',
    status: 429,
    headers: { 'retry-after': '7', 'retry-after-ms': '6500', 'x-ratelimit-remaining-tokens': '0' },
    body: {
      error: {
        code: '429',
        message:
          'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 7 seconds.',
      },
    },
    source: 'body: dotnetstudioai.com (Azure OpenAI 429 write-up); retry-after-ms: the header github.com/Azure/azure-openai-benchmark reads first',
    code: 'rate_limit',
    retryAfterMs: 6500,
  },
  {
    name: 'wrong key',
    status: 401,
    body: {
      error: {
        code: '401',
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      },
    },
    source: 'github.com/SciSharp/BotSharp issue #386',
    code: 'authentication',
  },
  {
    name: 'expired or wrong-audience Entra token (top-level statusCode/message)',
    status: 401,
    body: {
      statusCode: 401,
      message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
    },
    source: 'github.com/Azure-Samples/azure-search-openai-demo issue #458',
    code: 'authentication',
  },
  {
    name: 'identity without a role on the resource, sent as 401: permission, not a token to refresh',
    status: 401,
    body: { error: { code: 'PermissionDenied', message: 'Principal does not have access to API/Operation.' } },
    source: 'github.com/Azure-Samples/azure-ai-studio-secure-bicep pull #17',
    code: 'permission',
  },
  {
    name: 'no such deployment',
    status: 404,
    body: {
      error: {
        code: 'DeploymentNotFound',
        message:
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      },
    },
    source: 'github.com/chatboxai/chatbox issue #861',
    code: 'not_found',
  },
];

const fixtures = [...fromCorpus, ...azureOnly];

afterEach(() => {
  vi.useRealTimers();
});

describe('Azure error bodies', () => {
  it.each(fixtures)('$name → $code', async ({ status, headers, body, code, retryAfterMs }) => {
    const fetch: typeof globalThis.fetch = async () => Response.json(body, { status, headers: headers ?? {} });
    const error = await createAzure({ resourceName: 'r', apiKey: 'test-key-azure-1', fetch, maxRetries: 0 })
      .complete({ model: 'd', prompt: 'Hi' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(KitError);
    expect(error).toMatchObject({ code, status });
    if (retryAfterMs !== undefined) expect((error as KitError).retryAfterMs).toBe(retryAfterMs);
  });

  it('a content-filter refusal is final: one request, no retry, no other credential tried', async () => {
    const filtered = fixtures.find((fixture) => fixture.name === 'azure-400-content-filter');
    let requests = 0;
    const fetch: typeof globalThis.fetch = async () => {
      requests += 1;
      return Response.json(filtered?.body, { status: 400 });
    };
    const error = await createAzure({ resourceName: 'r', apiKey: 'test-key-azure-1', fetch, maxRetries: 2 })
      .complete({ model: 'd', prompt: 'Hi' })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'content_filter', retryable: false });
    expect(requests).toBe(1);
  });

  it('retry-after-ms is honoured: the retry of a single key waits exactly that long', async () => {
    vi.useFakeTimers();
    const sentAt: number[] = [];
    const fetch: typeof globalThis.fetch = async () => {
      sentAt.push(Date.now());
      return sentAt.length === 1
        ? Response.json(
            { error: { code: '429', message: 'Requests … have exceeded token rate limit. Please retry after 2 seconds.' } },
            {
              status: 429,
              headers: { 'retry-after': '2', 'retry-after-ms': '1500' },
            },
          )
        : Response.json({ id: 'c', model: 'd', choices: [{ index: 0, message: { role: 'assistant', content: 'later' }, finish_reason: 'stop' }] });
    };
    const answer = createAzure({ resourceName: 'r', apiKey: 'test-key-azure-1', fetch, maxRetries: 1 }).complete({ model: 'd', prompt: 'Hi' });
    await vi.advanceTimersByTimeAsync(1499);
    expect(sentAt).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await answer).text).toBe('later');
    expect(sentAt).toHaveLength(2);
    expect((sentAt[1] as number) - (sentAt[0] as number)).toBe(1500);
  });
});
