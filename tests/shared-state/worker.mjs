// One worker process of the multi-process tests: a KeyManager or an OAuthManager sharing its state through
// @kit/store-redis, making OpenAI-style calls through @kit/openai. It loads the BUILT packages (dist/, built by
// `npm test` before vitest runs) and takes commands from the test over IPC: { id, cmd: 'calls' | 'health' | 'events' | 'stop' }.
import { calls, config, dist, refresh, serveCommands } from './worker-common.mjs';

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

const manager =
  config.mode === 'oauth'
    ? new OAuthManager('openai', [config.account], refresh, { stateStore, onEvent, refreshTimeoutMs: 10_000 })
    : new KeyManager('openai', config.keys, { stateStore, onEvent, policies: { 401: { action: 'disable' } } });
const provider = createOpenAI({ credentials: manager, baseURL: config.upstreamUrl, maxRetries: 3, headers: { 'x-worker': config.name } });
// Keys: the first lease reads the shared state (no request is sent with it).
if (config.mode !== 'oauth') await manager.acquire();

serveCommands(
  {
    calls: (message) => calls(provider, message.count),
    health: () => (config.mode === 'oauth' ? manager.getHealthSummary() : manager.getKeyHealth()),
    events: () => events,
  },
  () => stateStore.close(),
);
