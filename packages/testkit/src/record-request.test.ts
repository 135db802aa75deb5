import { describe, expect, it } from 'vitest';
import { maskHeaders, maskPath, recordRequest, scrubSecrets } from './record-request';

describe('recordRequest', () => {
  it('masks credential headers and lower-cases names', () => {
    expect(
      maskHeaders({
        authorization: 'Bearer test-key-1',
        'x-api-key': 'test-key-2',
        'x-goog-api-key': 'test-key-3',
        'content-type': 'application/json',
        'x-multi': ['a', 'b'],
      }),
    ).toEqual({
      authorization: '***',
      'x-api-key': '***',
      'x-goog-api-key': '***',
      'content-type': 'application/json',
      'x-multi': 'a, b',
    });
  });

  it('masks key= query parameters', () => {
    expect(maskPath('/v1beta/models/x:generateContent?alt=sse&key=test-key-1')).toBe('/v1beta/models/x:generateContent?alt=sse&key=***');
    expect(maskPath('/v1/models?key=abc&api_key=def&keep=1')).toBe('/v1/models?key=***&api_key=***&keep=1');
  });

  it('removes known secrets from every string, keys included', () => {
    expect(scrubSecrets({ note: 'my key is test-key-1!', 'test-key-1': ['test-key-1'] }, ['test-key-1'])).toEqual({
      note: 'my key is ***!',
      '***': ['***'],
    });
  });

  it('builds a record with no secret anywhere', () => {
    const record = recordRequest({
      method: 'POST',
      url: '/v1/chat/completions?token=test-key-9',
      headers: { authorization: 'Bearer test-key-9', 'x-echo': 'test-key-9' },
      body: { messages: [{ role: 'user', content: 'leak test-key-9 please' }] },
      credentialId: 'first',
      at: 5,
      secrets: ['test-key-9'],
    });
    expect(JSON.stringify(record)).not.toContain('test-key-9');
    expect(record).toMatchObject({ method: 'POST', credentialId: 'first', at: 5, aborted: false });
    expect(record.headers['x-echo']).toBe('***');
  });
});
