// node dist/main.js           — local run: three Entra ID principals, three regions, mock Entra ID and Azure servers from
//                               @kit/testkit; one principal's secret is wrong, every token expires mid-run, every call
//                               succeeds.
// node dist/main.js --real    — real Azure OpenAI and Entra ID, from environment variables (see README.md).
import { runLocalDemo } from './local-demo';
import { runReal } from './real-run';

async function main(): Promise<void> {
  if (process.argv.includes('--real')) {
    await runReal();
    return;
  }
  const result = await runLocalDemo();
  if (result.succeeded !== result.calls) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
