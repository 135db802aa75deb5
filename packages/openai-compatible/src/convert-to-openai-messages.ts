import { KitError, type ChatMessage, type ContentPart } from '@kit/core';

/** One content part of an OpenAI chat message. */
export type OpenAIContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file'; file: { filename: string; file_data: string } }
  | { type: 'input_audio'; input_audio: { data: string; format: 'wav' | 'mp3' } };

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One message of an OpenAI chat request. */
export type OpenAIMessage =
  | { role: 'system'; content: string; name?: string }
  | { role: 'user'; content: string | OpenAIContentPart[]; name?: string }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIToolCall[]; name?: string }
  | { role: 'tool'; tool_call_id: string; content: string };

function invalid(provider: string, field: string, problem: string): never {
  throw new KitError('invalid_request', `${provider}: ${field}: ${problem}`, { provider });
}

/** The text of a message whose parts must be text (system, tool; assistant also drops reasoning parts). */
function textOf(content: ChatMessage['content'], field: string, provider: string, assistant: boolean): string {
  if (typeof content === 'string') return content;
  let text = '';
  content.forEach((part, index) => {
    if (part.type === 'text') text += part.text;
    else if (!(assistant && part.type === 'reasoning')) invalid(provider, `${field}[${index}].type`, `"${part.type}" is not allowed here (text only)`);
  });
  return text;
}

function userPart(part: ContentPart, field: string, provider: string): OpenAIContentPart {
  if (part.type === 'text') return part;
  if (part.type === 'reasoning') return invalid(provider, `${field}.type`, '"reasoning" is not allowed in user messages');
  const source = part.source;
  if (part.type === 'image') {
    return { type: 'image_url', image_url: { url: source.type === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}` } };
  }
  // The chat API takes files and audio only as data, never as URLs it would fetch.
  if (source.type === 'url') return invalid(provider, `${field}.source`, `pass the ${part.type} as base64 data (URLs are not supported)`);
  if (part.type === 'document') {
    return { type: 'file', file: { filename: part.title ?? 'document.pdf', file_data: `data:${source.mediaType};base64,${source.data}` } };
  }
  const format = /wav/i.test(source.mediaType) ? 'wav' : /mp3|mpeg/i.test(source.mediaType) ? 'mp3' : undefined;
  if (!format) return invalid(provider, `${field}.source.mediaType`, `"${source.mediaType}" is not supported (wav or mp3)`);
  return { type: 'input_audio', input_audio: { data: source.data, format } };
}

/**
 * Converts resolved chat messages (already validated by core) to OpenAI's chat wire format. Input the dialect
 * cannot express throws `KitError('invalid_request')` naming the field (`messages[0].content[1].source`).
 * Reasoning parts of assistant messages are dropped: the dialect cannot send them back.
 */
export function convertToOpenAIMessages(messages: readonly ChatMessage[], provider: string): OpenAIMessage[] {
  return messages.map((message, index): OpenAIMessage => {
    const field = `messages[${index}].content`;
    const { content, name } = message;
    const named = <T extends OpenAIMessage>(converted: T): T => (name ? { ...converted, name } : converted);
    switch (message.role) {
      case 'system':
        return named({ role: 'system', content: textOf(content, field, provider, false) });
      case 'user':
        return named({
          role: 'user',
          content:
            typeof content === 'string'
              ? content
              : content.length === 1 && content[0]?.type === 'text'
                ? content[0].text
                : content.map((part, partIndex) => userPart(part, `${field}[${partIndex}]`, provider)),
        });
      case 'tool':
        return { role: 'tool', tool_call_id: message.toolCallId ?? invalid(provider, `messages[${index}].toolCallId`, 'is required'), content: textOf(content, field, provider, false) };
      default: {
        const text = textOf(content, field, provider, true);
        const calls = message.toolCalls ?? [];
        if (calls.length === 0) return named({ role: 'assistant', content: text });
        return named({
          role: 'assistant',
          content: text || null,
          tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
        });
      }
    }
  });
}
