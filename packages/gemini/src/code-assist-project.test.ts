import type { KitError } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { discoverCodeAssistProject, type CodeAssistDiscoveryOptions } from './code-assist-project';

// Code Assist's setup endpoints as the Gemini CLI calls them: POST v1internal:loadCodeAssist, POST v1internal:onboardUser
// (a long-running operation), GET v1internal/<operation name>.
const CA = 'https://cloudcode-pa.googleapis.com/v1internal';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const lease = { id: 'alice', secret: 'test-access-token-1', kind: 'oauth' as const };
const options = (extra: Partial<CodeAssistDiscoveryOptions> = {}): CodeAssistDiscoveryOptions => ({
  provider: 'gemini',
  baseURL: CA,
  fetch: (input, init) => fetch(input, init),
  headers: {},
  pollIntervalMs: 0,
  timeoutMs: 5_000,
  ...extra,
});

type Handler = (body: Record<string, unknown> | undefined, request: Request) => Response;
/** Routes Code Assist methods (by the text after `v1internal`) to handlers and records the calls. */
function codeAssist(handlers: Record<string, Handler>): { method: string; body: Record<string, unknown> | undefined; authorization: string | null }[] {
  const calls: { method: string; body: Record<string, unknown> | undefined; authorization: string | null }[] = [];
  server.use(
    http.all(new RegExp(`^${CA.replace(/\./g, '\\.')}`), async ({ request }) => {
      const method = new URL(request.url).pathname.replace('/v1internal', '');
      const body = request.method === 'POST' ? ((await request.json()) as Record<string, unknown>) : undefined;
      calls.push({ method, body, authorization: request.headers.get('authorization') });
      const handler = handlers[method];
      return handler ? handler(body, request) : HttpResponse.json({ error: { code: 404, message: 'no such method', status: 'NOT_FOUND' } }, { status: 404 });
    }),
  );
  return calls;
}

