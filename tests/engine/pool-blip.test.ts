import { KeyManager } from '@kit/keymanager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetchEngine, finishChunks, jsonResponse, settle, sseResponse, textChunk } from './fetch-fakes';

// OpenAI's bodies (API reference, "Error codes"): 401 invalid_api_key, 500 server_error.
const unauthorized = () =>
  jsonResponse(401, { error: { message: 'Incorrect API key provided: test-…', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
const serverError = () =>
  jsonResponse(500, {
    error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null },
  });
const answer = () => sseResponse([textChunk('fine'), finishChunks]);

describe('a 300 ms upstream blip under 50 concurrent callers does not take a healthy pool down', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pool [revoked, good]: no call fails with credentials_exhausted, every call after the blip succeeds, no key is sent while in backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
    const revokedKey = 'test-revoked-key-abcdefghij';
    const goodKey = 'test-good-key-abcdefghijkl';
    const keys = new KeyManager('openai', [revokedKey, goodKey]);
    const blipEndsAt = performance.now() + 300;
    let sentInBackoff = 0;
    const engine = fakeFetchEngine({
      credentials: keys,
      realSleep: true,
      respond: ({ authorization }) => {
        const id = authorization.includes(revokedKey) ? 'key-1' : 'key-2';
        if (!keys.getKeyHealth().find((key) => key.id === id)?.available) sentInBackoff += 1;
        if (id === 'key-1') return unauthorized();
        return performance.now() < blipEndsAt ? serverError() : answer();
      },
    });
    const call = () => settle(engine.generate({ prompt: 'hi' }).then((stream) => stream.text()));

    const during = Array.from({ length: 50 }, call);
    // The blip is over, no retry has been sent yet (the first backoff is 500 ms). The 25 calls that started on the good
    // key failed together: one event. The 25 that failed over from the revoked key were sent to it in panic mode after
    // its cooldown began: a second event. Never one per request (milestone 1: 20 events, a 60 s backoff). Checked now,
    // before the retries succeed and reset the count.
    await vi.advanceTimersByTimeAsync(350);
    const afterBlip = keys.getKeyHealth().find((key) => key.id === 'key-2');
    expect(afterBlip?.failures).toBe(50);
    expect(afterBlip?.consecutiveFailures).toBe(2);
    expect(afterBlip?.healthy).toBe(true);
    await vi.advanceTimersByTimeAsync(1_650);
    const duringOutcomes = await Promise.all(during);

    const after = Array.from({ length: 50 }, call);
    await vi.advanceTimersByTimeAsync(2_000);
    const afterOutcomes = await Promise.all(after);

    const all = [...duringOutcomes, ...afterOutcomes];
    expect(all.filter((outcome) => outcome.error?.code === 'credentials_exhausted')).toEqual([]);
    expect(afterOutcomes.map((outcome) => outcome.error?.code ?? outcome.value)).toEqual(Array.from({ length: 50 }, () => 'fine'));
    // The blip ends before the first retry's backoff (500 ms): the calls that met it succeed on their retry.
    expect(duringOutcomes.filter((outcome) => outcome.error)).toEqual([]);
    expect(sentInBackoff).toBe(0);
    const good = keys.getKeyHealth().find((key) => key.id === 'key-2');
    expect(good).toMatchObject({ healthy: true, consecutiveFailures: 0, available: true });
  });
});
