import { describe, expect, it } from 'vitest';
import { base64Url, randomBase64Url } from './base64url';

describe('base64Url', () => {
  it('uses the URL-safe alphabet and drops the padding', () => {
    expect(base64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    expect(base64Url(new Uint8Array([0x66]))).toBe('Zg');
    expect(base64Url(new Uint8Array([0x66, 0x6f]))).toBe('Zm8');
    expect(base64Url(new Uint8Array([]))).toBe('');
  });

  it('makes fresh random strings of the right length', () => {
    const first = randomBase64Url(24);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomBase64Url(24)).not.toBe(first);
    expect(randomBase64Url(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
