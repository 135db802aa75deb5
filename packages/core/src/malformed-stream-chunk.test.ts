import { describe, expect, it } from 'vitest';
import { parseStreamChunk, parseStreamData } from './malformed-stream-chunk';
import type { RequestContext } from './provider-definition';

const context: RequestContext = { provider: 'test', model: 'm', stream: true, credential: { id: 'key-1', kind: 'api-key' } };

describe('parseStreamData / parseStreamChunk', () => {
  it('parses JSON, padded or not, and gives undefined for a blank data line (a keep-alive)', () => {
    expect(parseStreamData('{"a":1}')).toEqual({ a: 1 });
    expect(parseStreamData(' \t{"a":1}\n')).toEqual({ a: 1 });
    for (const blank of ['', ' ', '\t\n ']) {
      expect(parseStreamData(blank)).toBeUndefined();
      expect(parseStreamChunk(blank, context)).toBeUndefined();
    }
  });

  it('gives text that is not JSON back as no object, and parseStreamChunk throws invalid_response quoting it', () => {
    expect(parseStreamData('upstream overloaded')).toBe('upstream overloaded');
    expect(parseStreamData('"a JSON string"')).toBe('a JSON string');
    expect(parseStreamChunk('"a JSON string"', context)).toBe('a JSON string');
    expect(() => parseStreamChunk('{"a":', context)).toThrow(
      expect.objectContaining({ code: 'invalid_response', message: 'test: malformed JSON in the response stream: {"a":' }),
    );
  });
});
