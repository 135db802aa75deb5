import { KitError, type CredentialLease, type CredentialSource } from '@kit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAzure } from './azure-provider';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Record<string, unknown> | undefined;
}

/** A fetch that records each request and answers with `answer` (default: a one-word chat completion). */
function recordingFetch(answer: (request: Sent) => Response = () => Response.json(completion('ok'))) {
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const entry = { url: request.url, method: request.method, headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    sent.push(entry);
    return answer(entry);
  };
  return { fetch, sent };
}

function completion(text: string, finishReason = 'stop') {
  return {
    id: 'chatcmpl-azure-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  };
}

/** A source handing out one Entra-style OAuth lease (what an `OAuthManager` of Entra credentials hands out). */
function oauthSource(lease: Omit<CredentialLease, 'kind'>): CredentialSource {
  return { acquire: async () => ({ ...lease, kind: 'oauth' }), reportSuccess: () => {}, reportFailure: () => {} };
}

const sse = (chunks: unknown[]) =>
  new Response(`${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`, { headers: { 'content-type': 'text/event-stream' } });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createAzure: URL shapes', () => {
  it('v1 API by default: /openai/v1/chat/completions on the resource, the deployment as `model` in the body', async () => {
    const { fetch, sent } = recordingFetch();
    const azure = createAzure({ resourceName: 'my-eastus', apiKey: 'test-key-azure-1', fetch });
    await azure.complete({ model: 'my-gpt-4o', prompt: 'Hi' });
    expect(sent[0]?.url).toBe('https://my-eastus.openai.azure.com/openai/v1/chat/completions');
    expect(sent[0]?.body).toMatchObject({ model: 'my-gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('with apiVersion: /openai/deployments/{deployment}/chat/completions?api-version=…, the deployment name encoded', async () => {
    const { fetch, sent } = recordingFetch();
    const azure = createAzure({ resourceName: 'my-eastus', apiVersion: '2024-10-21', apiKey: 'test-key-azure-1', fetch });
    await azure.complete({ model: 'gpt 4o/eu', prompt: 'Hi' });
    expect(sent[0]?.url).toBe('https://my-eastus.openai.azure.com/openai/deployments/gpt%204o%2Feu/chat/completions?api-version=2024-10-21');
  });

  it('model lists: /openai/v1/models, or /openai/models?api-version=… with an apiVersion', async () => {
    const list = () => Response.json({ object: 'list', data: [{ id: 'gpt-4o', object: 'model' }] });
    const v1 = recordingFetch(list);
    await createAzure({ resourceName: 'res', apiKey: 'test-key-azure-1', fetch: v1.fetch }).getModels();
    const versioned = recordingFetch(list);
    await createAzure({ resourceName: 'res', apiVersion: '2024-10-21', apiKey: 'test-key-azure-1', fetch: versioned.fetch }).healthCheck();
    expect(v1.sent[0]?.url).toBe('https://res.openai.azure.com/openai/v1/models');
    expect(versioned.sent[0]?.url).toBe('https://res.openai.azure.com/openai/models?api-version=2024-10-21');
  });

  it('baseURL (a gateway) is used up to /openai as given', async () => {
    const { fetch, sent } = recordingFetch();
    await createAzure({ baseURL: 'https://gateway.example.com/eu/openai/', apiKey: 'test-key-azure-1', fetch }).complete({ model: 'd', prompt: 'Hi' });
    expect(sent[0]?.url).toBe('https://gateway.example.com/eu/openai/v1/chat/completions');
  });

  it('without resourceName or baseURL: AZURE_OPENAI_ENDPOINT at request time (as the openai SDK reads it), /openai appended', async () => {
    vi.stubEnv('AZURE_OPENAI_ENDPOINT', 'https://from-env.openai.azure.com/');
    vi.stubEnv('AZURE_OPENAI_API_KEY', 'test-key-from-env');
    const { fetch, sent } = recordingFetch();
    await createAzure({ fetch }).complete({ model: 'd', prompt: 'Hi' });
    expect(sent[0]?.url).toBe('https://from-env.openai.azure.com/openai/v1/chat/completions');
    expect(sent[0]?.headers['api-key']).toBe('test-key-from-env');
  });

  it("a credential's own resource wins over the provider's (a pool across regions)", async () => {
    const { fetch, sent } = recordingFetch();
    const byName = createAzure({
      resourceName: 'default-res',
      credentials: oauthSource({ id: 'west', secret: 'test-entra-token-1', baseURL: 'my-westeurope' }),
      fetch,
    });
    await byName.complete({ model: 'd', prompt: 'Hi' });
    const byURL = createAzure({ credentials: oauthSource({ id: 'gw', secret: 'test-entra-token-2', baseURL: 'https://gw.example.com/openai' }), fetch });
    await byURL.complete({ model: 'd', prompt: 'Hi' });
    expect(sent.map((request) => request.url)).toEqual([
      'https://my-westeurope.openai.azure.com/openai/v1/chat/completions',
      'https://gw.example.com/openai/v1/chat/completions',
    ]);
  });

  it('no resource anywhere: invalid_config naming resourceName, no request sent', async () => {
    vi.stubEnv('AZURE_OPENAI_ENDPOINT', '');
    const { fetch, sent } = recordingFetch();
    const error = await createAzure({ apiKey: 'test-key-azure-1', fetch })
      .complete({ model: 'd', prompt: 'Hi' })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('resourceName: azure has no resource') });
    expect(sent).toHaveLength(0);
  });

  it('maxTokens: max_completion_tokens on v1 and recent api-versions, max_tokens on api-versions before 2024-09-01', async () => {
    const fields: string[][] = [];
    for (const apiVersion of [undefined, '2024-10-21', '2025-04-01-preview', '2024-09-01-preview', '2024-08-01-preview', '2024-02-01']) {
      const { fetch, sent } = recordingFetch();
      await createAzure({ resourceName: 'r', apiKey: 'test-key-azure-1', fetch, ...(apiVersion ? { apiVersion } : {}) }).complete({
        model: 'd',
        prompt: 'Hi',
        maxTokens: 5,
      });
      fields.push(Object.keys(sent[0]?.body ?? {}).filter((name) => name.startsWith('max_')));
    }
    expect(fields).toEqual([
      ['max_completion_tokens'],
      ['max_completion_tokens'],
      ['max_completion_tokens'],
      ['max_completion_tokens'],
      ['max_tokens'],
      ['max_tokens'],
    ]);
  });

  it('streams: stream_options only on api-versions that know it (older ones answer 400 "Unrecognized request argument")', async () => {
    // A 2024-02-01 deployment streams no usage chunk; the call still finishes, with zero tokens.
    const answer = () =>
      sse([
        {
          id: 'c',
          object: 'chat.completion.chunk',
          model: 'gpt-4o',
          choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }],
        },
        { id: 'c', object: 'chat.completion.chunk', model: 'gpt-4o', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      ]);
    const versions = [undefined, '2024-10-21', '2024-09-01-preview', '2024-08-01-preview', '2024-02-01', '2023-05-15'];
    const bodies = await Promise.all(
      versions.map(async (apiVersion) => {
        const { fetch, sent } = recordingFetch(answer);
        const azure = createAzure({ resourceName: 'r', apiKey: 'test-key-azure-1', fetch, ...(apiVersion ? { apiVersion } : {}) });
        const completion = await azure.complete({ model: 'd', prompt: 'Hi', stream: true });
        expect(completion.text).toBe('ok');
        return sent[0]?.body ?? {};
      }),
    );
    expect(bodies.map((body) => body.stream_options ?? null)).toEqual([
      { include_usage: true },
      { include_usage: true },
      { include_usage: true },
      null,
      null,
      null,
    ]);
    expect(bodies.every((body) => body.stream === true)).toBe(true);
  });
});

