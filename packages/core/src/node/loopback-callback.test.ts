import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KitError } from '../kit-error';
import { showSignInUrl, waitForLoopbackCallback, type LoopbackCallback } from './loopback-callback';

const flow = { what: 'Test sign-in', provider: 'test', path: '/callback' };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('waitForLoopbackCallback', () => {
  it("resolves with the handler's result, answers the browser with its page and closes the server", async () => {
    const seen: string[] = [];
    const wait = await waitForLoopbackCallback({
      ...flow,
      async handle({ params, url, reply }) {
        seen.push(url);
        reply(200, 'Signed in', 'Close this tab.');
        return params.get('code') ?? undefined;
      },
    });
    expect(wait.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const response = await fetch(`${wait.url}?code=abc`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<h1>Signed in</h1>');
    await expect(wait.result).resolves.toBe('abc');
    expect(seen).toEqual([wait.url]);
    await expect(fetch(wait.url)).rejects.toThrow(); // closed
  });

  it('answers other paths 404 and keeps waiting; a handler that returns undefined keeps waiting too', async () => {
    let calls = 0;
    const wait = await waitForLoopbackCallback({
      ...flow,
      async handle({ params, reply }) {
        calls += 1;
        if (params.get('state') !== 'right') {
          reply(400, 'Wrong link', 'Not this one.');
          return undefined;
        }
        reply(200, 'Signed in', 'Done.');
        return 'ok';
      },
    });
    const other = await fetch(wait.url.replace('/callback', '/elsewhere'));
    expect(other.status).toBe(404);
    expect(await other.text()).toContain('This server only waits for the Test sign-in callback.');
    expect((await fetch(`${wait.url}?state=wrong`)).status).toBe(400);
    expect((await fetch(`${wait.url}?state=right`)).status).toBe(200);
    await expect(wait.result).resolves.toBe('ok');
    expect(calls).toBe(2);
  });

  it('hands one callback at a time to the handler: 20 concurrent callbacks, one exchange, the rest 404', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: LoopbackCallback[] = [];
    const wait = await waitForLoopbackCallback({
      ...flow,
      async handle(callback) {
        handled.push(callback);
        await gate;
        callback.reply(200, 'Signed in', 'Done.');
        return callback.params.get('n') ?? undefined;
      },
    });
    const responses = Array.from({ length: 20 }, (_, index) => fetch(`${wait.url}?n=${index}`));
    // Every request but the one being handled is answered while the handler waits.
    await vi.waitFor(() => expect(handled).toHaveLength(1));
    const winner = handled[0]?.params.get('n');
    const others = await Promise.all(responses.filter((_, index) => String(index) !== winner));
    expect(others.map((response) => response.status)).toEqual(Array(19).fill(404));
    release();
    await expect(wait.result).resolves.toBe(winner);
    expect(handled).toHaveLength(1);
  });

  it("ends with the handler's KitError as it is, and wraps anything else as network, answering 500 when it did not reply", async () => {
    const refused = await waitForLoopbackCallback({
      ...flow,
      async handle({ reply }) {
        reply(400, 'Sign-in failed', 'Try again.');
        throw new KitError('authentication', 'Test sign-in failed: access_denied', { provider: 'test' });
      },
    });
    expect((await fetch(refused.url)).status).toBe(400);
    await expect(refused.result).rejects.toMatchObject({ code: 'authentication', message: 'Test sign-in failed: access_denied' });

    const broken = await waitForLoopbackCallback({
      ...flow,
      async handle() {
        throw new SyntaxError('Unexpected token < in JSON');
      },
    });
    const response = await fetch(broken.url);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('Test sign-in failed');
    const error = await broken.result.catch((thrown: unknown) => thrown);
    expect(KitError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'network', message: 'Test sign-in: Unexpected token < in JSON', provider: 'test' });
    // KitError keeps a masked copy of a foreign cause (a cause may echo a secret).
    expect(String((error as KitError).cause)).toContain('Unexpected token < in JSON');
  });

  it('fails with timeout after timeoutMs, and with aborted on a signal (also one aborted before it listens) or cancel()', async () => {
    const handle = async () => 'never';
    const timed = await waitForLoopbackCallback({ ...flow, timeoutMs: 30, handle });
    await expect(timed.result).rejects.toMatchObject({ code: 'timeout', message: 'Test sign-in did not complete within 30 ms' });
    await expect(fetch(timed.url)).rejects.toThrow();

    const controller = new AbortController();
    const aborted = await waitForLoopbackCallback({ ...flow, signal: controller.signal, handle });
    controller.abort();
    await expect(aborted.result).rejects.toMatchObject({ code: 'aborted', message: 'Test sign-in was aborted' });

    const early = await waitForLoopbackCallback({ ...flow, signal: AbortSignal.abort(), handle });
    await expect(early.result).rejects.toMatchObject({ code: 'aborted' });

    const cancelled = await waitForLoopbackCallback({ ...flow, handle });
    cancelled.cancel();
    await expect(cancelled.result).rejects.toMatchObject({ code: 'aborted' });
    await expect(fetch(cancelled.url)).rejects.toThrow();
  });

  it('rejects with a network KitError naming the flow when the port is taken; nothing is left unhandled', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const error = await waitForLoopbackCallback({ ...flow, port, handle: async () => 'x' }).catch((thrown: unknown) => thrown);
      expect(KitError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: 'network', message: expect.stringMatching(/^Test sign-in: cannot listen on 127\.0\.0\.1: .*EADDRINUSE/) });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      blocker.close();
    }
  });
});

describe('showSignInUrl', () => {
  it('writes the URL to stderr by default, naming the service', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await showSignInUrl('https://example.test/auth?x=1', {}, 'Example');
    expect(write).toHaveBeenCalledWith('Open this URL to sign in with Example:\nhttps://example.test/auth?x=1\n');
  });

  it('hands the URL to onAuthorizationUrl and openBrowser; a browser that fails to open is ignored', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const shown: string[] = [];
    const opened: string[] = [];
    await showSignInUrl(
      'https://example.test/auth',
      {
        onAuthorizationUrl: (url) => shown.push(url),
        openBrowser: async (url) => {
          opened.push(url);
          throw new Error('no browser here');
        },
      },
      'Example',
    );
    expect(shown).toEqual(['https://example.test/auth']);
    expect(opened).toEqual(['https://example.test/auth']);
    expect(write).not.toHaveBeenCalled();
  });
});
