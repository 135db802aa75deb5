import { describe, expect, it, vi } from 'vitest';
import { abortable, throwIfAborted } from './abort';

describe('abort helpers', () => {
  it('abortable passes through results and removes its listener', async () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    await expect(abortable(Promise.resolve(3), controller.signal, 'openai')).resolves.toBe(3);
    await expect(abortable(Promise.reject(new Error('boom')), controller.signal, 'openai')).rejects.toThrow('boom');
    expect(remove).toHaveBeenCalledTimes(2);
  });

  it('abortable rejects aborted as soon as the signal fires', async () => {
    const controller = new AbortController();
    const pending = abortable(new Promise<never>(() => {}), controller.signal, 'openai');
    controller.abort(new Error('user left'));
    await expect(pending).rejects.toMatchObject({ code: 'aborted', provider: 'openai' });
  });

  it('throwIfAborted throws aborted only for a fired signal', () => {
    expect(() => throwIfAborted(undefined, 'openai')).not.toThrow();
    expect(() => throwIfAborted(new AbortController().signal, 'openai')).not.toThrow();
    expect(() => throwIfAborted(AbortSignal.abort(), 'openai')).toThrow(expect.objectContaining({ code: 'aborted', provider: 'openai' }));
  });
});