describe('createAzure: credential headers', () => {
  it('an API key goes in `api-key` only: no Authorization header', async () => {
    const { fetch, sent } = recordingFetch();
    await createAzure({ resourceName: 'r', apiKey: 'test-key-azure-1', fetch }).complete({ model: 'd', prompt: 'Hi' });
    const headers = sent[0]?.headers ?? {};
    expect(headers['api-key']).toBe('test-key-azure-1');
    expect(headers).not.toHaveProperty('authorization');
  });

  it('an Entra ID token goes in `Authorization: Bearer` only: no api-key header', async () => {
    const { fetch, sent } = recordingFetch();
    await createAzure({ resourceName: 'r', credentials: oauthSource({ id: 'sp', secret: 'test-entra-token-1' }), fetch }).complete({
      model: 'd',
      prompt: 'Hi',
    });
    const headers = sent[0]?.headers ?? {};
    expect(headers.authorization).toBe('Bearer test-entra-token-1');
    expect(headers).not.toHaveProperty('api-key');
  });

  it.each(['api-key', 'Api-Key', 'Authorization', 'authorization'])(
    'a `%s` entry in the headers setting is refused: invalid_config naming it, never its value',
    (name) => {
      let error: unknown;
      try {
        createAzure({ resourceName: 'r', apiKey: 'test-key-azure-1', headers: { [name]: 'Bearer test-user-header-secret' } });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(KitError);
      expect(error).toMatchObject({
        code: 'invalid_config',
        message: `invalid azure settings: headers.${name}: is the credential's header: pass apiKey or credentials instead`,
      });
      expect(JSON.stringify(error) + String(error)).not.toContain('test-user-header-secret');
    },
  );

  it('a call whose headers carry api-key or Authorization is refused before any request (streaming and not)', async () => {
    const { fetch, sent } = recordingFetch();
    const azure = createAzure({ resourceName: 'r', credentials: oauthSource({ id: 'sp', secret: 'test-entra-token-1' }), fetch });
    const viaStream = await azure
      .generateChatCompletion({ model: 'd', prompt: 'Hi', headers: { 'api-key': 'test-key-smuggled' } })
      .catch((error: unknown) => error);
    const viaComplete = await azure.complete({ model: 'd', prompt: 'Hi', headers: { Authorization: 'Bearer test-smuggled' } }).catch((error: unknown) => error);
    expect(viaStream).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('headers.api-key') });
    expect(viaComplete).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('headers.Authorization') });
    expect(String((viaStream as Error).message) + String((viaComplete as Error).message)).not.toContain('smuggled');
    expect(sent).toHaveLength(0);
  });

  it('other user headers are sent beside the credential header, one value each', async () => {
    const { fetch, sent } = recordingFetch();
    await createAzure({ resourceName: 'r', apiKey: 'test-key-azure-1', headers: { 'x-ms-useragent': 'app/1' }, fetch }).complete({
      model: 'd',
      prompt: 'Hi',
      headers: { 'X-Ms-Useragent': 'app/2' },
    });
    expect(sent[0]?.headers).toMatchObject({ 'api-key': 'test-key-azure-1', 'x-ms-useragent': 'app/2' });
  });

  it('with no key configured the error names AZURE_OPENAI_API_KEY', async () => {
    vi.stubEnv('AZURE_OPENAI_API_KEY', '');
    const error = await createAzure({ resourceName: 'r', fetch: recordingFetch().fetch })
      .complete({ model: 'd', prompt: 'Hi' })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('AZURE_OPENAI_API_KEY') });
  });
});

