import { createMockGoogleTokenEndpoint, createMockUpstream, createTestServiceAccount, replies } from '@kit/testkit';
import { runVertexPool } from './vertex-pool';

const MINUTE = 60_000;

/**
 * The pool against local fakes from `@kit/testkit` (no network, key pairs generated for this run): Google's token
 * endpoint, which verifies each signed assertion against the account's public key, and Vertex AI, which only accepts
 * live tokens. Three accounts in three regions; one key has been deleted (its assertions are refused) and one
 * account's tokens live 10 minutes while the clock moves 4 minutes per call. Every call succeeds.
 */
export async function runLocal(write: (text: string) => void, calls = 6): Promise<{ succeeded: number; failed: number; rejected: number }> {
  let clock = Date.now();
  const now = () => clock;
  const accounts = await Promise.all(
    ['us', 'eu', 'asia'].map((region) => createTestServiceAccount({ name: `example-${region}`, project: `example-project-${region}` })),
  );
  const [us, eu, asia] = accounts;
  if (!us || !eu || !asia) throw new Error('example: service accounts');
  const tokens = await createMockGoogleTokenEndpoint({
    now,
    serviceAccounts: [
      { clientEmail: us.clientEmail, publicKey: us.publicKey },
      { clientEmail: eu.clientEmail, publicKey: eu.publicKey, accessTokenLifetimeSeconds: 10 * 60 },
      { clientEmail: asia.clientEmail, publicKey: asia.publicKey, revoked: true },
    ],
  });
  const upstream = await createMockUpstream({
    dialect: 'vertex',
    defaultScript: (request) => replies.text(`Spread quota across regions (${/locations\/([^/]+)/.exec(request.path)?.[1]}).`),
  });
  try {
    write('Local run: fake Google token endpoint and fake Vertex AI on 127.0.0.1.\n');
    const result = await runVertexPool({
      members: [
        { keyFile: { ...us.keyFile, token_uri: tokens.tokenUrl }, location: 'us-central1' },
        { keyFile: { ...eu.keyFile, token_uri: tokens.tokenUrl }, location: 'europe-west4' },
        { keyFile: { ...asia.keyFile, token_uri: tokens.tokenUrl }, location: 'asia-northeast1' },
      ],
      calls,
      write,
      baseURL: upstream.url,
      fetch: tokens.protect(),
      now,
      afterCall: () => {
        clock += 4 * MINUTE;
      },
    });
    return { ...result, rejected: tokens.rejectedCount() };
  } finally {
    await Promise.all([upstream.close(), tokens.close()]);
  }
}
