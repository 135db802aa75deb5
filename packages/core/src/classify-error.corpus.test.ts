import { describe, expect, it } from 'vitest';
import { createUpstreamError } from './classify-error';
import { credentialTreatment, errorCorpus, type ErrorCorpusEntry, type ExpectedVerdict } from './__fixtures__/error-corpus';
import type { KitError } from './kit-error';

// Core's shared rules alone (no provider refiner): the verdict of every entry whose evidence is shared knowledge.
// Entries that need provider knowledge state what core alone concludes; `tests/classification` runs every entry
// through its provider package's own refiner.

function classify(entry: ErrorCorpusEntry): KitError {
  return createUpstreamError(
    { status: entry.status, body: entry.body, headers: new Headers(entry.headers) },
    { provider: entry.provider, credentialId: 'key-1', secrets: [entry.echoedSecret] },
  );
}

function verdictOf(error: KitError): ExpectedVerdict {
  const verdict: ExpectedVerdict = { code: error.code, retryable: error.retryable, credential: credentialTreatment(error) };
  if (error.retryAfterMs !== undefined) verdict.retryAfterMs = error.retryAfterMs;
  return verdict;
}

describe('the error corpus', () => {
  it('holds at least 40 real answers from every provider family, each with its source', () => {
    expect(errorCorpus.length).toBeGreaterThanOrEqual(40);
    const families = new Set(errorCorpus.map((entry) => entry.provider));
    expect([...families].sort()).toEqual(
      [
        'anthropic',
        'azure',
        'cerebras',
        'deepseek',
        'fireworks',
        'gemini',
        'groq',
        'mistral',
        'openai',
        'openrouter',
        'qwen',
        'together',
        'vertex',
        'xai',
      ].sort(),
    );
    expect(new Set(errorCorpus.map((entry) => entry.id)).size).toBe(errorCorpus.length);
    for (const entry of errorCorpus) expect(entry.source.length, entry.id).toBeGreaterThan(10);
  });

  it("states a credential treatment consistent with each verdict's code and wait", () => {
    for (const entry of errorCorpus) expect(entry.expected.credential, entry.id).toBe(credentialTreatment(entry.expected));
  });
});

describe("classification by core's shared rules", () => {
  for (const entry of errorCorpus) {
    if (entry.refinedBy) {
      const { refiner, coreCode } = entry.refinedBy;
      it(`${entry.id}: core alone says ${coreCode}; @kit/${refiner} knows better (${entry.expected.code})`, () => {
        expect(coreCode).not.toBe(entry.expected.code);
        expect(classify(entry).code).toBe(coreCode);
      });
    } else {
      it(`${entry.id} → ${entry.expected.code}, ${entry.expected.credential}`, () => {
        const error = classify(entry);
        expect(verdictOf(error)).toEqual(entry.expected);
        expect(error.status).toBe(entry.status);
      });
    }
  }

  it('never lets a key echoed in a body reach the error', () => {
    const echoing = errorCorpus.filter((entry) => entry.echoedSecret);
    expect(echoing.length).toBeGreaterThan(0);
    for (const entry of echoing) {
      const error = classify(entry);
      const seen = [error.message, String(error.stack), JSON.stringify(error)].join('\n');
      expect(seen).not.toContain(entry.echoedSecret);
    }
  });
});
