import type { ChatMessage, ContentPart } from '@kit/core';
import { decodeBase64Text } from '@kit/core/provider-utils';
import { functionOf, invalidRequest } from './wire';

/** One content part of an OpenAI chat message. */
export type OpenAIContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file'; file: { filename: string; file_data: string } }
  | { type: 'input_audio'; input_audio: { data: string; format: 'wav' | 'mp3' } };

/** A text part: system, assistant and tool messages take lists of these. */
export type OpenAITextPart = { type: 'text'; text: string };

/**
 * How an assistant's reasoning parts go back to the server: `'drop'` (OpenAI's chat API has no field for them)
 * or `'reasoning_content'`, a string beside `content` (DeepSeek, whose thinking mode needs it back on turns
 * with tool calls).
 */
export type ReasoningReplay = 'drop' | 'reasoning_content';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One message of an OpenAI chat request. */
export type OpenAIMessage =
  | { role: 'system'; content: string | OpenAITextPart[]; name?: string }
  | { role: 'user'; content: string | OpenAIContentPart[]; name?: string }
  | { role: 'assistant'; content: string | OpenAITextPart[] | null; reasoning_content?: string; tool_calls?: OpenAIToolCall[]; name?: string }
  | { role: 'tool'; tool_call_id: string; content: string | OpenAITextPart[] };

/** Options of `convertToOpenAIMessages`. */
export interface ConvertToOpenAIMessagesOptions {
  /** How assistant reasoning parts are sent back; default `'drop'`. */
  reasoningReplay?: ReasoningReplay;
}

/**
 * One content part on the wire. Core validated its shape; only what the chat API cannot take is rejected:
 * system, assistant and tool messages take text only (an assistant's reasoning is handled by the caller);
 * users send no reasoning, and files and audio only as data.
 */
function wirePart(part: ContentPart, field: string, role: ChatMessage['role'], provider: string): OpenAIContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (role !== 'user' || part.type === 'reasoning') return invalidRequest(provider, `${field}.type`, `"${part.type}" is not allowed here`);
  const { source } = part;
  const url = source.type === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
  if (part.type === 'image') return { type: 'image_url', image_url: { url } };
  // The chat API takes files and audio only as data, never as URLs it would fetch.
  if (source.type === 'url') return invalidRequest(provider, `${field}.source`, 'pass base64 data, not a URL');
  const { mediaType } = source;
  // Chat Completions takes only PDFs as files (OpenAI's "File inputs" guide): a text/plain document goes as its own
  // text part, headed by its title when it has one.
  if (part.type === 'document')
    return /^text\/plain/i.test(mediaType)
      ? { type: 'text', text: (part.title ? `Document: ${part.title}\n\n` : '') + decodeBase64Text(source.data, `${field}.source.data`, provider) }
      : { type: 'file', file: { filename: part.title ?? 'document.pdf', file_data: url } };
  const format = /wav/i.test(mediaType)
    ? 'wav'
    : /mp3|mpeg/i.test(mediaType)
      ? 'mp3'
      : invalidRequest(provider, `${field}.source.mediaType`, 'must be wav or mp3');
  return { type: 'input_audio', input_audio: { data: source.data, format } };
}

/** Text parts as content: one goes out as a plain string, several as a list (never glued together), none as `''`. */
function textContent(parts: OpenAITextPart[]): string | OpenAITextPart[] {
  return parts.length === 1 ? (parts[0] as OpenAITextPart).text : parts.length ? parts : '';
}

/**
 * Converts resolved chat messages (already validated by core) to OpenAI's chat wire format. Input the dialect
 * cannot express throws `KitError('invalid_request')` naming the field (`messages[0].content[1].source`).
 * System, assistant and tool messages take text only: one text part goes out as a string, several as a list of
 * text parts. Reasoning parts of assistant messages are dropped, or sent as `reasoning_content` when
 * `options.reasoningReplay` says so.
 */
export function convertToOpenAIMessages(messages: readonly ChatMessage[], provider: string, options: ConvertToOpenAIMessagesOptions = {}): OpenAIMessage[] {
  return messages.map(({ role, content, name, toolCalls, toolCallId }, index): OpenAIMessage => {
    const field = `messages[${index}]`;
    const reasoning: string[] = [];
    // A string is one text part: it goes out as it is, whatever the role.
    let parts: string | OpenAIContentPart[] = content as string;
    if (typeof content !== 'string') {
      parts = [];
      for (const [partIndex, part] of content.entries()) {
        if (role === 'assistant' && part.type === 'reasoning') reasoning.push(part.text);
        else parts.push(wirePart(part, `${field}.content[${partIndex}]`, role, provider));
      }
    }
    // wirePart lets only text through for roles other than user
    const text = typeof parts === 'string' ? parts : textContent(parts as OpenAITextPart[]);
    if (role === 'tool') return { role, tool_call_id: toolCallId ?? invalidRequest(provider, `${field}.toolCallId`, 'is required'), content: text };
    // The parts are pieces of one thought (how core's assembler splits a stream), so they rejoin as they came. A turn
    // with tool calls always carries the field, empty when there was no reasoning (DeepSeek's first delta is often
    // `reasoning_content: ""`, and history may come as plain text): without it DeepSeek answers 400 "Missing
    // `reasoning_content` field in the assistant message" (HKUDS/nanobot#946; Chevey339/kelivo#966 found "" accepted).
    const replay = options.reasoningReplay === 'reasoning_content' && (reasoning.length || toolCalls?.length) ? { reasoning_content: reasoning.join('') } : {};
    const calls = toolCalls?.length ? { tool_calls: toolCalls.map(({ id, name, arguments: args }) => ({ id, ...functionOf({ name, arguments: args }) })) } : {};
    // A user's single text part goes out as a plain string, any other parts as a list. The wire takes a call's name and
    // argument text, not its parsed `input`. With tool calls and no text, `content` is null.
    const message: OpenAIMessage =
      role === 'user'
        ? { role, content: typeof parts === 'string' || (parts.length === 1 && parts[0]?.type === 'text') ? text : parts }
        : role === 'system'
          ? { role, content: text }
          : { role, content: calls.tool_calls && text === '' ? null : text, ...replay, ...calls };
    return name ? { ...message, name } : message;
  });
}
