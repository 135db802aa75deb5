import type { ChatMessage } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages';

const convert = (messages: ChatMessage[], cacheFor?: Parameters<typeof convertToAnthropicMessages>[2]) =>
  convertToAnthropicMessages(messages, 'anthropic', cacheFor);
const thrown = (messages: ChatMessage[]) => {
  try {
    convert(messages);
  } catch (error) {
    return error as Error & { code: string };
  }
  throw new Error('expected an error');
};

describe('convertToAnthropicMessages', () => {
  it('hoists system messages to the top-level system, a text block per part (never glued), and never adds one', () => {
    expect(
      convert([
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Answer in ' },
            { type: 'text', text: 'French.' },
          ],
        },
      ]),
    ).toEqual({
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in ' },
        { type: 'text', text: 'French.' },
      ],
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(
      convert([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ]),
    ).toHaveProperty('system', 'Be brief.');
    expect(convert([{ role: 'user', content: 'Hi' }])).toEqual({ messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('maps images and PDFs, as base64 and as URLs', () => {
    const { messages } = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          { type: 'document', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQ=' }, title: 'Report' },
          { type: 'document', source: { type: 'url', url: 'https://example.com/paper.pdf', mediaType: 'application/pdf' } },
        ],
      },
    ]);
    expect(messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ=' }, title: 'Report' },
      { type: 'document', source: { type: 'url', url: 'https://example.com/paper.pdf' } },
    ]);
  });

  it('turns tool calls into tool_use blocks and merges consecutive tool results (and a user message after them) into one user turn', () => {
    const { messages } = convert([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking.',
        toolCalls: [
          { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'toolu_2', name: 'get_weather', arguments: '' },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', content: '{"temperature":18}' },
      { role: 'tool', toolCallId: 'toolu_2', content: [{ type: 'text', text: '21 °C' }] },
      { role: 'user', content: 'Thanks!' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"temperature":18}' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: '21 °C' }] },
          { type: 'text', text: 'Thanks!' },
        ],
      },
    ]);
  });

  it('replays thinking with its signature, and redacted thinking; drops unsigned reasoning', () => {
    const { messages } = convert([
      { role: 'user', content: 'Hi' },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Think first.', signature: 'sig-1redacted_thinking:REDACTED-A;redacted_thinking:REDACTED-B;' },
          { type: 'text', text: 'Done.' },
        ],
        toolCalls: [{ id: 'toolu_9', name: 'search', arguments: '{"q":"x"}' }],
      },
      { role: 'tool', toolCallId: 'toolu_9', content: 'found' },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'From another provider, unsigned.' },
          { type: 'text', text: 'Answer.' },
        ],
      },
      { role: 'assistant', content: [{ type: 'reasoning', text: 'unsigned only' }] },
    ]);
    expect(messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'Think first.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'REDACTED-A' },
      { type: 'redacted_thinking', data: 'REDACTED-B' },
      { type: 'text', text: 'Done.' },
      { type: 'tool_use', id: 'toolu_9', name: 'search', input: { q: 'x' } },
    ]);
    // The unsigned reasoning is dropped; the empty assistant message after it disappears.
    expect(messages.slice(3)).toEqual([{ role: 'assistant', content: 'Answer.' }]);
  });

  it('puts cache_control on a message (its last block), on one part, and on a system message', () => {
    const ephemeral = { type: 'ephemeral' as const };
    const { system, messages } = convert(
      [
        { role: 'system', content: 'Long instructions.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Document:' },
            { type: 'text', text: 'Very long text.' },
            { type: 'text', text: 'Question?' },
          ],
        },
        { role: 'assistant', content: 'Answer.' },
        { role: 'user', content: 'Follow-up' },
      ],
      (message, part) =>
        message === 0 && part === undefined
          ? ephemeral
          : message === 1 && part === 1
            ? { ...ephemeral, ttl: '1h' }
            : message === 3 && part === undefined
              ? ephemeral
              : undefined,
    );
    expect(system).toEqual([{ type: 'text', text: 'Long instructions.', cache_control: ephemeral }]);
    expect(messages[0]?.content).toEqual([
      { type: 'text', text: 'Document:' },
      { type: 'text', text: 'Very long text.', cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'text', text: 'Question?' },
    ]);
    expect(messages[1]?.content).toBe('Answer.');
    expect(messages[2]?.content).toEqual([{ type: 'text', text: 'Follow-up', cache_control: ephemeral }]);
  });

  it('rejects what Anthropic cannot take, naming the field', () => {
    expect(thrown([{ role: 'user', content: [{ type: 'audio', source: { type: 'base64', mediaType: 'audio/wav', data: 'UklGRg==' } }] }])).toMatchObject({
      code: 'invalid_request',
      message: 'anthropic: messages[0].content[0].type: "audio" is not allowed here',
    });
    expect(thrown([{ role: 'system', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/x.png' } }] }]).message).toContain(
      'messages[0].content[0].type',
    );
    expect(thrown([{ role: 'assistant', content: 'x', toolCalls: [{ id: 't', name: 'f', arguments: '[1,2]' }] }]).message).toContain(
      'messages[0].toolCalls[0].arguments: must be a JSON object',
    );
    expect(thrown([{ role: 'user', content: [{ type: 'reasoning', text: 'x' }] }]).message).toContain('"reasoning" is not allowed here');
    // A text/plain document is decoded here (the API's text source), so data that is not base64 is refused here.
    expect(thrown([{ role: 'user', content: [{ type: 'document', source: { type: 'base64', mediaType: 'text/plain', data: 'not base64!' } }] }])).toMatchObject(
      {
        code: 'invalid_request',
        message: 'anthropic: messages[0].content[0].source.data: is not base64',
      },
    );
  });
});
