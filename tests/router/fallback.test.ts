// createFallback over real loopback upstreams (testkit), each entry an OpenAI provider with its own engine.
import { KitError } from '@kit/core';
import { createFallback } from '@kit/router';
import { faults, replies } from '@kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLog, expectNoSecrets, fakeKeys, upstreams } from '../engine/helpers';
import { failovers, providerOn, rejectionOf } from './router-harness';

const servers = upstreams();
afterEach(async () => {
  await servers.closeAll();
});

describe('createFallback', () => {
  it('moves past a provider answering 500 and one answering 401, to the one that works; failover events name them', async () => {
    const broken = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(500) });
    const revoked = await servers.start({ dialect: 'openai', defaultScript: faults.unauthorized() });
    const good = await servers.start({ dialect: 'openai', defaultScript: replies.text('the answer') });
    const events = eventLog();
    const chain = createFallback([providerOn(broken, 'broken').provider, providerOn(revoked, 'revoked').provider, providerOn(good, 'good').provider], {
      onEvent: events.onEvent,
    });

    const stream = await chain.generateChatCompletion({ prompt: 'hi' });
    expect(await stream.text()).toBe('the answer');
    expect(failovers(events.events)).toEqual(['broken→revoked:server_error', 'revoked→good:authentication']);
    expect([broken.requests.length, revoked.requests.length, good.requests.length]).toEqual([1, 1, 1]);
    expect(events.events[0]).toMatchObject({ type: 'failover', provider: 'fallback' });
    expectNoSecrets([events.events], fakeKeys);
  });

  it('complete() takes the same path (non-streaming on the wire)', async () => {
    const broken = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(503) });
    const good = await servers.start({ dialect: 'openai', defaultScript: replies.text('whole answer') });
    const chain = createFallback([providerOn(broken, 'broken').provider, providerOn(good, 'good').provider]);
    const completion = await chain.complete({ prompt: 'hi' });
    expect(completion.text).toBe('whole answer');
    expect(good.requests[0]?.body).not.toMatchObject({ stream: true });
  });

  it('no failover after the first content: the caller gets the error and keeps the partial text', async () => {
    const flaky = await servers.start({ dialect: 'openai', defaultScript: { kind: 'reset-mid-stream', afterChunks: 2, text: 'one two three four' } });
    const spare = await servers.start({ dialect: 'openai', defaultScript: replies.text('spare') });
    const events = eventLog();
    const chain = createFallback([providerOn(flaky, 'flaky').provider, providerOn(spare, 'spare').provider], { onEvent: events.onEvent });

    const stream = await chain.generateChatCompletion({ prompt: 'hi' });
    let text = '';
    let thrown: unknown;
    try {
      for await (const event of stream) if (event.type === 'text-delta') text += event.text;
    } catch (error) {
      thrown = error;
    }
    expect(KitError.is(thrown)).toBe(true);
    expect((thrown as KitError).code).toBe('network');
    expect(text.length).toBeGreaterThan(0);
    expect('one two three four'.startsWith(text)).toBe(true);
    expect(spare.requests).toHaveLength(0);
    expect(failovers(events.events)).toEqual([]);
  });

  it('an invalid_request does not fail over; nor does context_length unless contextLengthFallback is set', async () => {
    const strict = await servers.start({ dialect: 'openai', defaultScript: faults.badRequest('bad parameter') });
    const small = await servers.start({ dialect: 'openai', defaultScript: faults.contextLength() });
    const large = await servers.start({ dialect: 'openai', defaultScript: replies.text('fits') });
    await expect(createFallback([providerOn(strict, 'strict').provider, providerOn(large, 'large').provider]).complete({ prompt: 'hi' })).rejects.toMatchObject(
      {
        code: 'invalid_request',
      },
    );
    await expect(createFallback([providerOn(small, 'small').provider, providerOn(large, 'large').provider]).complete({ prompt: 'hi' })).rejects.toMatchObject({
      code: 'context_length',
    });
    expect(large.requests).toHaveLength(0);
    const widening = createFallback([providerOn(small, 'small').provider, providerOn(large, 'large').provider], { contextLengthFallback: true });
    expect((await widening.complete({ prompt: 'hi' })).text).toBe('fits');
    expect(large.requests).toHaveLength(1);
  });

  it('per-entry model overrides are sent to each entry', async () => {
    const first = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(500) });
    const second = await servers.start({ dialect: 'openai', defaultScript: replies.text('ok') });
    const chain = createFallback([
      { provider: providerOn(first, 'a').provider, model: 'gpt-4o' },
      { provider: providerOn(second, 'b').provider, model: 'gpt-4o-mini' },
    ]);
    await chain.complete({ prompt: 'hi', model: 'ignored-by-both' });
    expect(first.requests[0]?.body).toMatchObject({ model: 'gpt-4o' });
    expect(second.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('when every entry fails, the error names each failure and holds no secret', async () => {
    const broken = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(502) });
    const revoked = await servers.start({ dialect: 'openai', defaultScript: faults.unauthorized() });
    const chain = createFallback([providerOn(broken, 'broken').provider, providerOn(revoked, 'revoked', { key: fakeKeys[1] }).provider]);
    const error = await rejectionOf(chain.complete({ prompt: 'hi' }));
    expect(error).toBeInstanceOf(KitError);
    expect(error.code).toBe('authentication');
    expect(error.message).toMatch(/broken: server_error 502 .*; revoked: authentication 401/);
    expectNoSecrets([error, error.message, JSON.stringify(error)], fakeKeys);
  });

  it('an entry that failed is skipped while it cools down, then tried again (clock injected)', async () => {
    let now = 0;
    const flaky = await servers.start({ dialect: 'openai', defaultScript: [faults.serverError(500), replies.text('back')] });
    const spare = await servers.start({ dialect: 'openai', defaultScript: replies.text('spare') });
    const chain = createFallback([providerOn(flaky, 'flaky').provider, providerOn(spare, 'spare').provider], { now: () => now });
    expect((await chain.complete({ prompt: '1' })).text).toBe('spare');
    expect((await chain.complete({ prompt: '2' })).text).toBe('spare');
    expect(flaky.requests).toHaveLength(1); // skipped during its 1 s cooldown
    now = 1_000;
    expect((await chain.complete({ prompt: '3' })).text).toBe('back');
    expect(flaky.requests).toHaveLength(2);
  });

  it('50 concurrent calls while the first entry is down: every call is answered by the second', async () => {
    const broken = await servers.start({ dialect: 'openai', defaultScript: faults.serverError(500) });
    const good = await servers.start({ dialect: 'openai', defaultScript: replies.text('fine') });
    const chain = createFallback([providerOn(broken, 'broken').provider, providerOn(good, 'good').provider], { now: () => 0 });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => chain.complete({ prompt: `call ${index}` })));
    expect(answers.every((answer) => answer.text === 'fine')).toBe(true);
    expect(good.requests).toHaveLength(50);
    // Calls that started together each tried the broken entry; a later one skips it while it cools down.
    const triedBroken = broken.requests.length;
    expect(triedBroken).toBeGreaterThan(0);
    const next = await chain.complete({ prompt: 'after' });
    expect(next.text).toBe('fine');
    expect(good.requests).toHaveLength(51);
    expect(broken.requests).toHaveLength(triedBroken);
  });

  it('aggregates health, models and metrics of its entries', async () => {
    const alive = await servers.start({ dialect: 'openai', models: [{ id: 'gpt-4o' }, { id: 'gpt-4o-mini' }], defaultScript: replies.text('hi') });
    const dead = await servers.start({
      dialect: 'openai',
      credentials: [{ id: 'other', secret: 'test-key-not-the-one-we-send-123' }],
      models: [{ id: 'gpt-4.1' }],
    });
    const a = providerOn(alive, 'alive');
    const b = providerOn(dead, 'dead');
    const chain = createFallback([b.provider, a.provider]);
    const health = await chain.healthCheck();
    expect(health.healthy).toBe(true);
    expect(health.message).toMatch(/^1 of 2 entries healthy; dead: /);
    const models = await chain.getModels();
    expect(models.map((model) => model.id)).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4o-mini']));
    await chain.complete({ prompt: 'count me' });
    const metrics = chain.getMetrics();
    expect(metrics.requestCount).toBe(b.provider.getMetrics().requestCount + a.provider.getMetrics().requestCount);
    expect(metrics.successCount).toBe(1);
    expect(metrics.errorCount).toBe(1);
    expect(metrics.health?.healthy).toBe(true);
    expectNoSecrets([health, metrics], fakeKeys);
  });
});
