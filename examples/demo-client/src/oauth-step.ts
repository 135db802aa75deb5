import type { KitEvent, MetricsSink } from '@kit/core';
import { OAuthManager } from '@kit/oauthmanager';
import { createQwen, createQwenOAuthRefresh } from '@kit/qwen';
import { createMockOAuthServer, createMockUpstream, oauthFaults, replies } from '@kit/testkit';

const MINUTE = 60_000;

/**
 * OAuth accounts behind an `OAuthManager` (Qwen, on local fakes of its API and token server; a simulated clock moves
 * 3 minutes per call): alice's token runs out at 8 minutes and her refresh token has been revoked, bob's token
 * expires at 14 minutes and is refreshed before the call that needs it. Every call must still succeed.
 */
export async function runOAuthStep(write: (text: string) => void, options: { calls?: number; metrics?: MetricsSink } = {}) {
  const line = (text = '') => write(`${text}\n`);
  line('\n=== 6. OAuth accounts: one token expires mid-run, another account cannot refresh ===');
  const start = Date.now();
  let clock = start;
  const now = () => clock;
  const at = () => `+${Math.round((clock - start) / MINUTE)} min`;

  const upstream = await createMockUpstream({ dialect: 'openai', defaultScript: (_request, n) => replies.text(`Answer ${n + 1} from Qwen.`) });
  const tokens = await createMockOAuthServer({
    preset: 'qwen',
    now,
    accounts: [
      {
        id: 'alice',
        accessToken: 'test-access-token-alice-0',
        accessTokenExpiresAt: start + 8 * MINUTE,
        refreshToken: 'test-refresh-token-alice-0',
        script: oauthFaults.invalidGrant('The refresh token has been revoked.'),
      },
      { id: 'bob', accessToken: 'test-access-token-bob-0', accessTokenExpiresAt: start + 14 * MINUTE, refreshToken: 'test-refresh-token-bob-0' },
    ],
  });
  try {
    const onEvent = (event: KitEvent) => {
      options.metrics?.record(event);
      if (event.type === 'token-refresh') {
        line(`  [${at()}] token refresh of ${event.credentialId}: ${event.success ? 'ok' : `failed (${event.error?.code ?? 'error'})`}`);
      }
    };
    const accounts = new OAuthManager(
      'qwen',
      [
        { id: 'alice', accessToken: 'test-access-token-alice-0', refreshToken: 'test-refresh-token-alice-0', expiresAt: start + 8 * MINUTE },
        { id: 'bob', accessToken: 'test-access-token-bob-0', refreshToken: 'test-refresh-token-bob-0', expiresAt: start + 14 * MINUTE },
      ],
      createQwenOAuthRefresh({ tokenURL: tokens.tokenUrl }),
      { now, onEvent },
    );
    // `protect()` lets a request through only with a live access token, as the real service would.
    const qwen = createQwen({
      credentials: accounts,
      oauthBaseURL: upstream.url,
      fetch: tokens.protect(),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
    let succeeded = 0;
    const calls = options.calls ?? 6;
    for (let call = 1; call <= calls; call += 1) {
      const completion = await qwen.complete({ prompt: `Call ${call}` });
      succeeded += 1;
      line(`  [${at()}] call ${call}: ok via ${completion.credentialId} — "${completion.text}"`);
      clock += 3 * MINUTE;
    }
    line(`${succeeded}/${calls} calls succeeded; requests with a dead token: ${tokens.rejectedCount()}`);
    for (const health of accounts.getHealthSummary().credentials) {
      const why = health.consecutiveRefreshFailures > 0 ? `refresh failing (${health.lastErrorCode ?? 'error'})` : 'answering';
      line(`  ${health.id.padEnd(6)} ${(health.available ? 'available' : 'cooling down').padEnd(13)} ${why}`);
    }
    return { succeeded, calls, rejected: tokens.rejectedCount() };
  } finally {
    await Promise.all([upstream.close(), tokens.close()]);
  }
}