describe('createAzure: settings validation', () => {
  const configError = (settings: Parameters<typeof createAzure>[0]) => {
    try {
      createAzure(settings);
    } catch (error) {
      return error as KitError;
    }
    throw new Error('expected an error');
  };

  it('each bad setting is an invalid_config error naming it', () => {
    expect(configError({ resourceName: 'https://my.openai.azure.com' }).message).toContain('resourceName: must be an Azure resource name');
    expect(configError({ resourceName: 'r', baseURL: 'https://r.openai.azure.com/openai' }).message).toContain(
      'resourceName: give either resourceName or baseURL',
    );
    expect(configError({ baseURL: 'https://r.openai.azure.com/openai/v1' }).message).toContain('baseURL: give the URL up to /openai');
    expect(configError({ baseURL: 'https://r.openai.azure.com/openai/deployments/d' }).message).toContain('baseURL: give the URL up to /openai');
    expect(configError({ apiVersion: '2024-10-21&x=1' }).message).toContain("apiVersion: must be an api-version such as '2024-10-21'");
    expect(configError({ deployment: 'd' } as never).message).toContain('deployment');
    expect(configError({ resourceName: 'r', apiVersion: '' }).code).toBe('invalid_config');
  });
});

describe('createAzure: answers', () => {
  it('reads Azure\'s stream: the prompt-filter chunk with id "" first, annotations on every chunk, a content-filter finish', async () => {
    // Shapes as recorded in github.com/AbanteAI/archive-old-cli-mentat issue #429 (first chunk) and
    // github.com/langchain4j/langchain4j issue #2385 (annotated content chunks).
    const safe = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' } };
    const { fetch } = recordingFetch(() =>
      sse([
        { id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: safe }] },
        {
          id: 'chatcmpl-AnhIt2rw8vL8czymkCwEOKKTg7HPc',
          object: 'chat.completion.chunk',
          created: 1_736_407_895,
          model: 'gpt-4o-mini-2024-07-18',
          choices: [{ index: 0, delta: { role: 'assistant', content: 'Part' }, finish_reason: null, content_filter_results: safe }],
        },
        {
          id: 'chatcmpl-AnhIt2rw8vL8czymkCwEOKKTg7HPc',
          object: 'chat.completion.chunk',
          created: 1_736_407_895,
          model: 'gpt-4o-mini-2024-07-18',
          choices: [
            { index: 0, delta: {}, finish_reason: 'content_filter', content_filter_results: { ...safe, violence: { filtered: true, severity: 'medium' } } },
          ],
        },
      ]),
    );
    const stream = await createAzure({ resourceName: 'r', apiKey: 'test-key-azure-1', fetch }).generateChatCompletion({ model: 'd', prompt: 'Hi' });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events[0]).toMatchObject({ type: 'start', id: 'chatcmpl-AnhIt2rw8vL8czymkCwEOKKTg7HPc', model: 'gpt-4o-mini-2024-07-18' });
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', text: 'Part' }]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'content-filter' });
  });
});
