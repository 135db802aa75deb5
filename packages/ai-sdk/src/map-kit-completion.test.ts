import type { ChatCompletion } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { mapKitCompletionContent } from './map-kit-completion';

const base: Omit<ChatCompletion, 'message' | 'text' | 'toolCalls'> = {
  id: 'msg_1',
  model: 'claude-x',
  provider: 'anthropic',
  finishReason: 'stop',
  usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
};

describe('mapKitCompletionContent', () => {
  it('reasoning blocks (signed ones with providerMetadata.kit.signature), text, then tool calls', () => {
    const completion: ChatCompletion = {
      ...base,
      text: 'Calling.',
      toolCalls: [
        { id: 'c1', name: 'f', arguments: '{"a":1}' },
        { id: 'c2', name: 'g', arguments: '' },
      ],
      message: {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Signed.', signature: 'sig' },
          { type: 'reasoning', text: 'Unsigned.' },
          { type: 'text', text: 'Calling.' },
        ],
      },
    };
    expect(mapKitCompletionContent(completion)).toEqual([
      { type: 'reasoning', text: 'Signed.', providerMetadata: { kit: { signature: 'sig' } } },
      { type: 'reasoning', text: 'Unsigned.' },
      { type: 'text', text: 'Calling.' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'f', input: '{"a":1}' },
      { type: 'tool-call', toolCallId: 'c2', toolName: 'g', input: '{}' },
    ]);
  });

  it('a plain text answer is one text part; an empty one is no part', () => {
    expect(mapKitCompletionContent({ ...base, text: 'Hi', toolCalls: [], message: { role: 'assistant', content: 'Hi' } })).toEqual([
      { type: 'text', text: 'Hi' },
    ]);
    expect(mapKitCompletionContent({ ...base, text: '', toolCalls: [], message: { role: 'assistant', content: '' } })).toEqual([]);
  });
});
