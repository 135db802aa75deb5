import type { ChatMessage, ContentPart } from '@kit/core';
import { invalidRequest } from './wire';

/** A tool call as Ollama takes it back in history: `arguments` is a JSON object, not text. */
export interface OllamaToolCall {
  id?: string;
  function: { name: string; arguments: Record<string, unknown> };
}

/** One message of `POST /api/chat`. */
export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 images (no `data:` prefix), for vision models. */
  images?: string[];
  /** An assistant's reasoning, replayed (thinking models). */
  thinking?: string;
  tool_calls?: OllamaToolCall[];
  /** A tool result: the name of the tool that produced it. */
  tool_name?: string;
}

/** A tool call's `arguments` (JSON text) as the object Ollama expects; anything but a JSON object is refused. */
function argumentsObject(text: string, provider: string, field: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalidRequest(provider, field, 'is not JSON; Ollama takes tool-call arguments as a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalidRequest(provider, field, 'must be a JSON object for Ollama');
  }
  return value as Record<string, unknown>;
}

/** The text, images and reasoning of a message's parts; parts Ollama has no field for are refused, naming them. */
function splitParts(parts: readonly ContentPart[], provider: string, field: string) {
  const texts: string[] = [];
  const images: string[] = [];
  const reasoning: string[] = [];
  parts.forEach((part, index) => {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'reasoning') reasoning.push(part.text);
    else if (part.type === 'image') {
      if (part.source.type !== 'base64') invalidRequest(provider, `${field}[${index}].source`, 'Ollama takes images as base64 data only, not URLs');
      images.push(part.source.data);
    } else invalidRequest(provider, `${field}[${index}]`, `Ollama's chat API has no ${part.type} parts`);
  });
  return { text: texts.join('\n'), images, reasoning: reasoning.join('') };
}

/**
 * Maps messages to Ollama's: text parts joined into `content` (one string), base64 images into `images`, an
 * assistant's reasoning parts into `thinking`, tool calls with their arguments parsed back into objects, and tool
 * results with `tool_name` (the message's `name`, else the name of the call its `toolCallId` answers).
 */
export function convertToOllamaMessages(messages: readonly ChatMessage[], provider: string): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((message, index) => {
    const field = `messages[${index}]`;
    const { text, images, reasoning } =
      typeof message.content === 'string' ? { text: message.content, images: [], reasoning: '' } : splitParts(message.content, provider, `${field}.content`);
    const converted: OllamaMessage = { role: message.role, content: text };
    if (images.length > 0) {
      if (message.role !== 'user') invalidRequest(provider, `${field}.content`, 'Ollama takes images in user messages only');
      converted.images = images;
    }
    if (reasoning && message.role === 'assistant') converted.thinking = reasoning;
    if (message.role === 'assistant' && message.toolCalls?.length) {
      converted.tool_calls = message.toolCalls.map((call, callIndex) => {
        toolNames.set(call.id, call.name);
        const wire: OllamaToolCall = {
          function: { name: call.name, arguments: argumentsObject(call.arguments, provider, `${field}.toolCalls[${callIndex}].arguments`) },
        };
        if (call.id) wire.id = call.id;
        return wire;
      });
    }
    if (message.role === 'tool') {
      const toolName = message.name ?? (message.toolCallId ? toolNames.get(message.toolCallId) : undefined);
      if (toolName) converted.tool_name = toolName;
    }
    return converted;
  });
}
