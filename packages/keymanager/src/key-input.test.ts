import { describe, expect, it } from 'vitest';
import { normaliseKeyInput } from './key-input';

describe('normaliseKeyInput', () => {
  it('turns a string into a key with the default id and weight 1', () => {
    expect(normaliseKeyInput('test-key-1', 'keys[0]', 'key-1', 'openai')).toEqual({ id: 'key-1', secret: 'test-key-1', weight: 1 });
  });

  it('keeps an explicit id and weight', () => {
    expect(normaliseKeyInput({ id: 'main', key: 'test-key-1', weight: 2.5 }, 'keys[0]', 'key-1', 'openai')).toEqual({
      id: 'main',
      secret: 'test-key-1',
      weight: 2.5,
    });
  });

  it.each<[unknown, string]>([
    ['', 'keys[4]'],
    [null, 'keys[4]'],
    [['test-key-1'], 'keys[4]'],
    [{ key: '' }, 'keys[4].key'],
    [{ key: 'test-key-1', id: '' }, 'keys[4].id'],
    [{ key: 'test-key-1', id: 7 }, 'keys[4].id'],
    [{ key: 'test-key-1', weight: Number.NaN }, 'keys[4].weight'],
    [{ key: 'test-key-1', weight: -2 }, 'keys[4].weight'],
    [{ key: 'test-key-1', label: 'x' }, 'keys[4].label'],
  ])('rejects %j naming %s', (input, field) => {
    expect(() => normaliseKeyInput(input, 'keys[4]', 'key-5', 'openai')).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining(field) }),
    );
  });
});
