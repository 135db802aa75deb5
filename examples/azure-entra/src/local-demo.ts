// The local run: an OAuthManager of Entra ID service principals, each serving its own Azure OpenAI resource (region),
// against a mock Entra ID token endpoint and mock Azure OpenAI resources from @kit/testkit. No network, fake secrets and
// tokens, and a simulated clock (20 minutes pass per round of calls).
import { azureEntraCredential, azureEntraRefresh, createAzure } from '@kit/azure';
import type { KitEvent } from '@kit/core';
import { OAuthManager } from '@kit/oauthmanager';
import { createMockEntraServer, createMockUpstream, replies, type MockUpstream } from '@kit/testkit';

/** What the run did. */
export interface LocalDemoResult {
  calls: number;
  succeeded: number;
  /** The principal (region) that answered each call. */
  answeredBy: string[];
  /** Token requests per principal (client id) at the Entra ID endpoint. */
  tokenRequests: Record<string, number>;
  /** Requests each region's resource received. */
  served: Record<string, number>;
  /** Everything written, for checks (it holds no secret and no token). */
  output: string;
}

const MINUTE = 60_000;
const TENANT = 'tenant-contoso';

/** The principals: `japaneast` is configured with a secret Entra does not know (it was rotated). */
const principals = [
  { region: 'eastus', clientId: 'app-eastus', secret: 'test-client-secret-eastus' },
  { region: 'westeurope', clientId: 'app-westeurope', secret: 'test-client-secret-westeurope' },
  { region: 'japaneast', clientId: 'app-japaneast', secret: 'test-client-secret-japaneast' },
];

/**
 * Three rounds of concurrent calls, 20 minutes apart; tokens live 30 minutes, so each principal's token expires after
 * the second round and is renewed (once, however many calls need it) before the third.
 */
export async function runLocalDemo({
  write = (text: string) => void process.stdout.write(text),
  rounds = 3,
  callsPerRound = 6,
} = {}): Promise<LocalDemoResult> {
  let output = '';
  const say = (text: string) => {
    output += text;
    write(text);
  };
  const start = Date.now();
  let clock = start;
  const now = () => clock;

  const entra = await createMockEntraServer({
    now,
    accessTokenLifetimeSeconds: 30 * 60,
    apps: principals.map(({ clientId, secret }) => ({ tenantId: TENANT, clientId, clientSecret: secret })),
  });
  const regions: Record<string, MockUpstream> = {};
  try {
    for (const { region } of principals) {
      regions[region] = await createMockUpstream({ dialect: 'azure', defaultScript: replies.text(`Hello from ${region}.`) });
    }
    const credentials = principals.map(({ region, clientId, secret }) =>
      azureEntraCredential({
        id: region,
        tenantId: TENANT,
        clientId,
        clientSecret: region === 'japaneast' ? 'test-client-secret-rotated-away' : secret,
        authorityHost: entra.url,
        baseURL: regions[region]?.url,
      }),
    );
    const onManagerEvent = (event: KitEvent) => {
      if (event.type === 'token-refresh') {
        say(
          `  token for ${event.credentialId}: ${event.success ? 'issued' : `refused (${event.error?.code}: ${event.error?.message.match(/AADSTS\d+/)?.[0] ?? 'no code'})`}\n`,
        );
      }
    };
    const pool = new OAuthManager('azure', credentials, azureEntraRefresh, { now, onEvent: onManagerEvent });
    // `entra.protect()` plays the resource's token check: a Bearer token must be active at the Entra ID endpoint.
    const azure = createAzure({ credentials: pool, defaultModel: 'gpt-6.1-terra', fetch: entra.protect() });

    const answeredBy: string[] = [];
    let succeeded = 0;
    for (let round = 0; round < rounds; round += 1) {
      say(`Round ${round + 1} (+${Math.round((clock - start) / MINUTE)} min): ${callsPerRound} concurrent calls\n`);
      const results = await Promise.allSettled(
        Array.from({ length: callsPerRound }, (_, n) => azure.complete({ prompt: `Round ${round + 1}, call ${n + 1}`, stream: n % 2 === 0 })),
      );
      for (const result of results) {
        if (result.status === 'fulfilled') {
          succeeded += 1;
          answeredBy.push(result.value.credentialId ?? '?');
          say(`  ${result.value.credentialId}: ${result.value.text}\n`);
        } else {
          say(`  failed: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}\n`);
        }
      }
      clock += 20 * MINUTE;
    }
    const calls = rounds * callsPerRound;
    const tokenRequests = Object.fromEntries(principals.map(({ clientId }) => [clientId, entra.tokenRequestCount(clientId)]));
    const served = Object.fromEntries(principals.map(({ region }) => [region, regions[region]?.requests.length ?? 0]));
    say(`${succeeded} of ${calls} calls succeeded; token requests ${JSON.stringify(tokenRequests)}; requests served ${JSON.stringify(served)}\n`);
    return { calls, succeeded, answeredBy, tokenRequests, served, output };
  } finally {
    await Promise.all([entra.close(), ...Object.values(regions).map((upstream) => upstream.close())]);
  }
}
