import { KitError, type ChatMessage, type ContentPart, type ToolCall } from '@kit/core';

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

const audioFormats: Record<string, 'wav' | 'mp3'> = {
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mpeg3': 'mp3',
};

function invalid(provider: string, field: string, problem: string): never {
  throw new KitError('invalid_request', `${provider}: ${field}: ${problem}`, { provider });
}

/** The text of a message whose parts must all be text (system, assistant, tool). */
function textOnly(content: ChatMessage['content'], field: string, provider: string, allowReasoning: boolean): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (let index = 0; index < content.length; index++) {
    const part = content[index] as ContentPart;
    if (part?.type === 'text') text += part.text;
    else if (!(allowReasoning && part?.type === 'reasoning')) {
      invalid(provider, `${field}[${index}].type`, `"${String(part?.type)}" parts are not allowed here (text only)`);
    }
  }
  return text;
}

function convertUserPart(part: ContentPart, field: string, provider: string): OpenAIContentPart {
  switch (part?.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return {
        type: 'image_url',
        image_url: {
          url: part.source.type === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`,
        },
      };
    case 'document':
      if (part.source.type !== 'base64') {
        return invalid(provider, `${field}.source`, 'documents must be base64 data (the OpenAI chat API does not fetch file URLs)');
      }
      return {
        type: 'file',
        file: {
          filename: part.title ?? 'document.pdf',
          file_data: `data:${part.source.mediaType || 'application/pdf'};base64,${part.source.data}`,
        },
      };
    case 'audio': {
      if (part.source.type !== 'base64') return invalid(provider, `${field}.source`, 'audio must be base64 data');
      const format = audioFormats[part.source.mediaType.toLowerCase()];
      if (!format) return invalid(provider, `${field}.source.mediaType`, `unsupported audio type "${part.source.mediaType}" (wav or mp3)`);
      return { type: 'input_audio', input_audio: { data: part.source.data, format } };
    }
    default:
      return invalid(provider, `${field}.type`, `"${String(part?.type)}" parts are not allowed in user messages`);
  }
}

function convertToolCalls(toolCalls: ToolCall[], field: string, provider: string): OpenAIToolCall[] {
  return toolCalls.map((call, index) => {
    if (!call || typeof call.id !== 'string' || call.id === '') invalid(provider, `${field}[${index}].id`, 'must be a non-empty string');
    if (typeof call.name !== 'string' || call.name === '') invalid(provider, `${field}[${index}].name`, 'must be a non-empty string');
    if (typeof call.arguments !== 'string') invalid(provider, `${field}[${index}].arguments`, 'must be the JSON text of the arguments');
    return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
  });
}

/**
 * Converts resolved chat messages to OpenAI's chat wire format. Bad input throws `KitError('invalid_request')`
 * naming the field (`messages[2].toolCallId`). Reasoning parts of assistant messages are dropped: the OpenAI
 * dialect has no way to send them back.
 */
export function convertToOpenAIMessages(messages: readonly ChatMessage[], provider: string): OpenAIMessage[] {
  const result: OpenAIMessage[] = new Array(messages.length);
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as ChatMessage;
    const field = `messages[${index}]`;
    if (!message || typeof message !== 'object') invalid(provider, field, 'must be a message object');
    const content = message.content;
    if (typeof content !== 'string' && !Array.isArray(content)) {
      invalid(provider, `${field}.content`, 'must be a string or an array of parts');
    }
    const name = typeof message.name === 'string' && message.name !== '' ? message.name : undefined;
    switch (message.role) {
      case 'system': {
        const system: OpenAIMessage = { role: 'system', content: textOnly(content, `${field}.content`, provider, false) };
        if (name) system.name = name;
        result[index] = system;
        break;
      }
      case 'user': {
        let userContent: string | OpenAIContentPart[];
        if (typeof content === 'string') userContent = content;
        else if (content.length === 1 && content[0]?.type === 'text') userContent = content[0].text;
        else userContent = content.map((part, partIndex) => convertUserPart(part, `${field}.content[${partIndex}]`, provider));
        const user: OpenAIMessage = { role: 'user', content: userContent };
        if (name) user.name = name;
        result[index] = user;
        break;
      }
      case 'assistant': {
        const text = textOnly(content, `${field}.content`, provider, true);
        const toolCalls = message.toolCalls;
        const hasToolCalls = Array.isArray(toolCalls) && toolCalls.length > 0;
        const assistant: OpenAIMessage = { role: 'assistant', content: text === '' && hasToolCalls ? null : text };
        if (hasToolCalls) assistant.tool_calls = convertToolCalls(toolCalls, `${field}.toolCalls`, provider);
        if (name) assistant.name = name;
        result[index] = assistant;
        break;
      }
      case 'tool': {
        if (typeof message.toolCallId !== 'string' || message.toolCallId === '') {
          invalid(provider, `${field}.toolCallId`, 'is required for tool messages');
        }
        result[index] = { role: 'tool', tool_call_id: message.toolCallId, content: textOnly(content, `${field}.content`, provider, false) };
        break;
      }
      default:
        invalid(provider, `${field}.role`, `must be one of "system", "user", "assistant", "tool"`);
    }
  }
  return result;
}
