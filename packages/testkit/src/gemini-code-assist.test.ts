import { describe, expect, it } from 'vitest';
import { faults, replies } from './upstream-script';
import { startUpstream } from './test-helpers';
import type { MockUpstream, MockUpstreamOptions } from './mock-upstream';

/** A Google API error answer. */
interface ErrorBody {
  error: { code: number; message: string; status: string; details?: { reason?: string; [field: string]: unknown }[] };
}

/** What `loadCodeAssist` answers (the fields these tests read). */
interface LoadAnswer {
  cloudaicompanionProject?: string;
  currentTier?: { id: string };
  allowedTiers?: { id: string; isDefault?: boolean }[];
}

/** An `onboardUser` operation; once done, its response names the project. */
interface Operation {
  name: string;
  done: boolean;
  response?: { cloudaicompanionProject: { id: string } };
}

/** A generation answer: a `GenerateContentResponse` wrapped in `{ response }`. */
interface WrappedResponse {
  response: { candidates: { content: { parts: { text?: string; [field: string]: unknown }[] } }[] };
}

function start(options: Partial<MockUpstreamOptions> = {}): Promise<MockUpstream> {
  return startUpstream({ dialect: 'gemini', ...options });
}

function codeAssist(upstream: MockUpstream, method: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${upstream.origin}/v1internal:${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body: JSON.stringify(body),
  });
}

function envelope(project: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'gemini-2.5-pro',
    ...(project === undefined ? {} : { project }),
    request: { contents: [{ role: 'user', parts: [{ text: 'Say hello to the world' }] }] },
    ...extra,
  };
}

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

