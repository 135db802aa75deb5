import { afterEach, describe, expect, it } from 'vitest';
import { createMockUpstream, type MockUpstream } from './mock-upstream';
import { replies } from './upstream-script';

const path = (project: string, location: string, model: string, method: string) =>
  `/projects/${project}/locations/${location}/publishers/google/models/${model}:${method}`;
const body = { contents: [{ role: 'user', parts: [{ text: 'Hi there' }] }] };
const post = (url: string, headers: Record<string, string>, json: unknown = body) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(json) });

describe("createMockUpstream({ dialect: 'vertex' })", () => {
  let upstream: MockUpstream | undefined;
  afterEach(() => upstream?.close());

  it('serves the Gemini wire under the Vertex path: JSON, SSE (alt=sse) and countTokens; url ends in /v1', async () => {
    upstream = await createMockUpstream({ dialect: 'vertex', defaultScript: replies.text('Hello from Vertex') });
    expect(upstream.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const auth = { authorization: 'Bearer test-access-token-1' };
    const json = await post(upstream.url + path('p-1', 'us-central1', 'gemini-2.5-flash', 'generateContent'), auth);
    const answer = (await json.json()) as { candidates: { content: { parts: { text: string }[] } }[]; modelVersion: string };
    expect(answer.candidates[0]?.content.parts[0]?.text).toBe('Hello from Vertex');
    expect(answer.modelVersion).toBe('gemini-2.5-flash');
    const stream = await post(`${upstream.url}${path('p-1', 'global', 'gemini-2.5-pro', 'streamGenerateContent')}?alt=sse`, auth);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await stream.text()).toContain('"modelVersion":"gemini-2.5-pro"');
    const count = await post(upstream.url + path('p-1', 'global', 'gemini-2.5-pro', 'countTokens'), auth);
    expect(await count.json()).toMatchObject({ totalTokens: expect.any(Number) });
    expect(upstream.requests.map((request) => request.path)).toEqual([
      '/v1/projects/p-1/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent',
      '/v1/projects/p-1/locations/global/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
      '/v1/projects/p-1/locations/global/publishers/google/models/gemini-2.5-pro:countTokens',
    ]);
  });

  it('refuses API keys (401), a system role inside contents (400), unknown paths (404)', async () => {
    upstream = await createMockUpstream({ dialect: 'vertex' });
    const url = upstream.url + path('p-1', 'us-central1', 'gemini-2.5-flash', 'generateContent');
    const keyed = await post(url, { 'x-goog-api-key': 'test-key-1' });
    expect([keyed.status, ((await keyed.json()) as { error: { status: string } }).error.status]).toEqual([401, 'UNAUTHENTICATED']);
    const system = await post(url, { authorization: 'Bearer test-access-token-1' }, { contents: [{ role: 'system', parts: [{ text: 'Be terse' }] }] });
    expect([system.status, ((await system.json()) as { error: { message: string } }).error.message]).toEqual([
      400,
      'Content with system role is not supported.',
    ]);
    const models = await fetch(`${upstream.url}/models`, { headers: { authorization: 'Bearer test-access-token-1' } });
    expect(models.status).toBe(404);
  });

  it("a configured credential calling into another project gets Vertex's 403 IAM_PERMISSION_DENIED", async () => {
    upstream = await createMockUpstream({ dialect: 'vertex', credentials: [{ id: 'sa-1', secret: 'test-access-token-1', project: 'own-project' }] });
    const auth = { authorization: 'Bearer test-access-token-1' };
    expect((await post(upstream.url + path('own-project', 'us-central1', 'gemini-2.5-flash', 'generateContent'), auth)).status).toBe(200);
    const other = await post(upstream.url + path('other-project', 'us-central1', 'gemini-2.5-flash', 'generateContent'), auth);
    const refusal = (await other.json()) as { error: { code: number; message: string; details: { reason: string }[] } };
    expect(other.status).toBe(403);
    expect(refusal.error.message).toMatch(
      /^Permission 'aiplatform\.endpoints\.predict' denied on resource '\/\/aiplatform\.googleapis\.com\/projects\/other-project\//,
    );
    expect(refusal.error.details[0]?.reason).toBe('IAM_PERMISSION_DENIED');
  });
});
