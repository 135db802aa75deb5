import { KitError } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { convertToOllamaMessages } from './convert-to-ollama-messages';

describe('convertToOllamaMessages', () => {
  it('joins text parts into one content string and sends base64 images as `images`, without a data: prefix', () => {
    const messages = convertToOllamaMessages(
      [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is in this image?' },
            { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'text', text: 'one word' },
          ],
        },
      ],
      'ollama',
    );
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'what is in this image?\none word', images: ['iVBORw0KGgo='] },
    ]);
  });

  it('sends tool calls back with their arguments as objects, and tool results with the tool name', () => {
    const messages = convertToOllamaMessages(
      [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Need the weather tool.' },
            { type: 'text', text: '' },
          ],
          toolCalls: [{ id: 'call_1', name: 'get_current_weather', arguments: '{"location":"Paris, FR","format":"celsius"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '22 degrees' },
        { role: 'tool', toolCallId: 'call_unknown', name: 'named_tool', content: 'x' },
      ],
      'ollama',
    );
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: '',
      thinking: 'Need the weather tool.',
      tool_calls: [{ id: 'call_1', function: { name: 'get_current_weather', arguments: { location: 'Paris, FR', format: 'celsius' } } }],
    });
    expect(messages[2]).toEqual({ role: 'tool', content: '22 degrees', tool_name: 'get_current_weather' });
    expect(messages[3]).toEqual({ role: 'tool', content: 'x', tool_name: 'named_tool' });
  });

  it('empty arguments become {}', () => {
    const [message] = convertToOllamaMessages([{ role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'now', arguments: '' }] }], 'ollama');
    expect(message?.tool_calls?.[0]?.function.arguments).toEqual({});
  });

  it.each([
    [[{ type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } }], 'messages[0].content[0].source'],
    [[{ type: 'document', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } }], 'messages[0].content[0]'],
  ] as const)('refuses what Ollama cannot take, naming the field (%#)', (content, field) => {
    const attempt = () => convertToOllamaMessages([{ role: 'user', content: [...content] }], 'ollama');
    expect(attempt).toThrow(KitError);
    expect(attempt).toThrow(`ollama: ${field}:`);
  });

  it('refuses tool-call arguments that are not a JSON object', () => {
    const attempt = () => convertToOllamaMessages([{ role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 't', arguments: '[1,2]' }] }], 'ollama');
    expect(attempt).toThrow('ollama: messages[0].toolCalls[0].arguments: must be a JSON object');
  });
});
