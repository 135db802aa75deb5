// One worker process of the file-lock tests: an OAuthManager over a FileCredentialStore shared with the other workers
// (its `stateStore()`: the lock file and refresh leases), making OpenAI-style calls through @kit/openai. It loads the
// BUILT packages (dist/, built by `npm test` before vitest runs) and takes commands over IPC: { id, cmd: 'calls' | 'stop' }.
import { calls, config, dist, refresh, serveCommands } from './worker-common.mjs';

const { createOpenAI } = await import(dist('openai/dist/index.js'));
const { OAuthManager } = await import(dist('oauthmanager/dist/index.js'));
const { FileCredentialStore } = await import(dist('oauthmanager/dist/node/index.js'));

const store = new FileCredentialStore({ path: config.path, passphrase: config.passphrase, scrypt: { N: 1024, r: 8, p: 1 } });
const stateStore = store.stateStore({ lockTtlMs: config.lockTtlMs ?? 10_000, lockPollMs: 50 });

// The account comes from the file only: every worker starts from what the file holds.
const manager = new OAuthManager('openai', [], refresh, { store, stateStore, refreshTimeoutMs: 10_000 });
const provider = createOpenAI({ credentials: manager, baseURL: config.upstreamUrl, maxRetries: 3, headers: { 'x-worker': config.name } });

serveCommands({ calls: (message) => calls(provider, message.count) }, () => stateStore.close());
