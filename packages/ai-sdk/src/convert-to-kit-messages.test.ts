import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { convertToKitMessages, reasoningSignatureOf, toolOutputToContent } from './convert-to-kit-messages';

describe('convertToKitMessages', () => {
  it('maps system, user text and files, assistant reasoning with its signature and tool calls, and tool results', () => {
    const prompt: LanguageModelV4Prompt = [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is on this?' },
          { type: 'file', mediaType: 'image/png', data: { type: 'data', data: new Uint8Array([137, 80, 78, 71]) } },
          { type: 'file', mediaType: 'application/pdf', filename: 'menu.pdf', data: { type: 'url', url: new URL('https://example.com/menu.pdf') } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Look it up.', providerOptions: { kit: { signature: 'c2ln' } } },
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { query: 'menu' } },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'lookup', output: { type: 'json', value: { dish: 'soup' } } }] },
    ];
    const { messages, warnings } = convertToKitMessages(prompt);
    expect(warnings).toEqual([]);
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is on this?' },
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBORw==' } },
          { type: 'document', source: { type: 'url', url: 'https://example.com/menu.pdf', mediaType: 'application/pdf' }, title: 'menu.pdf' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Look it up.', signature: 'c2ln' },
          { type: 'text', text: 'Checking.' },
        ],
        toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"query":"menu"}' }],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'lookup', content: '{"dish":"soup"}' },
    ]);
  });

  it('keeps text-only messages as plain strings and splits a tool turn into one message per result', () => {
    const { messages } = convertToKitMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c1', toolName: 't', output: { type: 'text', value: 'one' } },
          { type: 'tool-result', toolCallId: 'c2', toolName: 't', output: { type: 'error-text', value: 'boom' } },
        ],
      },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'ab' },
      { role: 'tool', toolCallId: 'c1', name: 't', content: 'one' },
      { role: 'tool', toolCallId: 'c2', name: 't', content: 'boom' },
    ]);
  });

  it('leaves provider-executed tool parts and approval responses out, with one warning each', () => {
    const { messages, warnings } = convertToKitMessages([
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'p1', toolName: 'web_search', input: {}, providerExecuted: true },
          { type: 'tool-result', toolCallId: 'p1', toolName: 'web_search', output: { type: 'text', value: 'x' } },
          { type: 'text', text: 'Found it.' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: 'a1', approved: true }] },
    ]);
    expect(messages).toEqual([{ role: 'assistant', content: 'Found it.' }]);
    expect(warnings.map((warning) => (warning as { feature: string }).feature)).toEqual([
      'provider-executed tool calls',
      'provider-executed tool results',
      'tool approval responses',
    ]);
  });

  it('refuses what @kit cannot carry: inline bytes without a full media type, provider file references', () => {
    expect(() => convertToKitMessages([{ role: 'user', content: [{ type: 'file', mediaType: 'image', data: { type: 'data', data: 'AAAA' } }] }])).toThrow(
      /full media type/,
    );
    expect(() =>
      convertToKitMessages([
        { role: 'user', content: [{ type: 'file', mediaType: 'application/pdf', data: { type: 'reference', reference: { openai: 'file-1' } } }] },
      ]),
    ).toThrow(/provider references/);
  });
});

describe('toolOutputToContent', () => {
  it('maps every output kind', () => {
    expect(toolOutputToContent({ type: 'error-json', value: { error: 'x' } })).toBe('{"error":"x"}');
    expect(toolOutputToContent({ type: 'execution-denied' })).toBe('Tool execution denied.');
    expect(toolOutputToContent({ type: 'execution-denied', reason: 'not allowed' })).toBe('Tool execution denied: not allowed');
    expect(
      toolOutputToContent({
        type: 'content',
        value: [
          { type: 'text', text: 'chart:' },
          { type: 'file', mediaType: 'image/jpeg', data: { type: 'data', data: '/9j/' } },
        ],
      }),
    ).toEqual([
      { type: 'text', text: 'chart:' },
      { type: 'image', source: { type: 'base64', mediaType: 'image/jpeg', data: '/9j/' } },
    ]);
  });
});

describe('reasoningSignatureOf', () => {
  it('reads the signature @kit gave, or one another Anthropic provider gave', () => {
    expect(reasoningSignatureOf({ kit: { signature: 'a' } })).toBe('a');
    expect(reasoningSignatureOf({ anthropic: { signature: 'b' } })).toBe('b');
    expect(reasoningSignatureOf({ kit: { signature: '' } })).toBeUndefined();
    expect(reasoningSignatureOf(undefined)).toBeUndefined();
  });
});
