import type { ChatMessage, ContentPart } from '@kit/core';
import { functionOf, invalidRequest } from './wire';

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

/**
 * One content part on the wire. Core validated its shape; only what the chat API cannot take is rejected:
 * system, assistant and tool messages take text only (an assistant's reasoning is dropped, as the dialect
 * cannot send it back); users send no reasoning, and files and audio only as data.
 */
function wirePart(part: ContentPart, field: string, role: ChatMessage['role'], provider: string): OpenAIContentPart {
  if (part.type === 'text') return part;
  if (role === 'assistant' && part.type === 'reasoning') return { type: 'text', text: '' };
  if (role !== 'user' || part.type === 'reasoning') return invalidRequest(provider, `${field}.type`, `"${part.type}" is not allowed here`);
  const { source } = part;
  const url = source.type === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
  if (part.type === 'image') return { type: 'image_url', image_url: { url } };
  // The chat API takes files and audio only as data, never as URLs it would fetch.
  if (source.type === 'url') return invalidRequest(provider, `${field}.source`, 'pass base64 data, not a URL');
  if (part.type === 'document') return { type: 'file', file: { filename: part.title ?? 'document.pdf', file_data: url } };
  const { mediaType } = source;
  const format = /wav/i.test(mediaType)
    ? 'wav'
    : /mp3|mpeg/i.test(mediaType)
      ? 'mp3'
      : invalidRequest(provider, `${field}.source.mediaType`, 'must be wav or mp3');
  return { type: 'input_audio', input_audio: { data: source.data, format } };
}

/**
 * Converts resolved chat messages (already validated by core) to OpenAI's chat wire format. Input the dialect
 * cannot express throws `KitError('invalid_request')` naming the field (`messages[0].content[1].source`).
 * System, assistant and tool messages take text only (their text parts are joined); reasoning parts of
 * assistant messages are dropped, because the dialect cannot send them back.
 */
export function convertToOpenAIMessages(messages: readonly ChatMessage[], provider: string): OpenAIMessage[] {
  return messages.map(({ role, content, name, toolCalls, toolCallId }, index): OpenAIMessage => {
    const field = `messages[${index}]`;
    const parts = (typeof content === 'string' ? [{ type: 'text', text: content } as const] : content).map((part, partIndex) =>
      wirePart(part, `${field}.content[${partIndex}]`, role, provider),
    );
    const text = parts.map((part) => (part as { text?: string }).text).join(''); // the text parts' (others have none)
    if (role === 'tool') return { role, tool_call_id: toolCallId ?? invalidRequest(provider, `${field}.toolCallId`, 'is required'), content: text };
    const message: Exclude<OpenAIMessage, { role: 'tool' }> =
      role === 'user'
        ? // A single text part goes out as a plain string.
          { role, content: parts.length === 1 && parts[0]?.type === 'text' ? text : parts }
        : role === 'assistant' && toolCalls?.length
          ? { role, content: text || null, tool_calls: toolCalls.map(({ id, ...call }) => ({ id, ...functionOf(call) })) }
          : { role, content: text };
    return name ? { ...message, name } : message;
  });
}
