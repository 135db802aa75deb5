import { describe, expect, it } from 'vitest';
import { azureFaults } from './azure-dialect';
import { startUpstream, sseData } from './test-helpers';
import { replies } from './upstream-script';

const key = 'test-key-azure-1';
const credentials = [{ id: 'eastus', secret: key }];

function post(url: string, body: unknown, headers: Record<string, string> = { 'api-key': key }): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

const chat = (extra: Record<string, unknown> = {}) => ({ model: 'my-deployment', messages: [{ role: 'user', content: 'Hello there' }], ...extra });

describe('azure dialect', () => {
  it('serves the v1 API and the deployment path (with api-version), the key in api-key, the deployment echoed as model', async () => {
    const upstream = await startUpstream({ dialect: 'azure', credentials, defaultScript: replies.text('Hi back') });
    const v1 = await post(`${upstream.url}/v1/chat/completions`, chat());
    const deployment = await post(`${upstream.url}/deployments/gpt-4o-eu/chat/completions?api-version=2024-10-21`, chat({ model: undefined }));
    const v1Body = (await v1.json()) as {
      model: string;
      choices: { message: { content: string }; content_filter_results: unknown }[];
      prompt_filter_results: unknown[];
    };
    const deploymentBody = (await deployment.json()) as { model: string };
    expect([v1.status, deployment.status]).toEqual([200, 200]);
    expect(v1Body).toMatchObject({
      model: 'my-deployment',
      choices: [{ message: { content: 'Hi back' }, content_filter_results: { hate: { filtered: false } } }],
    });
    expect(v1Body.prompt_filter_results).toHaveLength(1);
    expect(deploymentBody.model).toBe('gpt-4o-eu');
    expect(upstream.requests.map((request) => [request.path, request.credentialId, request.headers['api-key']])).toEqual([
      ['/openai/v1/chat/completions', 'eastus', '***'],
      ['/openai/deployments/gpt-4o-eu/chat/completions?api-version=2024-10-21', 'eastus', '***'],
    ]);
  });

  it('streams open with the prompt-filter chunk (id ""), and each content chunk carries content_filter_results', async () => {
    const upstream = await startUpstream({ dialect: 'azure', credentials, defaultScript: replies.text('one two') });
    const response = await post(`${upstream.url}/v1/chat/completions`, chat({ stream: true, stream_options: { include_usage: true } }));
    const data = sseData(await response.text());
    const [first, ...rest] = data.slice(0, -1).map((payload) => JSON.parse(payload) as Record<string, unknown>);
    expect(first).toMatchObject({ id: '', model: '', choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
    const texts = rest.filter((chunk) => (chunk.choices as { delta?: { content?: string } }[])[0]?.delta?.content);
    expect(texts.length).toBeGreaterThan(0);
    for (const chunk of texts) expect(chunk).toMatchObject({ choices: [{ content_filter_results: { violence: { filtered: false } } }] });
    expect(data.at(-1)).toBe('[DONE]');
  });

  it("a key that is not configured gets Azure's 401; no key at all the missing-key 401", async () => {
    const upstream = await startUpstream({ dialect: 'azure', credentials });
    const wrong = await post(`${upstream.url}/v1/chat/completions`, chat(), { 'api-key': 'test-key-wrong' });
    const missing = await post(`${upstream.url}/v1/chat/completions`, chat(), {});
    expect([wrong.status, missing.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual({ error: { code: '401', message: expect.stringContaining('invalid subscription key or wrong API endpoint') } });
    expect(await missing.json()).toEqual({ error: { code: '401', message: expect.stringContaining('missing subscription key') } });
  });

  it('refuses a request with both api-key and Authorization, and a deployment path without api-version (404 Resource not found)', async () => {
    const upstream = await startUpstream({ dialect: 'azure', credentials });
    const both = await post(`${upstream.url}/v1/chat/completions`, chat(), { 'api-key': key, authorization: `Bearer ${key}` });
    const unversioned = await post(`${upstream.url}/deployments/d/chat/completions`, chat());
    expect(both.status).toBe(400);
    expect(unversioned.status).toBe(404);
    expect(await unversioned.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
  });

  it('a Bearer token is read as the credential too (Entra ID)', async () => {
    const upstream = await startUpstream({ dialect: 'azure', credentials: [{ id: 'entra', secret: 'test-entra-token-1' }] });
    const response = await post(`${upstream.url}/v1/chat/completions`, chat(), { authorization: 'Bearer test-entra-token-1' });
    expect(response.status).toBe(200);
    expect(upstream.requests[0]?.credentialId).toBe('entra');
  });

  it('azureFaults: content filter, token rate limit with retry-after and retry-after-ms, PermissionDenied, DeploymentNotFound', async () => {
    const upstream = await startUpstream({
      dialect: 'azure',
      defaultScript: [azureFaults.contentFilter('jailbreak'), azureFaults.tokenRateLimit(6), azureFaults.permissionDenied(), azureFaults.deploymentNotFound()],
    });
    const answers = [];
    for (let n = 0; n < 4; n += 1) {
      const response = await post(`${upstream.url}/v1/chat/completions`, chat());
      answers.push({
        status: response.status,
        retry: [response.headers.get('retry-after'), response.headers.get('retry-after-ms')],
        body: await response.json(),
      });
    }
    expect(answers[0]).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'content_filter',
          innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { jailbreak: { filtered: true, detected: true } } },
        },
      },
    });
    expect(answers[1]).toMatchObject({
      status: 429,
      retry: ['6', '6000'],
      body: { error: { code: '429', message: expect.stringContaining('Please retry after 6 seconds') } },
    });
    expect(answers[2]).toMatchObject({ status: 401, body: { error: { code: 'PermissionDenied' } } });
    expect(answers[3]).toMatchObject({ status: 404, body: { error: { code: 'DeploymentNotFound' } } });
  });

  it('lists models at /openai/v1/models and /openai/models?api-version=…', async () => {
    const upstream = await startUpstream({ dialect: 'azure', models: [{ id: 'gpt-4o' }] });
    const v1 = await fetch(`${upstream.url}/v1/models`);
    const versioned = await fetch(`${upstream.url}/models?api-version=2024-10-21`);
    expect(await v1.json()).toMatchObject({ data: [{ id: 'gpt-4o' }] });
    expect(versioned.status).toBe(200);
  });
});
