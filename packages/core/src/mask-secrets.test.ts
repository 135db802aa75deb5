import { describe, expect, it } from 'vitest';
import { longestSecretPiece } from './longest-secret-piece.test-helper';
import { maskSecrets, maskValue } from './mask-secrets';

// Built at run time: no key-shaped literal in the source.
const openAIKey = `sk-proj-${'Ab3'.repeat(8)}`;
const googleKey = `AIza${'Q7f'.repeat(8)}`;
const secret = 'test-key-very-secret-0001';

describe('maskSecrets: secrets and secret-shaped values', () => {
  it('removes known secrets and secret-shaped values', () => {
    const text = [
      `key ${secret}`,
      'Authorization: Bearer abcdefghijklmnop',
      'x-api-key: anthropic-test-value',
      `https://host/v1/models?key=${googleKey}&alt=sse`,
      openAIKey,
      '{"refresh_token":"rt-123456"}',
    ].join('\n');
    const masked = maskSecrets(text, [secret]);
    for (const leaked of [secret, 'abcdefghijklmnop', 'anthropic-test-value', 'AIzaQ7f', openAIKey.slice(0, 11), 'rt-123456']) {
      expect(masked).not.toContain(leaked);
    }
    expect(masked).toContain('alt=sse');
    expect(masked).toContain('Authorization: Bearer ***');
    expect(masked).toContain('x-api-key: ***');
  });

  it('masks header values whatever their scheme, and values after = or inside quotes', () => {
    expect(maskSecrets('authorization: Basic dXNlcjpwYXNz')).toBe('authorization: Basic ***');
    expect(maskSecrets('x-goog-api-key: abcdefghijklmnopqrst\r\naccept: */*')).toBe('x-goog-api-key: ***\r\naccept: */*');
    expect(maskSecrets('OPENAI_API_KEY=abc refresh_token=xyz&grant_type=refresh_token')).toBe('OPENAI_API_KEY=*** refresh_token=***&grant_type=refresh_token');
    expect(maskSecrets('{"api_key": "short", "client_secret": "two words"}')).toBe('{"api_key": "***", "client_secret": "***"}');
    expect(maskSecrets("{ 'x-api-key': 'abc', authorization: 'Bearer abc' }")).toBe("{ 'x-api-key': '***', authorization: 'Bearer ***' }");
  });

  it('masks a value inside JSON that was itself put in a JSON string, keeping the escapes', () => {
    const inner = JSON.stringify(JSON.stringify({ access_token: 'opaque-token-value', scope: 'a b' }));
    const masked = maskSecrets(inner);
    expect(masked).not.toContain('opaque-token-value');
    expect(JSON.parse(JSON.parse(masked))).toEqual({ access_token: '***', scope: 'a b' });
  });

  it('masks an unquoted value with a digit even in the middle of a sentence', () => {
    expect(maskSecrets('the apiKey: gw7Hq2vLx9 was refused')).toBe('the apiKey: *** was refused');
    expect(maskSecrets('refresh_token: 1//0gAbCdEfGh, retrying')).toBe('refresh_token: ***, retrying');
  });

  it('leaves the message untouched when there is nothing secret in it', () => {
    const text = 'invalid_request: model "gpt-4.1" does not exist; see https://platform.example/docs?page=2';
    expect(maskSecrets(text, [secret])).toBe(text);
  });

  it('masks every string of plain data, deeply', () => {
    expect(maskValue({ a: [`x ${secret}`], b: { c: 'Authorization: Bearer abcdefghijk' }, n: 1 }, [secret])).toEqual({
      a: ['x ***'],
      b: { c: 'Authorization: Bearer ***' },
      n: 1,
    });
  });
});

describe('maskSecrets: validation messages stay readable (field names are not values)', () => {
  // The very first error a new user sees (create-chat-provider.ts), and the messages of the settings validators.
  it.each([
    'apiKey: openai has none: set OPENAI_API_KEY or pass apiKey or credentials',
    'apiKey: my-gateway has none: set GATEWAY_API_KEY or pass apiKey or credentials',
    'invalid openai settings: apiKey: must not be empty',
    'OAuthManager: credentials[0].refresh_token: is not a known option',
    'invalid settings: apiKey: Invalid input: expected string, received number',
    'invalid settings: apiKey: Required',
    'invalid settings: client_secret: undefined',
    'accessToken: must be a non-empty string; refreshToken: expected string',
  ])('%s', (message) => {
    expect(maskSecrets(message)).toBe(message);
  });
});

describe('maskSecrets: pieces of secrets, as a cut leaves them', () => {
  it('masks a piece of a known secret of 8 or more characters before or after an ellipsis or at either end', () => {
    expect(maskSecrets(`body: {"k": "${secret.slice(0, 12)}…`, [secret])).toBe('body: {"k": "***…');
    expect(maskSecrets(`ends with ${secret.slice(0, 9)}`, [secret])).toBe('ends with ***');
    expect(maskSecrets(`…${secret.slice(-10)} and more`, [secret])).toBe('…*** and more');
  });

  it('masks a run of 8 or more characters of a known secret anywhere, and leaves shorter runs', () => {
    expect(maskSecrets(`ends with ${secret.slice(0, 7)}…`, [secret])).toBe(`ends with ${secret.slice(0, 7)}…`);
    expect(maskSecrets(`a phrase with ${secret.slice(3, 14)} inside`, [secret])).toBe('a phrase with *** inside');
    expect(maskSecrets('x'.repeat(5000) + secret.slice(-9), [secret])).toBe(`${'x'.repeat(5000)}***`);
  });

  it('masks what V8 quotes of a body holding a key in a JSON.parse message', () => {
    // Node ≥ 20's V8 quotes about 10 characters each side of the bad token: `..."1,1,1,sk-proj-Ab"... is not valid JSON`.
    const bodies = [openAIKey, `x${openAIKey}`, `[${'1,'.repeat(20)}${openAIKey}]`, `<html>${secret}</html>`, `{"a":1,"b":${secret}}`];
    for (const body of bodies) {
      let message = '';
      try {
        JSON.parse(body);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      const masked = maskSecrets(`unreadable response: ${message}`, [openAIKey, secret]);
      expect(longestSecretPiece(openAIKey, masked)).toBeLessThan(8);
      expect(longestSecretPiece(secret, masked)).toBeLessThan(8);
    }
  });

  it('masks the start of a key-shaped string before a cut mark even without the key', () => {
    expect(maskSecrets(`Unexpected token 's', "${openAIKey.slice(0, 10)}"... is not valid JSON`)).toBe(`Unexpected token 's', "***"... is not valid JSON`);
    expect(maskSecrets(`…${'x'.repeat(5)}${openAIKey.slice(0, 7)}…`)).toBe(`…xxxxx***…`);
    // Without a cut mark, a short word that merely starts like a key is no key.
    expect(maskSecrets('open the task-list and sk-form')).toBe('open the task-list and sk-form');
  });
});
