import { createAnthropicStreamMapper } from '@kit/anthropic';
import { KitError } from '@kit/core';
import { maskSecrets, type RequestContext, type StreamMapper } from '@kit/core/provider-utils';
import { createGeminiStreamMapper } from '@kit/gemini';
import { createOpenAIStreamMapper } from '@kit/openai-compatible';
import { qwenResourceBaseURL } from '@kit/qwen';
import { describe, expect, it } from 'vitest';
import { longestSecretPiece } from '../../packages/core/src/longest-secret-piece.test-helper';

// The places where a provider package cuts upstream text into an error message: a malformed stream line (120
// characters) in each dialect's stream mapper, and a refused Qwen `resourceUrl` (100 characters).

// Built at run time: no key-shaped literal in the source. None shares a run of 8 characters with the filler.
const openAIKey = `sk-proj-${'Ab3Cd4'.repeat(6)}`; // key-shaped: masked without being known
const opaqueToken = `Kz7Qw2Pn5${'Tm4Hs8Jv1'.repeat(4)}`; // an OAuth access token of no known shape

const context: RequestContext = { provider: 'p', model: 'm', stream: true, credential: { id: 'key-1', kind: 'api-key' } };
const mappers: [string, () => StreamMapper][] = [
  ['openai-compatible', () => createOpenAIStreamMapper(context)],
  ['anthropic', () => createAnthropicStreamMapper(context)],
  ['gemini', () => createGeminiStreamMapper(context)],
];

/** A malformed stream line (not JSON) holding `secret` at `offset`, after a space. */
const line = (secret: string, offset: number) => `${'x'.repeat(offset - 1)} ${secret} ${'y '.repeat(40)}`;
const offsetsAcross = (secret: string, max: number) => Array.from({ length: secret.length + 6 }, (_, index) => max - secret.length - 3 + index);

function thrownBy(action: () => unknown): KitError {
  try {
    action();
  } catch (error) {
    if (KitError.is(error)) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('malformed stream lines cut at 120', () => {
  it.each(mappers)('%s: a key-shaped key across the cut leaves no 8 characters of itself', (_name, createMapper) => {
    for (const offset of offsetsAcross(openAIKey, 120)) {
      const error = thrownBy(() => createMapper().push({ data: line(openAIKey, offset) }, () => {}));
      expect(error.code).toBe('invalid_response');
      expect(error.message).toContain('malformed JSON');
      expect(longestSecretPiece(openAIKey, error.message), `at ${offset}: ${error.message}`).toBeLessThan(8);
    }
  });

  it.each(mappers)('%s: any token across the cut is masked by the pass that knows the credential', (_name, createMapper) => {
    for (const offset of offsetsAcross(opaqueToken, 120)) {
      const error = thrownBy(() => createMapper().push({ data: line(opaqueToken, offset) }, () => {}));
      // What the engine does with a mapper's error (request-engine.ts, classifyThrown): mask with the lease's secret.
      const masked = maskSecrets(error.message, [opaqueToken]);
      expect(longestSecretPiece(opaqueToken, masked), `at ${offset}: ${masked}`).toBeLessThan(8);
    }
  });
});

describe('a refused Qwen resourceUrl cut at 100', () => {
  it('leaves no 8 characters of a key-shaped value', () => {
    for (const offset of offsetsAcross(openAIKey, 100)) {
      const error = thrownBy(() => qwenResourceBaseURL(`${'x'.repeat(offset - 1)} ${openAIKey} ${'y'.repeat(40)}`));
      expect(error.code).toBe('invalid_config');
      expect(longestSecretPiece(openAIKey, error.message), `at ${offset}: ${error.message}`).toBeLessThan(8);
    }
  });
});
