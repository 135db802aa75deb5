import { describe, expect, it } from 'vitest';
import { qwenBaseURLFor, qwenResourceBaseURL } from './qwen-base-url';

describe('qwenResourceBaseURL', () => {
  it('accepts a resourceUrl with or without scheme, /v1 and trailing slashes', () => {
    const cases: [string, string][] = [
      ['portal.qwen.ai', 'https://portal.qwen.ai/v1'],
      ['portal.qwen.ai/', 'https://portal.qwen.ai/v1'],
      ['portal.qwen.ai/v1', 'https://portal.qwen.ai/v1'],
      ['https://portal.qwen.ai', 'https://portal.qwen.ai/v1'],
      ['https://portal.qwen.ai/v1/', 'https://portal.qwen.ai/v1'],
      ['  dashscope.aliyuncs.com/compatible-mode ', 'https://dashscope.aliyuncs.com/compatible-mode/v1'],
      ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/v1'],
    ];
    for (const [resourceUrl, expected] of cases) expect([resourceUrl, qwenResourceBaseURL(resourceUrl)]).toEqual([resourceUrl, expected]);
  });

  it('refuses plain http:// except to a loopback address', () => {
    for (const bad of [
      'http://portal.qwen.ai',
      'http://10.0.0.7:8080/v1',
      'http://localhost.example.com',
      'http://127.0.0.1.example.com',
      'HTTP://portal.qwen.ai',
    ]) {
      expect(() => qwenResourceBaseURL(bad)).toThrowError(
        expect.objectContaining({ code: 'invalid_config', message: expect.stringMatching(/resourceUrl.*http/) }),
      );
    }
    const loopback: [string, string][] = [
      ['http://localhost:4010', 'http://localhost:4010/v1'],
      ['http://127.0.0.1:4010/v1', 'http://127.0.0.1:4010/v1'],
      ['http://127.8.9.10', 'http://127.8.9.10/v1'],
      ['http://[::1]:4010', 'http://[::1]:4010/v1'],
    ];
    for (const [resourceUrl, expected] of loopback) expect([resourceUrl, qwenResourceBaseURL(resourceUrl)]).toEqual([resourceUrl, expected]);
  });

  it('refuses what is not a host', () => {
    for (const bad of ['', 'not a host', 'https://', 'http://exa mple.com']) {
      expect(() => qwenResourceBaseURL(bad)).toThrowError(expect.objectContaining({ code: 'invalid_config', message: expect.stringMatching(/resourceUrl/) }));
    }
  });
});

describe('qwenBaseURLFor', () => {
  const configured = 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1';
  it('routes OAuth leases by resourceUrl, else the OAuth base URL; API keys to the configured endpoint', () => {
    expect(qwenBaseURLFor({ id: 'a', secret: 's', kind: 'oauth', baseURL: 'chat.example.com' }, configured)).toBe('https://chat.example.com/v1');
    expect(qwenBaseURLFor({ id: 'a', secret: 's', kind: 'oauth' }, configured)).toBe('https://portal.qwen.ai/v1');
    expect(qwenBaseURLFor({ id: 'a', secret: 's', kind: 'oauth' }, configured, 'https://gateway.example.com/v1')).toBe('https://gateway.example.com/v1');
    expect(qwenBaseURLFor({ id: 'k', secret: 's', kind: 'api-key' }, configured)).toBe(configured);
    // An API-key lease with its own endpoint keeps it exactly (no /v1 added).
    expect(qwenBaseURLFor({ id: 'k', secret: 's', kind: 'api-key', baseURL: 'https://dashscope.aliyuncs.com/compatible-mode' }, configured)).toBe(
      'https://dashscope.aliyuncs.com/compatible-mode',
    );
  });
});
