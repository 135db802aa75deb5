// npm start                 — local run: two OAuth accounts against mock servers from @kit/testkit; every call succeeds
//                             although one account's refresh fails and the other's token expires mid-run.
// npm start -- --login      — a real Qwen account: device-code login, then one streamed call.
import { runLocalDemo } from './local-demo';
import { runRealLogin } from './real-login';

async function main(): Promise<void> {
  if (process.argv.includes('--login')) {
    await runRealLogin();
    return;
  }
  const result = await runLocalDemo();
  if (result.succeeded !== result.calls) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
