// What both worker scripts of the shared-state tests (worker.mjs over Redis, file-lock-worker.mjs over a credential
// file) do alike: read their config, load the BUILT packages, refresh at the test's token server, run calls, and
// answer the test's commands over IPC.

/** The worker's configuration, passed by the test in `KIT_WORKER_CONFIG`. */
export const config = JSON.parse(process.env.KIT_WORKER_CONFIG ?? '{}');

/** The URL of a built package file (dist/, built by `npm test` before vitest runs). */
export const dist = (path) => new URL(`../../packages/${path}`, import.meta.url).href;

const { KitError } = await import(dist('core/dist/index.js'));

/**
 * The refresh grant against the test's OAuth token server (form POST, as RFC 6749 §6 says); tells the test when a
 * refresh starts (`refresh-started`), so it can kill the worker mid-refresh.
 */
export async function refresh(credential, { signal }) {
  process.send?.({ event: 'refresh-started', worker: config.name });
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.refreshToken, client_id: 'test-client' });
  const response = await fetch(config.tokenUrl, { method: 'POST', body, signal, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const answer = await response.json();
  if (!response.ok)
    throw new KitError(answer.error === 'invalid_grant' ? 'authentication' : 'server_error', `token endpoint: ${answer.error}`, { status: response.status });
  return { accessToken: answer.access_token, refreshToken: answer.refresh_token, expiresInMs: answer.expires_in * 1000 };
}

/** `count` concurrent non-streaming calls; resolves with how many ended how (`{ ok: 240, timeout: 10 }`). */
export async function calls(provider, count) {
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

/**
 * Answers the test's `{ id, cmd }` messages with `commands[cmd](message)`; `stop` runs `close` and exits. The worker
 * exits too when the test goes away (it failed or was interrupted). Says `ready` once listening.
 */
export function serveCommands(commands, close) {
  process.on('message', async (message) => {
    const { id, cmd } = message;
    if (cmd === 'stop') {
      await close();
      process.send?.({ id, result: 'stopped' }, () => process.exit(0));
      return;
    }
    const result = await commands[cmd]?.(message);
    if (process.connected) process.send?.({ id, result });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ event: 'ready', worker: config.name });
}
