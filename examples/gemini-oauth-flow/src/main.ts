// Gemini with Google OAuth accounts.
//
//   node dist/main.js            local run: a fake Google token server and a fake Gemini Code Assist upstream
//                                (no network, fake tokens); two accounts, one token expiring mid-run.
//   node dist/main.js --login    real loopback sign-in with Google, then one Code Assist call. Needs
//                                GOOGLE_OAUTH_CLIENT_ID (and GOOGLE_OAUTH_CLIENT_SECRET for clients that have one);
//                                GOOGLE_CLOUD_PROJECT for Workspace / Standard-tier accounts;
//                                --backend=generative-language for the standard Gemini API instead of Code Assist.
import { readEnvironmentVariable } from '@kit/core/provider-utils';
import { runLocalFlow, runLoginFlow } from './flow';
import { startLocalServers } from './local-servers';

const write = (text: string) => process.stdout.write(text);

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--login')) {
    const clientId = readEnvironmentVariable('GOOGLE_OAUTH_CLIENT_ID');
    if (!clientId) {
      process.stderr.write('Set GOOGLE_OAUTH_CLIENT_ID (an OAuth client of type "Desktop app" from the Google Cloud console) to sign in.\n');
      process.exitCode = 1;
      return;
    }
    const backend = argv.includes('--backend=generative-language') ? 'generative-language' : 'code-assist';
    await runLoginFlow({
      clientId,
      clientSecret: readEnvironmentVariable('GOOGLE_OAUTH_CLIENT_SECRET'),
      projectId: readEnvironmentVariable('GOOGLE_CLOUD_PROJECT'),
      backend,
      write,
    });
    return;
  }

  const servers = await startLocalServers();
  write(`Local run: fake Google token server at ${servers.oauth.url}, fake Gemini upstream at ${servers.upstream.origin} (no network, fake tokens).\n\n`);
  try {
    const { succeeded, calls } = await runLocalFlow({ servers, write });
    if (succeeded !== calls) process.exitCode = 1;
  } finally {
    await servers.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
