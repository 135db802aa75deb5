import { describe, expect, it } from 'vitest';
import { KitError } from './kit-error';
import { createPassphraseCipher } from './passphrase-cipher';

// Few iterations: the derivation's cost is not what these tests are about.
const options = { iterations: 1_000 };

describe('createPassphraseCipher', () => {
  it('opens what any cipher with the same passphrase sealed, and never shows the plaintext', async () => {
    const a = createPassphraseCipher('test-passphrase', options);
    const b = createPassphraseCipher('test-passphrase', options);
    const sealed = await a.seal('test-refresh-token-1', 'record#refreshToken');
    expect(sealed).toMatch(/^kit1\.1000\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('test-refresh-token-1');
    expect(await b.open(sealed, 'record#refreshToken')).toBe('test-refresh-token-1');
    // A fresh IV per value: the same plaintext seals differently.
    expect(await a.seal('test-refresh-token-1', 'record#refreshToken')).not.toBe(sealed);
  });

  it('refuses another passphrase, another context (a value moved elsewhere), altered data and garbage', async () => {
    const cipher = createPassphraseCipher('test-passphrase', options);
    const sealed = await cipher.seal('test-access-token-1', 'one#accessToken');
    const parts = sealed.split('.');
    const altered = [...parts.slice(0, 4), `${parts[4]?.startsWith('A') ? 'B' : 'A'}${parts[4]?.slice(1)}`].join('.');
    const attempts = [
      () => createPassphraseCipher('test-passphrase-other', options).open(sealed, 'one#accessToken'),
      () => cipher.open(sealed, 'two#accessToken'),
      () => cipher.open(altered, 'one#accessToken'),
      () => cipher.open('not sealed', 'one#accessToken'),
      () => cipher.open('kit1.99999999999.a.b.c', 'one#accessToken'),
    ];
    for (const attempt of attempts) {
      const error = await attempt().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(KitError.is(error) && error.code).toBe('invalid_response');
      expect(String((error as Error).message)).not.toContain('test-access-token-1');
    }
  });

  it('rejects an empty passphrase and bad iteration counts, naming them', () => {
    expect(() => createPassphraseCipher('')).toThrow(/passphrase/);
    expect(() => createPassphraseCipher('test-passphrase', { iterations: 0 })).toThrow(/options\.iterations/);
    expect(() => createPassphraseCipher('test-passphrase', { iterations: 1.5 })).toThrow(/options\.iterations/);
  });
});
