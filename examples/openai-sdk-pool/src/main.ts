// pnpm --filter openai-sdk-pool start — the official `openai` client over a @kit key pool (credentialFetch). With no
// keys it runs against a local fake OpenAI upstream from @kit/testkit (no network). With OPENAI_API_KEY (or
// OPENAI_API_KEYS=k1,k2,...) it calls the real API.
import { runMain } from './run';

runMain(process.env, (text) => process.stdout.write(text)).then(
  (allSucceeded) => {
    if (!allSucceeded) process.exitCode = 1;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
