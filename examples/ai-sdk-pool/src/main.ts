// pnpm --filter ai-sdk-pool start — with no keys it runs against a local fake Anthropic upstream from @kit/testkit
// (no network). With ANTHROPIC_API_KEY (or ANTHROPIC_API_KEYS=k1,k2,...) it calls the real API.
import { runMain } from './run';

runMain(process.env, (text) => process.stdout.write(text)).then(
  (succeeded) => {
    if (!succeeded) process.exitCode = 1;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