const loadBody = { metadata: { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' } };

describe('Gemini Code Assist: generation', () => {
  it('wraps answers in { response } and takes the model from the body', async () => {
    const upstream = await start({ credentials: [{ id: 'account-1', secret: 'test-token-1', project: 'project-one', script: replies.text('Hello there') }] });
    const response = await codeAssist(upstream, 'generateContent', envelope('project-one'), 'test-token-1');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      response: {
        candidates: [{ content: { parts: [{ text: 'Hello there' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
        modelVersion: 'gemini-2.5-pro',
        responseId: 'mock-response-1',
      },
    });
    expect(upstream.requests[0]).toMatchObject({ path: '/v1internal:generateContent', credentialId: 'account-1', body: { project: 'project-one' } });
  });

  it('streams with alt=sse, every chunk wrapped in { response }, function calls included', async () => {
    const upstream = await start({
      credentials: [
        {
          id: 'account-1',
          secret: 'test-token-1',
          project: 'project-one',
          script: replies.toolCalls([{ name: 'get_weather', arguments: '{"city":"Paris"}' }], { text: 'Checking.' }),
        },
      ],
    });
    const response = await fetch(`${upstream.origin}/v1internal:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-token-1' },
      body: JSON.stringify(envelope('project-one')),
    });
    const chunks = (await response.text())
      .split('\r\n\r\n')
      .filter((event) => event !== '')
      .map((event) => JSON.parse(event.slice('data: '.length)) as WrappedResponse);
    expect(chunks.every((chunk) => Object.keys(chunk).join() === 'response')).toBe(true);
    expect(chunks.map((chunk) => chunk.response.candidates[0]!.content.parts)).toEqual([
      [{ text: 'Checking.' }],
      [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }],
    ]);
  });

  it('sends mid-stream errors unwrapped', async () => {
    const upstream = await start({ defaultScript: faults.errorMidStream(1) });
    const response = await fetch(`${upstream.origin}/v1internal:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-token-any' },
      body: JSON.stringify(envelope(undefined)),
    });
    const events = (await response.text()).split('\r\n\r\n').filter((event) => event !== '');
    expect(JSON.parse(events[0]!.slice(6))).toHaveProperty('response');
    expect(JSON.parse(events[1]!.slice(6))).toEqual({
      error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
    });
  });

  it('accepts OAuth tokens only: an API key gets 401, an unknown token 401, and a missing model or request 400', async () => {
    const upstream = await start({ credentials: [{ id: 'account-1', secret: 'test-token-1', project: 'project-one' }] });
    const withKey = await codeAssist(upstream, 'generateContent', envelope('project-one'), undefined, { 'x-goog-api-key': 'test-token-1' });
    expect(withKey.status).toBe(401);
    expect((await json(withKey)).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', message: expect.stringMatching(/API keys are not supported/) });
    const unknown = await codeAssist(upstream, 'generateContent', envelope('project-one'), 'test-token-unknown');
    expect(unknown.status).toBe(401);
    expect((await json<ErrorBody>(unknown)).error.status).toBe('UNAUTHENTICATED');
    const none = await codeAssist(upstream, 'generateContent', envelope('project-one'));
    expect(none.status).toBe(401);
    expect((await json<ErrorBody>(none)).error.details![0]!.reason).toBe('CREDENTIALS_MISSING');
    const noModel = await codeAssist(upstream, 'generateContent', { project: 'project-one', request: envelope('x').request }, 'test-token-1');
    expect(noModel.status).toBe(400);
    await noModel.text();
    const noRequest = await codeAssist(upstream, 'generateContent', { model: 'gemini-2.5-pro', project: 'project-one' }, 'test-token-1');
    expect(noRequest.status).toBe(400);
    await noRequest.text();
  });

  it('refuses a project the account does not own with 403, and accepts its own', async () => {
    const upstream = await start({ credentials: [{ id: 'account-1', secret: 'test-token-1', project: 'project-one' }] });
    const wrong = await codeAssist(upstream, 'generateContent', envelope('project-two'), 'test-token-1');
    expect(wrong.status).toBe(403);
    expect((await json(wrong)).error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED', message: 'Permission denied on resource project project-two.' });
    const missing = await codeAssist(upstream, 'generateContent', envelope(undefined), 'test-token-1');
    expect(missing.status).toBe(403);
    await missing.text();
    expect((await codeAssist(upstream, 'generateContent', envelope('project-one'), 'test-token-1')).status).toBe(200);
  });

  it('never records the OAuth token', async () => {
    const upstream = await start({ credentials: [{ id: 'account-1', secret: 'test-token-code-assist-1', project: 'project-one' }] });
    await (await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-code-assist-1')).text();
    await (await codeAssist(upstream, 'generateContent', envelope('project-one'), 'test-token-code-assist-1')).text();
    await (await codeAssist(upstream, 'generateContent', envelope('project-one'), 'test-token-code-assist-other')).text();
    const recording = JSON.stringify(upstream.requests);
    expect(recording).not.toContain('test-token-code-assist-1');
    expect(recording).not.toContain('test-token-code-assist-other');
  });
});

describe('Gemini Code Assist: project discovery', () => {
  it('loadCodeAssist reports a configured project with its current tier', async () => {
    const upstream = await start({ credentials: [{ id: 'account-1', secret: 'test-token-1', project: 'project-one' }] });
    const body = await json<LoadAnswer>(await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-1'));
    expect(body.cloudaicompanionProject).toBe('project-one');
    expect(body.currentTier!.id).toBe('standard-tier');
  });

  it('a new account gets allowed tiers, onboards (pending, then done) and from then on has a managed project', async () => {
    const upstream = await start({ credentials: [{ id: 'account-2', secret: 'test-token-2', script: replies.text('ok') }] });
    const load = await json<LoadAnswer>(await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-2'));
    expect(load.cloudaicompanionProject).toBeUndefined();
    expect(load.currentTier).toBeUndefined();
    const defaultTier = load.allowedTiers!.find((tier) => tier.isDefault);
    expect(defaultTier).toMatchObject({ id: 'free-tier', userDefinedCloudaicompanionProject: false });

    const onboardBody = { tierId: defaultTier!.id, metadata: loadBody.metadata };
    const first = await json(await codeAssist(upstream, 'onboardUser', onboardBody, 'test-token-2'));
    expect(first).toEqual({ name: expect.stringMatching(/^operations\//), done: false });
    // Not onboarded yet: still no project.
    expect((await json(await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-2'))).cloudaicompanionProject).toBeUndefined();
    const second = await json(await codeAssist(upstream, 'onboardUser', onboardBody, 'test-token-2'));
    expect(second).toEqual({
      name: first.name,
      done: true,
      response: {
        '@type': 'type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse',
        cloudaicompanionProject: { id: 'mock-managed-project-account-2', name: 'mock-managed-project-account-2' },
      },
    });
    const after = await json<LoadAnswer>(await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-2'));
    expect([after.cloudaicompanionProject, after.currentTier!.id]).toEqual(['mock-managed-project-account-2', 'free-tier']);
    // Generation now requires that project.
    expect((await codeAssist(upstream, 'generateContent', envelope('mock-managed-project-account-2'), 'test-token-2')).status).toBe(200);
    const wrong = await codeAssist(upstream, 'generateContent', envelope('another'), 'test-token-2');
    expect(wrong.status).toBe(403);
    await wrong.text();
  });

  it('polls the operation with GET /v1internal/operations/… for pendingPolls rounds, per account', async () => {
    const upstream = await start({
      credentials: [
        { id: 'a', secret: 'test-token-a' },
        { id: 'b', secret: 'test-token-b' },
      ],
      codeAssist: { pendingPolls: 2, managedProject: (id) => `managed-${id}` },
    });
    const started = await json(await codeAssist(upstream, 'onboardUser', { tierId: 'free-tier' }, 'test-token-a'));
    expect(started.done).toBe(false);
    const pollOnce = (token: string): Promise<Response> =>
      fetch(`${upstream.origin}/v1internal/${started.name}`, { headers: { authorization: `Bearer ${token}` } });
    // Another account cannot see this operation.
    const foreign = await pollOnce('test-token-b');
    expect(foreign.status).toBe(404);
    expect((await json<ErrorBody>(foreign)).error.status).toBe('NOT_FOUND');
    expect((await json(await pollOnce('test-token-a'))).done).toBe(false);
    const done = await json<Operation>(await pollOnce('test-token-a'));
    expect(done.done).toBe(true);
    expect(done.response!.cloudaicompanionProject.id).toBe('managed-a');
    // Done stays done.
    expect((await json(await pollOnce('test-token-a'))).done).toBe(true);
    expect((await json(await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-b'))).cloudaicompanionProject).toBeUndefined();
  });

  it('onboards to the standard tier with the project the client names, and requires one', async () => {
    const upstream = await start({ credentials: [{ id: 'a', secret: 'test-token-a' }], codeAssist: { pendingPolls: 0 } });
    const missing = await codeAssist(upstream, 'onboardUser', { tierId: 'standard-tier' }, 'test-token-a');
    expect(missing.status).toBe(400);
    expect((await json<ErrorBody>(missing)).error.status).toBe('INVALID_ARGUMENT');
    const unknownTier = await codeAssist(upstream, 'onboardUser', { tierId: 'gold-tier' }, 'test-token-a');
    expect(unknownTier.status).toBe(400);
    await unknownTier.text();
    const done = await json<Operation>(
      await codeAssist(upstream, 'onboardUser', { tierId: 'standard-tier', cloudaicompanionProject: 'my-project' }, 'test-token-a'),
    );
    expect([done.done, done.response!.cloudaicompanionProject.id]).toEqual([true, 'my-project']);
    const load = await json<LoadAnswer>(await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-a'));
    expect([load.cloudaicompanionProject, load.currentTier!.id]).toEqual(['my-project', 'standard-tier']);
  });

  it('an account with a configured project is onboarded at once', async () => {
    const upstream = await start({ credentials: [{ id: 'a', secret: 'test-token-a', project: 'project-one' }] });
    const done = await json<Operation>(await codeAssist(upstream, 'onboardUser', { tierId: 'free-tier' }, 'test-token-a'));
    expect([done.done, done.response!.cloudaicompanionProject.id]).toEqual([true, 'project-one']);
  });

  it('control endpoints need a known token, follow controlScript, and never consume generation scripts', async () => {
    const upstream = await start({
      credentials: [{ id: 'a', secret: 'test-token-a', project: 'project-one', script: [replies.text('first'), replies.text('second')] }],
      controlScript: [faults.serverError(), replies.text('')],
    });
    const unknown = await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-unknown');
    expect(unknown.status).toBe(401);
    await unknown.text();
    const failed = await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-a');
    expect(failed.status).toBe(500);
    expect((await json<ErrorBody>(failed)).error.status).toBe('INTERNAL');
    expect((await json(await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-a'))).cloudaicompanionProject).toBe('project-one');
    const generated = await json<WrappedResponse>(await codeAssist(upstream, 'generateContent', envelope('project-one'), 'test-token-a'));
    expect(generated.response.candidates[0]!.content.parts[0]!.text).toBe('first');
  });

  it('without credentials, everyone shares one anonymous account', async () => {
    const upstream = await start({ codeAssist: { pendingPolls: 0 } });
    const done = await json<Operation>(await codeAssist(upstream, 'onboardUser', { tierId: 'free-tier' }, 'test-token-x'));
    expect(done.response!.cloudaicompanionProject.id).toBe('mock-managed-project-anonymous');
    const load = await json<LoadAnswer>(await codeAssist(upstream, 'loadCodeAssist', loadBody, 'test-token-y'));
    expect(load.cloudaicompanionProject).toBe('mock-managed-project-anonymous');
  });
});
