import { describe, expect, it } from 'vitest';
import { decodeBase64Text } from './base64-text';
import { KitError } from './kit-error';

describe('decodeBase64Text', () => {
  it('decodes base64 of UTF-8 text, multi-byte characters included', () => {
    // "Café ✓" as UTF-8 bytes, base64-encoded (RFC 4648 §4 alphabet, padded).
    expect(decodeBase64Text('Q2Fmw6kg4pyT', 'data', 'test')).toBe('Café ✓');
    expect(decodeBase64Text('', 'data', 'test')).toBe('');
  });

  it('turns bytes that are not UTF-8 into U+FFFD instead of failing', () => {
    expect(decodeBase64Text('/w==', 'data', 'test')).toBe('\uFFFD');
  });

  it('refuses data that is not base64 with invalid_request naming the field', () => {
    let thrown: unknown;
    try {
      decodeBase64Text('not base64!', 'messages[0].content[1].source.data', 'openai');
    } catch (error) {
      thrown = error;
    }
    expect(KitError.is(thrown) && thrown.code).toBe('invalid_request');
    expect((thrown as KitError).message).toBe('openai: messages[0].content[1].source.data: is not base64');
  });
});
