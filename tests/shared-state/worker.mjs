// One worker process of the multi-process tests: a KeyManager or an OAuthManager sharing its state through
// @kit/store-redis, making OpenAI-style calls through @kit/openai. It loads the BUILT packages (dist/, built by
// `npm test` before vitest runs) and takes commands from the test over IPC: { id, cmd: 'calls' | 'health' | 'events' | 'stop' }.
const config = JSON.parse(process.env.KIT_WORKER_CONFIG ?? '{}');
const dist = (path) => new URL(`../../packages/${path}`, import.meta.url).href;
const { KitError } = await import(dist('core/dist/index.js'));
const { createPassphraseCipher } = await import(dist('core/dist/provider-utils/index.js'));
const { createOpenAI } = await import(dist('openai/dist/index.js'));
const { KeyManager } = await import(dist('keymanager/dist/index.js'));
const { OAuthManager } = await import(dist('oauthmanager/dist/index.js'));
const { createRedisStateStore } = await import(dist('store-redis/dist/index.js'));

const events = [];
const onEvent = (event) => {
  if (event.type === 'credential-failure' || event.type === 'store-unavailable' || event.type === 'token-refresh') {
    events.push({ type: event.type, credentialId: event.credentialId, at: event.at, code: event.error?.code });
  }
};
const stateStore = createRedisStateStore({
  url: config.redisUrl,
  prefix: config.prefix,
  cipher: createPassphraseCipher(config.passphrase, { iterations: 10_000 }),
  lockTtlMs: config.lockTtlMs ?? 10_000,
  lockPollMs: 50,
});

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

const manager =
  config.mode === 'oauth'
    ? new OAuthManager('openai', [config.account], refresh, { stateStore, onEvent, refreshTimeoutMs: 10_000 })
    : new KeyManager('openai', config.keys, { stateStore, onEvent, policies: { 401: { action: 'disable' } } });
const provider = createOpenAI({ credentials: manager, baseURL: config.upstreamUrl, maxRetries: 3, headers: { 'x-worker': config.name } });
// Keys: the first lease reads the shared state (no request is sent with it).
if (config.mode !== 'oauth') await manager.acquire();

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
  let result;
  if (cmd === 'calls') result = await calls(message.count);
  else if (cmd === 'health') result = config.mode === 'oauth' ? manager.getHealthSummary() : manager.getKeyHealth();
  else if (cmd === 'events') result = events;
  else if (cmd === 'stop') {
    await stateStore.close();
    process.send?.({ id, result: 'stopped' }, () => process.exit(0));
    return;
  }
  if (process.connected) process.send?.({ id, result });
});
// The test went away (it failed or was interrupted): so does the worker.
process.on('disconnect', () => process.exit(0));
process.send?.({ event: 'ready', worker: config.name });
