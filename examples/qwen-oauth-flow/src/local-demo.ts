// The local run: two Qwen OAuth accounts behind an OAuthManager, against a mock OpenAI-dialect upstream and a mock
// Qwen token server from @kit/testkit. No network, fake tokens, and a simulated clock (3 minutes pass per call).
import type { KitEvent } from '@kit/core';
import { OAuthManager } from '@kit/oauthmanager';
import { createQwen, createQwenOAuthRefresh } from '@kit/qwen';
import { createMockOAuthServer, createMockUpstream, oauthFaults, replies } from '@kit/testkit';

/** What the run did. */
export interface LocalDemoResult {
  calls: number;
  succeeded: number;
  /** The account that answered each call. */
  answeredBy: string[];
  /** Every token refresh, in order. */
  refreshes: { credentialId: string; success: boolean }[];
  /** Everything written, for checks (it holds no token). */
  output: string;
}

const MINUTE = 60_000;

/**
 * - `alice`: her token is valid for 8 minutes, then her refresh fails (the server revoked her refresh token).
 * - `bob`: his token expires after 14 minutes, mid-run; it is refreshed before the call that needs it.
 * Every call must still succeed.
 */
export async function runLocalDemo({ write = (text: string) => void process.stdout.write(text), calls = 6 } = {}): Promise<LocalDemoResult> {
  let output = '';
  const say = (text: string) => {
    output += text;
    write(text);
  };
  const start = Date.now();
  let clock = start;
  const now = () => clock;
  const minutes = () => `+${Math.round((clock - start) / MINUTE)} min`;

  const upstream = await createMockUpstream({
    dialect: 'openai',
    defaultScript: (_request, n) => replies.text(`Answer ${n + 1} from the mock Qwen model.`),
  });
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
    const refreshes: LocalDemoResult['refreshes'] = [];
    const onManagerEvent = (event: KitEvent) => {
      if (event.type !== 'token-refresh' || !event.credentialId) return;
      refreshes.push({ credentialId: event.credentialId, success: event.success });
      say(`  [${minutes()}] token refresh of ${event.credentialId}: ${event.success ? 'ok' : `failed (${event.error?.code ?? 'error'})`}\n`);
    };
    const accounts = new OAuthManager(
      'qwen',
      [
        { id: 'alice', accessToken: 'test-access-token-alice-0', refreshToken: 'test-refresh-token-alice-0', expiresAt: start + 8 * MINUTE },
        { id: 'bob', accessToken: 'test-access-token-bob-0', refreshToken: 'test-refresh-token-bob-0', expiresAt: start + 14 * MINUTE },
      ],
      createQwenOAuthRefresh({ tokenURL: tokens.tokenUrl }),
      { now, onEvent: onManagerEvent },
    );
    // Accounts without a resourceUrl go to `oauthBaseURL` (https://portal.qwen.ai/v1 by default): here, the mock.
    // `tokens.protect()` lets a request through only with a live access token, as the real portal would.
    const qwen = createQwen({ credentials: accounts, oauthBaseURL: upstream.url, fetch: tokens.protect() });

    say(`Local run: mock Qwen upstream at ${upstream.url}, mock Qwen token server at ${tokens.url} (no network, fake tokens).\n`);
    say('Accounts: alice (token valid 8 min, refresh token revoked), bob (token expires after 14 min).\n\n');
    const answeredBy: string[] = [];
    let succeeded = 0;
    for (let call = 1; call <= calls; call += 1) {
      try {
        const stream = await qwen.generateChatCompletion({ prompt: `Question ${call}: what is failover?` });
        const completion = await stream.final();
        answeredBy.push(completion.credentialId ?? '?');
        succeeded += 1;
        say(`[${minutes()}] call ${call} answered by ${completion.credentialId}: ${completion.text}\n`);
      } catch (error) {
        answeredBy.push('-');
        say(`[${minutes()}] call ${call} FAILED: ${(error as Error).message}\n`);
      }
      clock += 3 * MINUTE;
    }
    const health = accounts
      .getHealthSummary()
      .credentials.map((credential) => `${credential.id} ${credential.healthy && credential.consecutiveRefreshFailures === 0 ? 'healthy' : 'unhealthy'}`)
      .join(', ');
    say(`\n${succeeded} of ${calls} calls succeeded; ${tokens.rejectedCount()} request(s) reached the upstream with a dead token. Health: ${health}.\n`);
    return { calls, succeeded, answeredBy, refreshes, output };
  } finally {
    await Promise.all([upstream.close(), tokens.close()]);
  }
}
