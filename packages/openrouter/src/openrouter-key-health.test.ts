import { describe, expect, it } from 'vitest';
import { readOpenRouterKeyHealth } from './openrouter-key-health';

// Shapes of `GET /api/v1/key` from OpenRouter's API reference ("Get current API key").
describe('readOpenRouterKeyHealth', () => {
  it('a key without a limit, or with credit left, is healthy', () => {
    expect(readOpenRouterKeyHealth({ data: { label: 'sk-or-v1-…', limit: null, usage: 0.25, limit_remaining: null, is_free_tier: false } })).toEqual({
      healthy: true,
    });
    expect(readOpenRouterKeyHealth({ data: { label: 'sk-or-v1-…', limit: 10, usage: 2, limit_remaining: 8, is_free_tier: false } })).toEqual({ healthy: true });
  });

  it('a key whose credit limit is used up is unhealthy and says why', () => {
    expect(readOpenRouterKeyHealth({ data: { label: 'sk-or-v1-…', limit: 5, usage: 5, limit_remaining: 0, is_free_tier: false } })).toEqual({
      healthy: false,
      message: "openrouter: the key's credit limit is used up (limit 5, usage 5)",
    });
  });

  it('an answer without data is healthy (the 2xx says the key works)', () => {
    expect(readOpenRouterKeyHealth('ok')).toEqual({ healthy: true });
  });
});
