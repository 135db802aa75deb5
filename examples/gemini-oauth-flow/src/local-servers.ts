import { createMockOAuthServer, createMockUpstream, type MockOAuthServer, type MockUpstream } from '@kit/testkit';

/** The fake accounts of the local run: obviously not real tokens. */
export const localAccounts = {
  work: { refreshToken: 'demo-refresh-token-work-0', accessToken: 'demo-access-token-work-0' },
  personal: { refreshToken: 'demo-refresh-token-personal-0', accessToken: 'demo-access-token-personal-0' },
};

export const LOCAL_CLIENT_ID = 'demo-client-id.apps.example';

const MINUTE = 60_000;

/** A clock the local run moves forward by hand, shared by the token server and the OAuthManager. */
export interface DemoClock {
  now(): number;
  advance(ms: number): void;
}

export function createDemoClock(start = Date.now()): DemoClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

export interface LocalServers {
  /** Google's token endpoint stand-in (refresh and authorization-code grants, loopback consent page). */
  oauth: MockOAuthServer;
  /** The Gemini upstream: the Code Assist backend at `${upstream.origin}/v1internal`. */
  upstream: MockUpstream;
  clock: DemoClock;
  close(): Promise<void>;
}

/**
 * Starts the two local servers: an OAuth server that knows both accounts (the personal account's token expires
 * after 12 minutes of the demo clock, the work account's after an hour), and a Gemini upstream whose Code Assist
 * backend onboards a new account (one pending poll). The upstream accepts any token the OAuth server says is valid:
 * wrap the provider's fetch with `oauth.protect()`.
 */
export async function startLocalServers(clock: DemoClock = createDemoClock()): Promise<LocalServers> {
  const start = clock.now();
  const oauth = await createMockOAuthServer({
    preset: 'google',
    now: clock.now,
    clients: [{ clientId: LOCAL_CLIENT_ID }],
    accounts: [
      { id: 'work', clientId: LOCAL_CLIENT_ID, ...localAccounts.work, accessTokenExpiresAt: start + 60 * MINUTE },
      { id: 'personal', clientId: LOCAL_CLIENT_ID, ...localAccounts.personal, accessTokenExpiresAt: start + 12 * MINUTE },
    ],
  });
  const upstream = await createMockUpstream({
    dialect: 'gemini',
    chunkDelayMs: 10,
    codeAssist: { pendingPolls: 1 },
    defaultScript: (request) => {
      const text = JSON.stringify((request.body as { request?: unknown } | undefined)?.request ?? '');
      const question = /Call (\d+)/.exec(text)?.[1] ?? '?';
      return { kind: 'text', text: `Answer ${question}: two accounts, one token that expires, and nobody notices.` };
    },
  });
  return {
    oauth,
    upstream,
    clock,
    close: async () => {
      await Promise.all([oauth.close(), upstream.close()]);
    },
  };
}