const metadata = { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' };

describe('discoverCodeAssistProject', () => {
  it('an account already set up: the project loadCodeAssist names, with the token as Bearer', async () => {
    const calls = codeAssist({ ':loadCodeAssist': () => HttpResponse.json({ currentTier: { id: 'free-tier' }, cloudaicompanionProject: 'managed-123' }) });
    expect(await discoverCodeAssistProject(options(), lease)).toBe('managed-123');
    expect(calls).toEqual([{ method: ':loadCodeAssist', body: { metadata }, authorization: 'Bearer test-access-token-1' }]);
  });

  it('a new free-tier account: onboardUser without a project, then the operation polled by name until done', async () => {
    let polls = 0;
    const calls = codeAssist({
      ':loadCodeAssist': () => HttpResponse.json({ allowedTiers: [{ id: 'legacy-tier' }, { id: 'free-tier', isDefault: true }] }),
      ':onboardUser': () => HttpResponse.json({ name: 'operations/onboard-1', done: false }),
      '/operations/onboard-1': () =>
        HttpResponse.json(
          ++polls < 3
            ? { name: 'operations/onboard-1', done: false }
            : { name: 'operations/onboard-1', done: true, response: { cloudaicompanionProject: { id: 'managed-456', name: 'Managed' } } },
        ),
    });
    expect(await discoverCodeAssistProject(options({ projectId: 'ignored-for-free-tier' }), lease)).toBe('managed-456');
    expect(calls.map((call) => call.method)).toEqual([
      ':loadCodeAssist',
      ':onboardUser',
      '/operations/onboard-1',
      '/operations/onboard-1',
      '/operations/onboard-1',
    ]);
    // The free tier uses a Google-managed project: naming one would fail.
    expect(calls[1]?.body).toEqual({ tierId: 'free-tier', metadata });
  });

  it('a standard-tier account: onboarded into the configured project; an operation without a name is polled by asking again', async () => {
    let asked = 0;
    const calls = codeAssist({
      ':loadCodeAssist': () => HttpResponse.json({ allowedTiers: [{ id: 'standard-tier', isDefault: true, userDefinedCloudaicompanionProject: true }] }),
      ':onboardUser': () => HttpResponse.json(++asked < 2 ? { done: false } : { done: true, response: {} }),
    });
    expect(await discoverCodeAssistProject(options({ projectId: 'my-gcp-project' }), lease)).toBe('my-gcp-project');
    expect(calls[0]?.body).toEqual({ cloudaicompanionProject: 'my-gcp-project', metadata: { ...metadata, duetProject: 'my-gcp-project' } });
    expect(calls.slice(1).map((call) => call.body)).toEqual([
      { tierId: 'standard-tier', cloudaicompanionProject: 'my-gcp-project', metadata: { ...metadata, duetProject: 'my-gcp-project' } },
      { tierId: 'standard-tier', cloudaicompanionProject: 'my-gcp-project', metadata: { ...metadata, duetProject: 'my-gcp-project' } },
    ]);
  });

  it("an account that needs a project and has none: permission error with Google's reasons, naming projectId", async () => {
    codeAssist({
      ':loadCodeAssist': () =>
        HttpResponse.json({
          currentTier: { id: 'standard-tier' },
          ineligibleTiers: [{ reasonCode: 'INELIGIBLE_ACCOUNT', reasonMessage: 'Your account is not eligible for the free tier.' }],
        }),
    });
    const error = await discoverCodeAssistProject(options(), lease).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'permission', credentialId: 'alice', message: expect.stringContaining('not eligible for the free tier') });
    expect((error as KitError).message).toContain('projectId');
  });

  it('an onboarding that never finishes gives up after maxPolls with a timeout', async () => {
    codeAssist({
      ':loadCodeAssist': () => HttpResponse.json({ allowedTiers: [{ id: 'free-tier', isDefault: true }] }),
      ':onboardUser': () => HttpResponse.json({ name: 'operations/slow', done: false }),
      '/operations/slow': () => HttpResponse.json({ name: 'operations/slow', done: false }),
    });
    await expect(discoverCodeAssistProject(options({ maxPolls: 3 }), lease)).rejects.toMatchObject({ code: 'timeout' });
  });

  it('HTTP errors are classified (401 → authentication) and network failures are network errors; the token is never shown', async () => {
    codeAssist({
      ':loadCodeAssist': () =>
        HttpResponse.json({ error: { code: 401, message: 'Invalid token test-access-token-1', status: 'UNAUTHENTICATED' } }, { status: 401 }),
    });
    const unauthorized = await discoverCodeAssistProject(options(), lease).catch((thrown: unknown) => thrown);
    expect(unauthorized).toMatchObject({ code: 'authentication', status: 401 });
    expect(JSON.stringify(unauthorized)).not.toContain('test-access-token-1');
    const failing: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(discoverCodeAssistProject(options({ fetch: failing }), lease)).rejects.toMatchObject({ code: 'network' });
  });

  it('a setup call that does not answer within timeoutMs is a timeout; a 503 is a server_error after one call', async () => {
    vi.useFakeTimers();
    try {
      const silent: typeof fetch = (_input, init) =>
        new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true }));
      const waiting = discoverCodeAssistProject(options({ fetch: silent, timeoutMs: 3_000 }), lease).catch((thrown: unknown) => thrown);
      await vi.advanceTimersByTimeAsync(3_000);
      expect(await waiting).toMatchObject({ code: 'timeout', credentialId: 'alice', message: 'gemini: Code Assist :loadCodeAssist: no answer within 3000 ms' });
    } finally {
      vi.useRealTimers();
    }
    let calls = 0;
    // Code Assist's 503 body as Google APIs send it (google.rpc.Status, https://cloud.google.com/apis/design/errors).
    const unavailable: typeof fetch = async () => {
      calls += 1;
      return Response.json({ error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } }, { status: 503 });
    };
    await expect(discoverCodeAssistProject(options({ fetch: unavailable }), lease)).rejects.toMatchObject({ code: 'server_error', status: 503 });
    expect(calls).toBe(1);
  });

  it('hooks see every setup request', async () => {
    codeAssist({ ':loadCodeAssist': () => HttpResponse.json({ currentTier: { id: 'free-tier' }, cloudaicompanionProject: 'managed-123' }) });
    const traced: string[] = [];
    const hooks = { beforeRequest: [({ request }: { request: Request }) => void traced.push(`${request.method} ${new URL(request.url).pathname}`)] };
    expect(await discoverCodeAssistProject(options({ hooks }), lease)).toBe('managed-123');
    expect(traced).toEqual(['POST /v1internal:loadCodeAssist']);
  });

  it('a caller abort during the wait between polls stops discovery at once with an aborted error', async () => {
    const controller = new AbortController();
    const calls = codeAssist({
      ':loadCodeAssist': () => HttpResponse.json({ allowedTiers: [{ id: 'free-tier', isDefault: true }] }),
      ':onboardUser': () => {
        queueMicrotask(() => controller.abort());
        return HttpResponse.json({ done: false });
      },
    });
    const started = Date.now();
    await expect(discoverCodeAssistProject(options({ pollIntervalMs: 60_000 }), lease, controller.signal)).rejects.toMatchObject({ code: 'aborted' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(calls.map((call) => call.method)).toEqual([':loadCodeAssist', ':onboardUser']);
  });

  // The ineligible-tier entry of a loadCodeAssist answer, with the fields the Gemini CLI reads
  // (packages/core/src/code_assist/types.ts: IneligibleTier reasonCode / reasonMessage / validationUrl).
  it('an account Google wants verified (VALIDATION_REQUIRED) is a permission error carrying the validation link; nothing is onboarded', async () => {
    const calls = codeAssist({
      ':loadCodeAssist': () =>
        HttpResponse.json({
          allowedTiers: [{ id: 'free-tier', isDefault: true }],
          ineligibleTiers: [
            {
              reasonCode: 'VALIDATION_REQUIRED',
              reasonMessage: 'Verify your account to continue.',
              tierId: 'free-tier',
              tierName: 'Gemini Code Assist for individuals',
              validationUrl: 'https://accounts.google.com/signin/continue?sarp=1&scc=1',
            },
          ],
        }),
    });
    const error = await discoverCodeAssistProject(options(), lease).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'permission', credentialId: 'alice' });
    expect((error as KitError).message).toContain('Verify your account to continue.');
    expect((error as KitError).message).toContain('https://accounts.google.com/signin/continue?sarp=1&scc=1');
    expect(calls.map((call) => call.method)).toEqual([':loadCodeAssist']);
  });

  // VPC Service Controls' refusal (google.rpc ErrorInfo reason SECURITY_POLICY_VIOLATED; message as Google words it):
  // the Gemini CLI's CodeAssistServer.loadCodeAssist answers it as { currentTier: { id: 'standard-tier' } }.
  const vpcRefusal = {
    error: {
      code: 403,
      message: "Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: test-vpcsc-id-1",
      status: 'PERMISSION_DENIED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SECURITY_POLICY_VIOLATED', domain: 'googleapis.com' }],
    },
  };

  it('a VPC-SC refusal of loadCodeAssist falls back to the standard tier: the configured project is used, nothing onboarded', async () => {
    const calls = codeAssist({ ':loadCodeAssist': () => HttpResponse.json(vpcRefusal, { status: 403 }) });
    expect(await discoverCodeAssistProject(options({ projectId: 'corp-project' }), lease)).toBe('corp-project');
    expect(calls.map((call) => call.method)).toEqual([':loadCodeAssist']);
  });

  it('the same refusal without a configured project is a permission error asking for one; another 403 stays an error', async () => {
    codeAssist({ ':loadCodeAssist': () => HttpResponse.json(vpcRefusal, { status: 403 }) });
    await expect(discoverCodeAssistProject(options(), lease)).rejects.toMatchObject({ code: 'permission', message: expect.stringContaining('projectId') });
    codeAssist({
      ':loadCodeAssist': () =>
        HttpResponse.json(
          { error: { code: 403, message: 'Cloud Code Private API has not been used', status: 'PERMISSION_DENIED', details: [{ reason: 'SERVICE_DISABLED' }] } },
          { status: 403 },
        ),
    });
    await expect(discoverCodeAssistProject(options({ projectId: 'corp-project' }), lease)).rejects.toMatchObject({ code: 'permission', status: 403 });
  });

  it('onboarding is polled until done or until onboardingTimeoutMs has passed (an injected clock, no real wait)', async () => {
    let clock = 0;
    let polls = 0;
    codeAssist({
      ':loadCodeAssist': () => HttpResponse.json({ allowedTiers: [{ id: 'free-tier', isDefault: true }] }),
      ':onboardUser': () => HttpResponse.json({ name: 'operations/slow', done: false }),
      '/operations/slow': () => {
        polls += 1;
        clock += 5_000; // each poll happens one interval later
        return HttpResponse.json({ name: 'operations/slow', done: false });
      },
    });
    const error = await discoverCodeAssistProject(options({ onboardingTimeoutMs: 20_000, pollIntervalMs: 0, now: () => clock, maxPolls: 1_000 }), lease).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: 'timeout', message: expect.stringContaining('did not finish') });
    expect(polls).toBe(5); // the clock reads 5, 10, 15, 20 s after the polls: the last one starts at the 20 s deadline, none after
  });
});
