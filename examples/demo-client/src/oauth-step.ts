import type { KitEvent, MetricsSink } from '@kit/core';
import { createGemini, createVertexServiceAccountRefresh, vertexServiceAccountCredential } from '@kit/gemini';
import { OAuthManager } from '@kit/oauthmanager';
import { createMockGoogleTokenEndpoint, createMockUpstream, createTestServiceAccount, replies } from '@kit/testkit';

const MINUTE = 60_000;

/**
 * OAuth accounts behind an `OAuthManager`: three Vertex AI service accounts (on local fakes of Vertex AI and Google's
 * token endpoint, with key pairs generated for this run; a simulated clock moves 3 minutes per call). vertex-us's
 * tokens live 12 minutes, so its first one runs out mid-run and is renewed for the call that needs it; vertex-asia's key has
 * been deleted, so Google refuses its signed assertions. Every call must still succeed, each in its account's region.
 */
export async function runOAuthStep(write: (text: string) => void, options: { calls?: number; metrics?: MetricsSink } = {}) {
  const line = (text = '') => write(`${text}\n`);
  line('\n=== 6. OAuth accounts: three Vertex AI service accounts, one token expires mid-run, one key is revoked ===');
  const start = Date.now();
  let clock = start;
  const now = () => clock;
  const at = () => `+${Math.round((clock - start) / MINUTE)} min`;

  const [us, eu, asia] = await Promise.all([
    createTestServiceAccount({ name: 'demo-us', project: 'demo-project-us' }),
    createTestServiceAccount({ name: 'demo-eu', project: 'demo-project-eu' }),
    createTestServiceAccount({ name: 'demo-asia', project: 'demo-project-asia' }),
  ]);
  if (!us || !eu || !asia) throw new Error('demo: service accounts');
  const tokens = await createMockGoogleTokenEndpoint({
    now,
    serviceAccounts: [
      { clientEmail: us.clientEmail, publicKey: us.publicKey, accessTokenLifetimeSeconds: 12 * 60 },
      { clientEmail: eu.clientEmail, publicKey: eu.publicKey },
      { clientEmail: asia.clientEmail, publicKey: asia.publicKey, revoked: true },
    ],
  });
  const upstream = await createMockUpstream({
    dialect: 'vertex',
    defaultScript: (request) => replies.text(`Answer from ${/locations\/([^/]+)/.exec(request.path)?.[1] ?? 'Vertex AI'}.`),
  });
  try {
    const onEvent = (event: KitEvent) => {
      options.metrics?.record(event);
      if (event.type === 'token-refresh') {
        line(`  [${at()}] token refresh of ${event.credentialId}: ${event.success ? 'ok' : `failed (${event.error?.code ?? 'error'})`}`);
      }
    };
    const keyFile = (account: typeof us) => ({ ...account.keyFile, token_uri: tokens.tokenUrl });
    const accounts = new OAuthManager(
      'vertex',
      [
        vertexServiceAccountCredential(keyFile(us), { id: 'vertex-us', location: 'us-central1' }),
        vertexServiceAccountCredential(keyFile(eu), { id: 'vertex-eu', location: 'europe-west4' }),
        vertexServiceAccountCredential(keyFile(asia), { id: 'vertex-asia', location: 'asia-northeast1' }),
      ],
      // `vertexServiceAccountRefresh` in an app; here with the simulated clock the fake token endpoint also reads.
      createVertexServiceAccountRefresh({ now }),
      { now, onEvent },
    );
    // `protect()` lets a request through only with a live token, as Google's APIs would.
    const vertex = createGemini({
      name: 'vertex', // the pool's name, so the metrics put an account's health and its traffic in one row
      backend: 'vertex',
      credentials: accounts,
      baseURL: upstream.url,
      fetch: tokens.protect(),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
    let succeeded = 0;
    const calls = options.calls ?? 6;
    for (let call = 1; call <= calls; call += 1) {
      const completion = await vertex.complete({ prompt: `Call ${call}` });
      succeeded += 1;
      line(`  [${at()}] call ${call}: ok via ${completion.credentialId} — "${completion.text}"`);
      clock += 3 * MINUTE;
    }
    line(`${succeeded}/${calls} calls succeeded; requests with a dead token: ${tokens.rejectedCount()}`);
    for (const health of accounts.getHealthSummary().credentials) {
      const why = health.consecutiveRefreshFailures > 0 ? `cannot get a token (${health.lastErrorCode ?? 'error'})` : 'answering';
      const state = health.consecutiveRefreshFailures > 0 ? 'unhealthy' : health.available ? 'available' : 'held back';
      line(`  ${health.id.padEnd(12)} ${state.padEnd(10)} ${why}`);
    }
    return { succeeded, calls, rejected: tokens.rejectedCount(), tokenRequests: tokens.tokenRequestCount(us.clientEmail) };
  } finally {
    await Promise.all([upstream.close(), tokens.close()]);
  }
}
