// One worker process of the file-lock tests: an OAuthManager over a FileCredentialStore shared with the other workers
// (its `stateStore()`: the lock file and refresh leases), making OpenAI-style calls through @kit/openai. It loads the
// BUILT packages (dist/, built by `npm test` before vitest runs) and takes commands over IPC: { id, cmd: 'calls' | 'stop' }.
const config = JSON.parse(process.env.KIT_WORKER_CONFIG ?? '{}');
const dist = (path) => new URL(`../../packages/${path}`, import.meta.url).href;
const { KitError } = await import(dist('core/dist/index.js'));
const { createOpenAI } = await import(dist('openai/dist/index.js'));
const { OAuthManager } = await import(dist('oauthmanager/dist/index.js'));
const { FileCredentialStore } = await import(dist('oauthmanager/dist/node/index.js'));

const store = new FileCredentialStore({ path: config.path, passphrase: config.passphrase, scrypt: { N: 1024, r: 8, p: 1 } });
const stateStore = store.stateStore({ lockTtlMs: config.lockTtlMs ?? 10_000, lockPollMs: 50 });

/** The refresh grant against the test's OAuth token server (form POST, as RFC 6749 §6 says). */
async function refresh(credential, { signal }) {
  process.send?.({ event: 'refresh-started', worker: config.name });
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.refreshToken, client_id: 'test-client' });
  const response = await fetch(config.tokenUrl, { method: 'POST', body, signal, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const answer = await response.json();
  if (!response.ok)
    throw new KitError(answer.error === 'invalid_grant' ? 'authentication' : 'server_error', `token endpoint: ${answer.error}`, { status: response.status });
  return { accessToken: answer.access_token, refreshToken: answer.refresh_token, expiresInMs: answer.expires_in * 1000 };
}

// The account comes from the file only: every worker starts from what the file holds.
const manager = new OAuthManager('openai', [], refresh, { store, stateStore, refreshTimeoutMs: 10_000 });
const provider = createOpenAI({ credentials: manager, baseURL: config.upstreamUrl, maxRetries: 3, headers: { 'x-worker': config.name } });

async function calls(count) {
  const outcomes = await Promise.all(
    Array.from({ length: count }, () =>
      provider.complete({ model: 'gpt-4o-mini', prompt: 'hi', stream: false }).then(
        () => 'ok',
        (error) => error?.code ?? 'unknown',
      ),
    ),
  );
  const result = {};
  for (const outcome of outcomes) result[outcome] = (result[outcome] ?? 0) + 1;
  return result;
}

process.on('message', async (message) => {
  const { id, cmd } = message;
  if (cmd === 'stop') {
    stateStore.close();
    process.send?.({ id, result: 'stopped' }, () => process.exit(0));
    return;
  }
  const result = cmd === 'calls' ? await calls(message.count) : undefined;
  if (process.connected) process.send?.({ id, result });
});
// The test went away (it failed or was interrupted): so does the worker.
process.on('disconnect', () => process.exit(0));
process.send?.({ event: 'ready', worker: config.name });
