import { KitError, type GenerateOptions, type Provider } from '@kit/core';
import { expect, it } from 'vitest';
import { createCaptureFetch, type CapturedRequest } from './capture-fetch';
import type { WireDialect } from './canned-answers';
import { logicalRequests } from './logical-requests';
import { snapshotJson } from './snapshot-json';

/** A provider under test: how to build it around a capturing `fetch`, and what its requests name. */
export interface FidelityTarget {
  /** The snapshot's name: `__snapshots__/<name>.json`. */
  name: string;
  dialect: WireDialect;
  /** A `test-key-…` key (none for a local server): the snapshot must not contain it. */
  apiKey?: string;
  /** The model every request names. */
  model: string;
  /** The provider, with `fetch` as its only transport, no retries and no environment. */
  create: (fetch: typeof globalThis.fetch) => Provider;
  /** `providerOptions` of the prompt-caching case, where the provider takes a caching marker. */
  cachingOptions?: GenerateOptions['providerOptions'];
  /** `providerOptions` of the reasoning-replay case (Anthropic replays thinking blocks only with thinking on). */
  reasoningOptions?: GenerateOptions['providerOptions'];
}

/** What one logical request produced: the request @kit sent, or the error it refused the request with. */
export interface CaseRecord {
  about: string;
  request?: CapturedRequest;
  /** When @kit sent more than one request for a case (none expected: retries are off). */
  requests?: CapturedRequest[];
  error?: { code: string; message: string };
}

/** A provider's snapshot: every logical request, by name. */
export interface FidelitySnapshot {
  provider: string;
  model: string;
  cases: Record<string, CaseRecord>;
}

/** Runs every logical request through the target and records what went out (or the `KitError` that stopped it). */
export async function captureLogicalRequests(target: FidelityTarget): Promise<FidelitySnapshot> {
  const cases: Record<string, CaseRecord> = {};
  for (const logical of logicalRequests) {
    const capture = createCaptureFetch(target.dialect, target.apiKey ?? '<no key>');
    const provider = target.create(capture.fetch);
    const options = logical.options({ model: target.model, cachingOptions: target.cachingOptions });
    if (logical.name === 'reasoning-replay' && target.reasoningOptions) options.providerOptions = target.reasoningOptions;
    const record: CaseRecord = { about: logical.about };
    try {
      if (options.stream) await (await provider.generateChatCompletion(options)).final();
      else await provider.complete(options);
    } catch (error) {
      // A refusal happens before anything is sent; an error after sending is this suite's fault (a canned answer).
      if (!(error instanceof KitError) || capture.requests.length > 0) throw error;
      record.error = { code: error.code, message: error.message };
    }
    if (capture.requests.length === 1) record.request = capture.requests[0];
    else if (capture.requests.length > 1) record.requests = capture.requests;
    cases[logical.name] = record;
  }
  return { provider: target.name, model: target.model, cases };
}

/**
 * The fidelity suite of one provider: every logical request captured and compared with the committed
 * `__snapshots__/<name>.json` (a changed request is a visible diff in review), with no key in it. Returns accessors
 * for the provider's own field checks.
 */
export function fidelitySuite(target: FidelityTarget) {
  let captured: Promise<FidelitySnapshot> | undefined;
  const capture = () => {
    captured ??= captureLogicalRequests(target);
    return captured;
  };

  it(`sends the reviewed requests (__snapshots__/${target.name}.json)`, async () => {
    const text = snapshotJson(await capture());
    if (target.apiKey) expect(text).not.toContain(target.apiKey);
    await expect(text).toMatchFileSnapshot(`./__snapshots__/${target.name}.json`);
  });

  return {
    /** The one request a case sent; fails the test when the case was refused. */
    async request(name: string): Promise<CapturedRequest & { body: Record<string, unknown> }> {
      const record = (await capture()).cases[name];
      if (!record?.request) throw new Error(`${target.name}: case "${name}" sent no single request: ${JSON.stringify(record?.error)}`);
      return record.request as CapturedRequest & { body: Record<string, unknown> };
    },
    /** The error a case was refused with; fails the test when the case was sent. */
    async error(name: string): Promise<{ code: string; message: string }> {
      const record = (await capture()).cases[name];
      if (!record?.error || record.request) throw new Error(`${target.name}: case "${name}" was not refused`);
      return record.error;
    },
  };
}
