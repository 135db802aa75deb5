import { describe, expect, it } from 'vitest';
import { createUpstreamError, upstreamMessage } from './classify-error';
import { KitError } from './kit-error';
import { longestSecretPiece } from './longest-secret-piece.test-helper';
import { maskSecrets } from './mask-secrets';
import { postOAuthForm } from './post-oauth-form';
import { truncateMasked } from './truncate-masked';

// Built at run time: no key-shaped literal in the source. None shares a run of 8 characters with the filler.
const openAIKey = `sk-proj-${'Ab3Cd4'.repeat(6)}`; // key-shaped: found without being told
const refreshToken = `1//0g${'Kz7Qw2Pn5'.repeat(5)}`; // Google-style refresh token: only the secret list finds it
const plainSecret = 'test-key-very-secret-0001';
const keys = [openAIKey, refreshToken, plainSecret];

/** `text` with `secret` starting at `offset` (≥ 1, after a space), inside filler that shares nothing with it. */
const placed = (secret: string, offset: number) => `${'x'.repeat(offset - 1)} ${secret}${' y'.repeat(40)}`;
/** Every offset that puts `secret` across a cut at `max` (and a little either side). */
const offsetsAcross = (secret: string, max: number) => Array.from({ length: secret.length + 6 }, (_, index) => max - secret.length - 3 + index);

describe('truncateMasked', () => {
  it('only masks a text that fits', () => {
    expect(truncateMasked(`key ${plainSecret}`, 100, [plainSecret])).toBe('key ***');
    expect(truncateMasked('short and harmless', 18)).toBe('short and harmless');
  });

  it('cuts to at most max characters ending with …, masking before cutting', () => {
    const cut = truncateMasked(`Authorization: Bearer ${'q'.repeat(60)} then more text`, 30);
    expect(cut).toBe('Authorization: Bearer *** the…');
    expect(cut.length).toBeLessThanOrEqual(30);
    expect(truncateMasked('a'.repeat(1000), 500)).toHaveLength(500);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateMasked(`${'a'.repeat(8)}😀😀`, 10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
  });

  it.each([500, 300, 120])('never lets 8 characters of a known secret through a cut at %i', (max) => {
    for (const key of keys) {
      for (const offset of offsetsAcross(key, max)) {
        const cut = truncateMasked(placed(key, offset), max, [key]);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(longestSecretPiece(key, cut), `${key} at ${offset}: ${cut.slice(-40)}`).toBeLessThan(8);
      }
    }
  });

  it.each([500, 300, 120])('cut without the secrets at %i: a later pass that knows them masks the piece at the cut', (max) => {
    for (const key of keys) {
      for (const offset of offsetsAcross(key, max)) {
        const message = maskSecrets(`upstream said: ${truncateMasked(placed(key, offset), max)} (HTTP 400)`, [key]);
        expect(longestSecretPiece(key, message), `${key} at ${offset}`).toBeLessThan(8);
      }
    }
  });

  it('a key-shaped string cut at the edge is masked even when nobody knows the key', () => {
    for (const offset of offsetsAcross(openAIKey, 120)) {
      expect(longestSecretPiece(openAIKey, truncateMasked(placed(openAIKey, offset), 120))).toBeLessThan(8);
    }
  });
});

describe('cut sites in core', () => {
  it('createUpstreamError: a text body cut at 500 keeps no piece of the credential', () => {
    for (const key of keys) {
      for (const offset of offsetsAcross(key, 500)) {
        const body = placed(key, offset);
        // upstreamMessage does not know the secrets: a key-shaped one is masked there already, any other by the error.
        if (key === openAIKey) expect(longestSecretPiece(key, upstreamMessage(body) ?? '')).toBeLessThan(8);
        const error = createUpstreamError({ status: 502, body, headers: new Headers() }, { provider: 'p', secrets: [key] });
        for (const view of [error.message, error.stack ?? '', JSON.stringify(error)]) {
          expect(longestSecretPiece(key, view), `${key} at ${offset}`).toBeLessThan(8);
        }
      }
    }
  });

  const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('postOAuthForm: an error_description cut at 300 keeps no piece of the refresh token', async () => {
    for (const offset of offsetsAcross(refreshToken, 300)) {
      const fetch = answer(400, { error: 'invalid_grant', error_description: placed(refreshToken, offset) });
      const error = await postOAuthForm(
        'https://oauth.example/token',
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        { provider: 'p', fetch },
      ).catch((thrown: unknown) => thrown);
      expect(KitError.is(error)).toBe(true);
      expect(longestSecretPiece(refreshToken, (error as KitError).message), `at ${offset}`).toBeLessThan(8);
      expect(longestSecretPiece(refreshToken, JSON.stringify(error)), `at ${offset}`).toBeLessThan(8);
    }
  });

  it('postOAuthForm: a message without an OAuth error field, cut at 300, keeps no piece of the client secret', async () => {
    const clientSecret = `GOCSPX-${'Rt6Vm1Ls8'.repeat(3)}`;
    for (const offset of offsetsAcross(clientSecret, 300)) {
      const fetch = answer(500, { message: placed(clientSecret, offset) });
      const error = await postOAuthForm(
        'https://oauth.example/token',
        { grant_type: 'authorization_code', code: 'c-1', client_secret: clientSecret },
        { provider: 'p', fetch },
      ).catch((thrown: unknown) => thrown);
      expect((error as KitError).code).toBe('server_error');
      expect(longestSecretPiece(clientSecret, (error as KitError).message), `at ${offset}`).toBeLessThan(8);
    }
  });
});
