// Gemini on Vertex AI through a pool of service accounts.
//
//   node dist/main.js     local run against @kit/testkit fakes (no network, keys generated for the run).
//   VERTEX_SERVICE_ACCOUNT_KEYS=/path/a.json,/path/b.json node dist/main.js
//                         real run: one credential per key file (its project_id), GOOGLE_CLOUD_LOCATION (default
//                         global), VERTEX_MODEL (default the provider's). Needs the Vertex AI API enabled and the
//                         accounts granted roles/aiplatform.user.
import { readFileSync } from 'node:fs';
import { readEnvironmentVariable } from '@kit/core/provider-utils';
import { runLocal } from './local-run';
import { runVertexPool } from './vertex-pool';

const write = (text: string) => process.stdout.write(text);

async function main(): Promise<void> {
  const keyFiles = readEnvironmentVariable('VERTEX_SERVICE_ACCOUNT_KEYS');
  if (!keyFiles) {
    const { failed } = await runLocal(write);
    if (failed > 0) process.exitCode = 1;
    return;
  }
  const members = keyFiles
    .split(',')
    .map((path) => path.trim())
    .filter(Boolean)
    .map((path) => ({ keyFile: readFileSync(path, 'utf8') }));
  const location = readEnvironmentVariable('GOOGLE_CLOUD_LOCATION');
  const model = readEnvironmentVariable('VERTEX_MODEL');
  const { failed } = await runVertexPool({ members, calls: members.length * 2, write, ...(location ? { location } : {}), ...(model ? { model } : {}) });
  if (failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
