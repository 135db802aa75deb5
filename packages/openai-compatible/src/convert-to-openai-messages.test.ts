import { KitError, type ChatMessage } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { convertToOpenAIMessages } from './convert-to-openai-messages';

const convert = (messages: ChatMessage[]) => convertToOpenAIMessages(messages, 'openai');

function errorOf(messages: unknown[]): KitError {
  try {
    convert(messages as ChatMessage[]);
  } catch (error) {
    if (KitError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a KitError');
}

describe('convertToOpenAIMessages', () => {
  it('maps system, user, assistant and tool messages', () => {
    expect(
      convert([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo?', name: 'ada' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'tool', toolCallId: 'call_1', content: '{"temp":3}' },
        { role: 'assistant', content: 'It is 3 °C.' },
      ]),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Oslo?', name: 'ada' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":3}' },
      { role: 'assistant', content: 'It is 3 °C.' },
    ]);
  });

  it('maps every user content part', () => {
    const [message] = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'document', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, title: 'report.pdf' },
          { type: 'document', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } },
          { type: 'audio', source: { type: 'base64', mediaType: 'audio/wav', data: 'UklGRg==' } },
          { type: 'audio', source: { type: 'base64', mediaType: 'audio/mpeg', data: 'SUQz' } },
        ],
      },
    ]);
    expect(message).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Look:' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
        { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
        { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
        { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
      ],
    });
  });

  it('sends a single text part as a plain string', () => {
    expect(convert([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }])).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('drops reasoning parts from assistant history by default and sends several text parts as a list', () => {
    expect(
      convert([
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'secret thoughts', signature: 'sig' },
            { type: 'text', text: 'Hello.' },
            { type: 'text', text: 'There.' },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Hello.' },
          { type: 'text', text: 'There.' },
        ],
      },
    ]);
  });

  it('sends reasoning back as reasoning_content when asked, with or without tool calls', () => {
    const messages = [
      {
        role: 'assistant' as const,
        content: [
          { type: 'reasoning' as const, text: 'Need the weather.' },
          { type: 'text' as const, text: 'Checking.' },
        ],
        toolCalls: [{ id: 'c', name: 'get_weather', arguments: '{}', input: {} }],
      },
      { role: 'tool' as const, toolCallId: 'c', content: 'Sunny' },
      {
        role: 'assistant' as const,
        content: [
          { type: 'reasoning' as const, text: 'Got it.' },
          { type: 'text' as const, text: 'Sunny.' },
        ],
      },
    ];
    const wire = convertToOpenAIMessages(messages, 'deepseek', { reasoningReplay: 'reasoning_content' });
    expect(wire[0]).toEqual({
      role: 'assistant',
      content: 'Checking.',
      reasoning_content: 'Need the weather.',
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
    });
    expect(wire[2]).toEqual({ role: 'assistant', content: 'Sunny.', reasoning_content: 'Got it.' });
    expect(convertToOpenAIMessages([{ role: 'assistant', content: 'Plain.' }], 'deepseek', { reasoningReplay: 'reasoning_content' })).toEqual([
      { role: 'assistant', content: 'Plain.' },
    ]);
  });

  it('gives a tool-call turn without reasoning an empty reasoning_content (DeepSeek rejects the next request without it)', () => {
    // The second request of a tool loop whose first answer streamed `reasoning_content: ""` and then the call (the shape
    // reported in Oaklight/llm-rosetta#356), or whose history was stored as plain text.
    const messages = [
      { role: 'user' as const, content: 'What time is it? Use the tool.' },
      { role: 'assistant' as const, content: '', toolCalls: [{ id: 'call_00_time', name: 'get_current_time', arguments: '{}', input: {} }] },
      { role: 'tool' as const, toolCallId: 'call_00_time', content: '10:30 AM UTC' },
      { role: 'assistant' as const, content: 'It is 10:30 UTC.' },
    ];
    const wire = convertToOpenAIMessages(messages, 'deepseek', { reasoningReplay: 'reasoning_content' });
    expect(wire[1]).toEqual({
      role: 'assistant',
      content: null,
      reasoning_content: '',
      tool_calls: [{ id: 'call_00_time', type: 'function', function: { name: 'get_current_time', arguments: '{}' } }],
    });
    // A turn without tool calls and without reasoning stays as it was; other providers never get the field.
    expect(wire[3]).toEqual({ role: 'assistant', content: 'It is 10:30 UTC.' });
    expect(convertToOpenAIMessages(messages, 'openai')[1]).not.toHaveProperty('reasoning_content');
  });

  it('never glues system text parts: several go out as a list of text parts', () => {
    expect(
      convert([
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Rule one.' },
            { type: 'text', text: 'Rule two.' },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'system',
        content: [
          { type: 'text', text: 'Rule one.' },
          { type: 'text', text: 'Rule two.' },
        ],
      },
    ]);
  });

  it('sends the text parts of tool results as a list', () => {
    expect(
      convert([
        {
          role: 'tool',
          toolCallId: 'c',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'tool',
        tool_call_id: 'c',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
  });

  it('rejects input the dialect cannot express, naming the field', () => {
    const cases: [unknown[], string][] = [
      [
        [
          { role: 'user', content: 'x' },
          { role: 'user', content: 'y' },
          { role: 'tool', content: 'r' },
        ],
        'messages[2].toolCallId',
      ],
      [[{ role: 'system', content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }], 'messages[0].content[0].type'],
      [[{ role: 'user', content: [{ type: 'document', source: { type: 'url', url: 'https://x/y.pdf' } }] }], 'messages[0].content[0].source'],
      [
        [{ role: 'user', content: [{ type: 'audio', source: { type: 'base64', mediaType: 'audio/ogg', data: 'T2dn' } }] }],
        'messages[0].content[0].source.mediaType',
      ],
      [[{ role: 'user', content: [{ type: 'audio', source: { type: 'url', url: 'https://x/a.wav' } }] }], 'messages[0].content[0].source'],
      [[{ role: 'user', content: [{ type: 'reasoning', text: 'x' }] }], 'messages[0].content[0].type'],
    ];
    for (const [messages, field] of cases) {
      const error = errorOf(messages);
      expect(error.code).toBe('invalid_request');
      expect(error.message).toContain(`${field}:`);
    }
  });
});
